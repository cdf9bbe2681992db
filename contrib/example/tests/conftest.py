"""conftest.py - fixtures shared by the example suite.

`stock` has a teardown that runs package code (Stock.clear), so the
features a test covers include those of its fixtures' setup and teardown.
"""

import pytest

from inventory.item import Item
from inventory.stock import Stock


@pytest.fixture
def apple():
    return Item("Apple", 0.5, 150)


@pytest.fixture
def stock(apple):
    stock = Stock()
    stock.add(apple, 10)
    stock.add(Item("flour", 1.2, 1, "kg"), 2)
    yield stock
    stock.clear()
