"""Display helpers: rounding half away from zero, as the partnership's papers print.

Python's ``round()`` rounds half to even and works on binary floats, so ``round(2.45, 1)``
gives ``2.5`` but ``round(2.25, 1)`` gives ``2.2`` and ``round(0.15, 1)`` gives ``0.1``.
The papers round half away from zero (2.25 -> 2.3, -2.45 -> -2.5), so every helper here
rounds with :class:`decimal.Decimal` (``ROUND_HALF_UP`` is "half away from zero") or with
exact :class:`fractions.Fraction` arithmetic, never with ``round()`` on a float.

Floats are converted through their shortest ``repr`` (``Decimal(repr(x))``), i.e. the number
as a person would type it: ``0.05`` is treated as exactly five hundredths. Pass a
``Fraction`` (or ``Decimal``) when the exact value is known, e.g. ``Fraction(-232 * 100, 9410)``.

A result that rounds to zero is printed without a minus sign ("0.0", never "-0.0").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Real

__all__ = [
    "Number",
    "round_half_away",
    "format_decimal",
    "format_pct",
    "format_rate",
    "per_day_phrase",
]

#: Anything the helpers accept as a number.
Number = int | float | Decimal | Fraction


def _to_decimal_exact(value: Number) -> Decimal | Fraction:
    """Return ``value`` as a Decimal (ints, floats via repr, Decimals) or keep a Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):  # bool is an int subclass; refuse it explicitly
        raise TypeError("a bool is not a number here")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"cannot format non-finite value {value!r}")
        return Decimal(repr(value))
    if isinstance(value, Real):  # e.g. numpy floating / integer scalars
        return _to_decimal_exact(float(value))
    raise TypeError(f"not a number: {value!r}")


def round_half_away(value: Number, places: int = 1) -> Decimal:
    """Round ``value`` to ``places`` decimal places, halves away from zero.

    Rule: 0.05 -> 0.1, -0.05 -> -0.1, 2.25 -> 2.3, 2.45 -> 2.5, -2.45 -> -2.5.
    Floats are read through their shortest repr; Fractions are rounded exactly.
    Returns a :class:`~decimal.Decimal` with exactly ``places`` digits after the point;
    a result equal to zero is returned as positive zero.

    Raises ``ValueError`` for NaN/infinite floats and for negative ``places``.
    """
    if places < 0:
        raise ValueError("places must be >= 0")
    exact = _to_decimal_exact(value)
    quantum = Decimal(1).scaleb(-places)
    if isinstance(exact, Fraction):
        scaled = abs(exact) * (10**places)
        whole = int(scaled)  # floor for a non-negative value
        if scaled - whole >= Fraction(1, 2):
            whole += 1
        result = Decimal(whole).scaleb(-places).quantize(quantum)
        if exact < 0:
            result = -result
    else:
        result = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    if result == 0:
        result = abs(result)
    return result


def format_decimal(value: Number | None, places: int = 1, none_text: str = "n/a") -> str:
    """Format ``value`` with ``places`` decimals, rounding half away from zero.

    ``None`` (an undefined value) is printed as ``none_text``. No thousands separator.
    """
    if value is None:
        return none_text
    return f"{round_half_away(value, places):f}"


def format_pct(
    value: Number | None,
    places: int = 1,
    *,
    signed: bool = False,
    none_text: str = "undefined",
) -> str:
    """Format a percentage (already multiplied by 100) as the papers print it.

    Examples: ``format_pct(-2.4654)`` -> ``"-2.5"``; ``format_pct(2.45)`` -> ``"2.5"``;
    ``format_pct(2.25)`` -> ``"2.3"``; ``format_pct(0.05)`` -> ``"0.1"``;
    ``format_pct(-0.04)`` -> ``"0.0"`` (no negative zero). No "%" sign is added.

    ``signed=True`` prefixes a plus sign to positive results ("+2.5").
    ``None`` means the percentage is undefined (e.g. a zero base) and prints ``none_text``.
    """
    if value is None:
        return none_text
    rounded = round_half_away(value, places)
    text = f"{rounded:f}"
    if signed and rounded > 0:
        text = "+" + text
    return text


def format_rate(value: Number | None, places: int = 1, none_text: str = "n/a") -> str:
    """Format a rate per 1,000 population (e.g. 295.88... -> "295.9"), half away from zero."""
    return format_decimal(value, places, none_text)


def per_day_phrase(
    change_per_day: Number | None,
    noun: str = "crimes",
    places: int = 2,
    none_text: str = "change per day not available",
) -> str:
    """Plain-English phrase for a change per day, e.g. ``"0.64 fewer crimes per day"``.

    ``change_per_day`` is (current total - previous total) / days in the current period,
    in ``noun`` per day. Negative -> "fewer", positive -> "more", exactly zero ->
    ``"no change in {noun} per day"``. A non-zero value that rounds to zero at ``places``
    decimals reads "less than 0.01 more/fewer ... per day". ``None`` -> ``none_text``.
    The magnitude is rounded half away from zero (-232/365 = -0.6356 -> "0.64 fewer").
    """
    if change_per_day is None:
        return none_text
    exact = _to_decimal_exact(change_per_day)
    if exact == 0:
        return f"no change in {noun} per day"
    word = "fewer" if exact < 0 else "more"
    magnitude = round_half_away(-exact if exact < 0 else exact, places)
    if magnitude == 0:
        smallest = Decimal(1).scaleb(-places)
        return f"less than {smallest:f} {word} {noun} per day"
    return f"{magnitude:f} {word} {noun} per day"
