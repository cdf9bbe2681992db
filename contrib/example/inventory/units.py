"""units.py - weights and their conversion, with module constants.

Every weight is converted through grams; unknown units raise UnitError.
"""

GRAMS_PER_UNIT = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}
DEFAULT_UNIT = "g"
PRECISION = 3


class UnitError(ValueError):
    """A weight was given in a unit this module does not know."""


def factor(unit):
    """Grams in one `unit`."""
    try:
        return GRAMS_PER_UNIT[unit]
    except KeyError:
        raise UnitError("unknown unit %r" % (unit,)) from None


def to_grams(amount, unit=DEFAULT_UNIT):
    """`amount` of `unit`, in grams."""
    return amount * factor(unit)


def convert(amount, from_unit, to_unit):
    """`amount` of `from_unit` in `to_unit`, rounded to PRECISION digits."""

    def rounded(value):
        return round(value, PRECISION)

    return rounded(to_grams(amount, from_unit) / factor(to_unit))


def parse_weight(text):
    """Split "2.5 kg" into (2.5, "kg"); a bare number is in DEFAULT_UNIT."""
    number, _, unit = text.strip().partition(" ")
    unit = unit.strip() or DEFAULT_UNIT
    factor(unit)
    return float(number), unit
