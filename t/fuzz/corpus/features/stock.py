"""stock.py - a stock: items and their quantities, with totals and alerts.

Quantities must be positive (decorators.require_positive checks them).
"""

from inventory import units
from inventory.decorators import counted, require_positive
from inventory.item import Item

LOW_STOCK = 3


class OutOfStock(Exception):
    """More was removed than the stock holds."""


class Stock:
    """Items by name, each with a quantity."""

    def __init__(self):
        self._lines = {}

    def __len__(self):
        return len(self._lines)

    @classmethod
    def from_records(cls, records):
        """A stock of one of each item of `records` ("name;price;weight")."""
        stock = cls()
        for record in records:
            stock.add(Item.from_record(record))
        return stock

    @require_positive
    def add(self, item, quantity=1):
        line = self._lines.setdefault(item.name, [item, 0])
        line[1] += quantity

    @require_positive
    def remove(self, name, quantity=1):
        have = self.quantity(name)
        if quantity > have:
            raise OutOfStock(
                "%s: have %d, asked for %d" % (name, have, quantity)
            )
        self._lines[name][1] -= quantity

    def quantity(self, name):
        line = self._lines.get(name)
        return line[1] if line else 0

    def rows(self):
        """(item, quantity) pairs, by item name."""
        return [tuple(self._lines[name]) for name in sorted(self._lines)]

    def total_value(self):
        return round(sum(item.price * qty for item, qty in self.rows()), 2)

    def total_weight(self, unit="kg"):
        grams = sum(item.grams * qty for item, qty in self.rows())
        return units.convert(grams, "g", unit)

    def low_stock(self, threshold=LOW_STOCK):
        """Names of the items with fewer than `threshold` left."""
        return [item.name for item, qty in self.rows() if qty < threshold]

    @counted
    def clear(self):
        self._lines.clear()
