"""decorators.py - the package's decorators: argument checks and call counting.

The wrappers are nested functions, so their code belongs to the decorator.
"""

import functools

CALLS = {}


def require_positive(func):
    """Make `func` reject any number argument that is zero or negative."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for value in args + tuple(kwargs.values()):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if value <= 0:
                raise ValueError(
                    "%s: expected a positive number, got %r"
                    % (func.__name__, value)
                )
        return func(*args, **kwargs)

    return wrapper


def counted(func):
    """Count the calls of `func` in CALLS, by function name."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        CALLS[func.__name__] = CALLS.get(func.__name__, 0) + 1
        return func(*args, **kwargs)

    return wrapper
