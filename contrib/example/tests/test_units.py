"""test_units.py - plain test functions and parametrized tests of units.py."""

import pytest

from inventory import units


@pytest.mark.parametrize(
    "amount, unit, grams",
    [
        pytest.param(2, "kg", 2000, id="kg to g"),
        pytest.param(3, "g", 3, id="g[same]"),
        (1, "lb", 453.592),
    ],
)
def test_to_grams(amount, unit, grams):
    assert units.to_grams(amount, unit) == pytest.approx(grams)


def test_convert():
    assert units.convert(1, "kg", "lb") == 2.205


@pytest.mark.parametrize(
    "text, expected", [("2.5 kg", (2.5, "kg")), ("7", (7.0, "g"))]
)
def test_parse_weight(text, expected):
    assert units.parse_weight(text) == expected


def test_unknown_unit():
    with pytest.raises(units.UnitError, match="stone"):
        units.factor("stone")
