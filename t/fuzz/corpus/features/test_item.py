"""test_item.py - a test class for item.py: properties, static and class methods."""

import pytest

from inventory.item import Item


class TestItem:
    def test_label(self, apple):
        assert apple.label == "Apple (0.50 EUR)"

    def test_kilograms(self, apple):
        assert apple.kilograms == 0.15

    def test_normalize_name(self):
        assert Item.normalize_name("  Green   Apple ") == "green apple"

    def test_from_record(self):
        item = Item.from_record("flour;1.20;1 kg")
        assert (item.name, item.price, item.grams) == ("flour", 1.2, 1000)

    def test_with_price(self, apple):
        cheaper = apple.with_price(0.4)
        assert (cheaper.price, cheaper.grams) == (0.4, apple.grams)

    def test_with_price_rejects_zero(self, apple):
        with pytest.raises(ValueError, match="positive"):
            apple.with_price(0)


def test_currency_is_a_class_attribute():
    assert Item.currency == "EUR"
