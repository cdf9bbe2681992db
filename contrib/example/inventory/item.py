"""item.py - one kind of stock item: a name, a price and a unit weight.

Weights are kept in grams (see units.py); prices are in Item.currency.
"""

from inventory import units
from inventory.decorators import require_positive


class Item:
    """A stock-keeping unit."""

    currency = "EUR"
    fields = ("name", "price", "weight")

    def __init__(self, name, price, weight=0, unit=units.DEFAULT_UNIT):
        self.name = Item.normalize_name(name)
        self.price = price
        self.grams = units.to_grams(weight, unit)

    def __repr__(self):
        return "Item(%r, %r, %r)" % (self.name, self.price, self.grams)

    @staticmethod
    def normalize_name(name):
        """Collapse blanks and lowercase: "  Green  Apple" -> "green apple"."""
        return " ".join(name.split()).lower()

    @classmethod
    def from_record(cls, record):
        """Build an item from "name;price;weight", e.g. "flour;1.20;1 kg"."""
        name, price, weight = record.split(";")
        amount, unit = units.parse_weight(weight)
        return cls(name, float(price), amount, unit)

    @property
    def label(self):
        return "%s (%.2f %s)" % (self.name.title(), self.price, self.currency)

    @property
    def kilograms(self):
        return units.convert(self.grams, "g", "kg")

    @require_positive
    def with_price(self, price):
        """A copy of this item at another price."""
        copy = Item(self.name, price)
        copy.grams = self.grams
        return copy
