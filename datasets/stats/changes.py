"""Change between two totals: the fields the papers print (see :mod:`.rolling`).

``PeriodTotal`` is one period's total of a monthly series; ``Comparison`` is current vs
previous with ``change``, ``pct_change`` (None when the base is 0), ``change_per_day`` and
the small-numbers flag. Rules are documented in :mod:`datasets.stats.rolling`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .formatting import format_pct, per_day_phrase
from .periods import Period

__all__ = ["DEFAULT_SMALL_NUMBER_THRESHOLD", "PeriodTotal", "Comparison", "compare_totals"]

#: Base below which a change is flagged as "small numbers" (percentages unreliable).
DEFAULT_SMALL_NUMBER_THRESHOLD = 20


def _exact(value: int | float) -> Fraction:
    """Exact rational for a count; floats are read through their repr (as typed)."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(Decimal(repr(float(value))))


@dataclass(frozen=True)
class PeriodTotal:
    """The total of a series over one period.

    ``total`` is ``None`` unless every month of the period has a value (``complete``);
    ``partial_total`` is the sum of the months present (0 when none are), for information.
    ``months_missing`` lists the missing month starts, oldest first.
    """

    period: Period
    total: int | float | None
    partial_total: int | float
    months_expected: int
    months_present: int
    months_missing: tuple[date, ...]

    @property
    def complete(self) -> bool:
        """True when no month of the period is missing."""
        return not self.months_missing


@dataclass(frozen=True)
class Comparison:
    """Current total against previous total, with the change fields the papers print.

    ``current``/``previous`` carry the period totals when the comparison was made from a
    series (``None`` when made from bare totals with :func:`compare_totals`).
    ``days`` is the number of days in the current period (the divisor of
    ``change_per_day``). See the module docstring for every rule.
    """

    current_total: int | float | None
    previous_total: int | float | None
    change: int | float | None
    pct_change: float | None
    change_per_day: float | None
    days: int
    small_numbers: bool
    small_number_threshold: int | float
    change_undefined_reason: str | None
    pct_change_undefined_reason: str | None
    current: PeriodTotal | None = None
    previous: PeriodTotal | None = None

    @property
    def comparable(self) -> bool:
        """True when both totals are defined (so ``change`` is defined)."""
        return self.change is not None

    @property
    def pct_change_exact(self) -> Fraction | None:
        """The percentage change as an exact fraction (for rounding), or ``None``."""
        if self.pct_change is None or self.change is None or not self.previous_total:
            return None
        return _exact(self.change) * 100 / _exact(self.previous_total)

    @property
    def change_per_day_exact(self) -> Fraction | None:
        """``change / days`` as an exact fraction, or ``None`` when undefined."""
        if self.change is None or self.days <= 0:
            return None
        return _exact(self.change) / self.days

    def pct_text(self, places: int = 1, *, signed: bool = False) -> str:
        """Percentage change for display, half away from zero: -2.4654 -> ``"-2.5"``.

        Prints ``"undefined"`` when the base is zero or a total is incomplete.
        """
        return format_pct(self.pct_change_exact, places, signed=signed)

    def per_day_text(self, noun: str = "crimes", places: int = 2) -> str:
        """Plain-English change per day, e.g. ``"0.64 fewer crimes per day"``."""
        return per_day_phrase(self.change_per_day_exact, noun, places)


def compare_totals(
    current_total: int | float | None,
    previous_total: int | float | None,
    days: int,
    *,
    small_number_threshold: int | float = DEFAULT_SMALL_NUMBER_THRESHOLD,
    current: PeriodTotal | None = None,
    previous: PeriodTotal | None = None,
) -> Comparison:
    """Compare two totals (``None`` = undefined) over a current period of ``days`` days.

    Use this when only totals are known (e.g. a published table of rolling-year pairs);
    :func:`compare_periods` calls it after totalling a series. ``days`` must be > 0.
    """
    if days <= 0:
        raise ValueError("days must be positive")
    small = previous_total is not None and previous_total < small_number_threshold
    if current_total is None or previous_total is None:
        reason = "current_incomplete" if current_total is None else "previous_incomplete"
        return Comparison(
            current_total,
            previous_total,
            None,
            None,
            None,
            days,
            small,
            small_number_threshold,
            reason,
            reason,
            current,
            previous,
        )
    change = current_total - previous_total
    pct: float | None = None
    pct_reason: str | None = "base_zero"
    if previous_total != 0:
        pct = float(_exact(change) * 100 / _exact(previous_total))
        pct_reason = None
    per_day = float(_exact(change) / days)
    return Comparison(
        current_total,
        previous_total,
        change,
        pct,
        per_day,
        days,
        small,
        small_number_threshold,
        None,
        pct_reason,
        current,
        previous,
    )
