"""Argument checks shared by the public entry points.

A wrong type is an :class:`~pvp_kg.errors.ArgumentTypeError` (also a ``TypeError``); a value of
the right type that cannot be used (too long, out of range, not finite) is an
:class:`~pvp_kg.errors.InvalidInputError` (also a ``ValueError``). Either names the argument.
"""

from __future__ import annotations

import math

from .errors import ArgumentTypeError, InvalidInputError

__all__ = ["MAX_LIMIT", "MAX_TEXT", "check_int", "check_number", "check_text"]

#: Longest name, search text or question accepted, in characters.
MAX_TEXT = 1000
#: Largest ``limit`` a search or listing accepts.
MAX_LIMIT = 10_000


def _type_name(value: object) -> str:
    return type(value).__name__


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
    pvp_kg.errors.InvalidInputError: limit must be between 1 and 10000, not 1000000000000...
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(f"{what} must be an integer, not {_type_name(value)}")
    if not low <= value <= high:
        shown = str(value) if abs(value) < 10**20 else str(value)[:20] + "..."
        raise InvalidInputError(f"{what} must be between {low} and {high}, not {shown}")
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
