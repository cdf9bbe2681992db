"""test_stock.py - tests of stock.py through the `stock` fixture; two are slow."""

import time

import pytest

from inventory.stock import OutOfStock, Stock


def test_empty():
    assert len(Stock()) == 0


def test_quantity(stock):
    assert stock.quantity("apple") == 10
    assert stock.quantity("pear") == 0


def test_remove(stock):
    stock.remove("apple", 4)
    assert stock.quantity("apple") == 6


def test_remove_too_many(stock):
    with pytest.raises(OutOfStock):
        stock.remove("flour", 3)


def test_from_records():
    stock = Stock.from_records(["salt;0.80;500 g", "sugar;1.10;1 kg"])
    assert len(stock) == 2


@pytest.mark.slow
def test_total_weight(stock):
    time.sleep(0.4)
    assert stock.total_weight() == 3.5


@pytest.mark.slow
def test_low_stock(stock):
    time.sleep(0.3)
    assert stock.low_stock() == ["flour"]
