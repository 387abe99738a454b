"""Argument checks shared by the public entry points.

A wrong type is an :class:`~pvp_kg.errors.ArgumentTypeError` (also a ``TypeError``); a value of
the right type that cannot be used (too long, out of range, not finite) is an
:class:`~pvp_kg.errors.InvalidInputError` (also a ``ValueError``). Either names the argument.
"""

from __future__ import annotations

import math
import os

from .errors import ArgumentTypeError, InvalidInputError

__all__ = ["MAX_LIMIT", "MAX_TEXT", "check_int", "check_number", "check_text", "shown"]

#: Longest name, search text or question accepted, in characters.
MAX_TEXT = 1000
#: Largest ``limit`` a search or listing accepts.
MAX_LIMIT = 10_000


def _type_name(value: object) -> str:
    return type(value).__name__


def shown(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for quoting user input in a message.

    A message must stay readable whatever was passed: a 2 MB string or a 5000-digit number
    (whose ``repr`` Python itself refuses) is shown by its start and its size.

    >>> shown("x" * 1000, limit=12)
    "'xxxxxxxxx… (1,000 characters)"
    >>> shown(10**5000)
    'an integer of 5,001 digits'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of {_digits(value):,} digits"
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, (str, bytes)) else ""
    return text[:max(limit - len(size) - 1, 10)] + "…" + size


def _digits(value: int) -> int:
    """The number of decimal digits of ``value``, without converting it to a string."""
    n = abs(value)
    digits = max(1, int(n.bit_length() * math.log10(2)))
    return digits + 1 if n >= 10**digits else digits


def check_text(value: object, what: str, *, max_len: int = MAX_TEXT) -> str:
    """Return ``value`` stripped if it is a string of at most ``max_len`` characters.

    >>> check_text("  cement leakage ", "a concept name")
    'cement leakage'
    >>> check_text(3, "a concept name")
    Traceback (most recent call last):
    ...
    pvp_kg.errors.ArgumentTypeError: a concept name must be a string, not int
    """
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{what} must be a string, not {_type_name(value)}")
    if len(value) > max_len:
        raise InvalidInputError(f"{what} is {len(value):,} characters long; "
                                f"the limit is {max_len:,}")
    return value.strip()


def check_int(value: object, what: str, *, low: int, high: int) -> int:
    """Return ``value`` if it is an ``int`` (not a bool) within ``[low, high]``.

    >>> check_int(10**100, "limit", low=1, high=MAX_LIMIT)
    Traceback (most recent call last):
    ...
    pvp_kg.errors.InvalidInputError: limit must be between 1 and 10000, not an integer of 101 digits
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(f"{what} must be an integer, not {_type_name(value)}")
    if not low <= value <= high:
        raise InvalidInputError(f"{what} must be between {low} and {high}, "
                                f"not {shown(value, limit=23)}")
    return value


def check_number(value: object, what: str, *, low: float, high: float) -> float:
    """Return ``value`` as a float if it is a finite real number within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArgumentTypeError(f"{what} must be a number, not {_type_name(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not (math.isfinite(number) and low <= number <= high):
        raise InvalidInputError(f"{what} must be a number between {low:g} and {high:g}")
    return number
