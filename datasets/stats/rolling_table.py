"""Rolling-year figures at every period end of a monthly series at once (NumPy).

:func:`rolling_year_summary` answers for one period end; storing the figures of every
period end of thousands of series needs the same rules vectorised. This module applies
exactly the rules of :mod:`datasets.stats.rolling` and :mod:`datasets.stats.changes`:

* ``values[i]`` is the value of month ``first_month + i`` (a count or a measure); ``None``
  or NaN is a **gap**, never zero.
* The rolling year ending at index ``i`` is months ``i-11 … i``; its total is defined
  only when all 12 are inside the series and present (else NaN, reason
  ``"current_incomplete"``). The previous rolling year is ``i-23 … i-12`` (reason
  ``"previous_incomplete"``).
* ``change = total - previous``; ``pct_change = change × 100 / previous`` (a percentage),
  NaN with reason ``"base_zero"`` when the previous total is 0; ``change_per_day =
  change / days`` where ``days`` is the number of days of the *current* rolling year
  (365 or 366).
* ``small_numbers``: the previous total is defined and below ``small_number_threshold``.

For integer counts every figure equals the scalar functions' exactly (sums of integers
are exact in float64 below 2**53, and one IEEE division is correctly rounded); for
fractional measures they agree to floating-point rounding.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .changes import DEFAULT_SMALL_NUMBER_THRESHOLD

__all__ = ["RollingTable", "YearTable", "rolling_year_table", "year_table", "REASONS"]

#: ``RollingTable.reason`` codes → the reason strings of :class:`~.changes.Comparison`.
REASONS = ("", "current_incomplete", "previous_incomplete", "base_zero")


@dataclass(frozen=True)
class RollingTable:
    """One entry per period end (index ``i`` = month ``first_month + i``); NaN = undefined.

    ``reason`` holds indexes into :data:`REASONS` (0: percentage defined).
    """

    first_month: date
    latest: np.ndarray
    total: np.ndarray
    previous_total: np.ndarray
    change: np.ndarray
    pct_change: np.ndarray
    change_per_day: np.ndarray
    days: np.ndarray
    small_numbers: np.ndarray
    reason: np.ndarray

    def __len__(self) -> int:
        return len(self.latest)


def _as_float(values: Sequence[int | float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _window_sums(values: np.ndarray, lag: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum and gap count of the 12 months ending ``lag`` months before each index
    (NaN sum where the window leaves the series)."""
    n = len(values)
    gap = np.isnan(values)
    sums = np.concatenate([[0.0], np.cumsum(np.where(gap, 0.0, values))])
    gaps = np.concatenate([[0], np.cumsum(gap)])
    total = np.full(n, np.nan)
    missing = np.ones(n, dtype=bool)
    end = np.arange(n) - lag  # index of the window's last month
    ok = end - 11 >= 0
    e = end[ok]
    total[ok] = sums[e + 1] - sums[e - 11]
    missing[ok] = (gaps[e + 1] - gaps[e - 11]) > 0
    total[missing] = np.nan
    return total, missing


def _rolling_days(first_month: date, n: int) -> np.ndarray:
    """Days in the 12 months ending at each index (months before the series count too)."""
    months = [
        calendar.monthrange((first_month.year * 12 + first_month.month - 1 + k) // 12,
                            (first_month.month - 1 + k) % 12 + 1)[1]
        for k in range(-11, n)
    ]
    cum = np.concatenate([[0], np.cumsum(months)])
    idx = np.arange(n) + 11  # position of month i in ``months``
    return cum[idx + 1] - cum[idx - 11]


def rolling_year_table(
    values: Sequence[int | float | None],
    first_month: date,
    *,
    small_number_threshold: int | float = DEFAULT_SMALL_NUMBER_THRESHOLD,
) -> RollingTable:
    """Latest value, rolling year, previous rolling year and the change fields at every
    period end of a monthly series starting at ``first_month`` (rules: module docstring).
    An empty series gives an empty table."""
    v = _as_float(values)
    n = len(v)
    total, _ = _window_sums(v, 0)
    previous, _ = _window_sums(v, 12)
    days = _rolling_days(first_month, n) if n else np.empty(0, dtype=np.int64)
    both = ~np.isnan(total) & ~np.isnan(previous)
    change = np.where(both, total - previous, np.nan)
    base_ok = both & (previous != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(base_ok, change * 100.0 / np.where(base_ok, previous, 1.0), np.nan)
        per_day = np.where(both, change / days, np.nan)
    reason = np.zeros(n, dtype=np.int8)
    reason[both & (previous == 0)] = 3
    reason[~np.isnan(total) & np.isnan(previous)] = 2
    reason[np.isnan(total)] = 1
    small = ~np.isnan(previous) & (previous < small_number_threshold)
    return RollingTable(first_month, v, total, previous, change, pct, per_day, days, small,
                        reason)


@dataclass(frozen=True)
class YearTable:
    """Totals of whole years (financial: April–March; calendar: January–December) that a
    monthly series touches, each compared with the year before (rules as above: a year
    with a missing month has no total; NaN = undefined)."""

    start_year: np.ndarray  # the year each period starts in (2015 = April 2015–March 2016)
    months_present: np.ndarray
    total: np.ndarray
    previous_total: np.ndarray
    change: np.ndarray
    pct_change: np.ndarray
    change_per_day: np.ndarray
    small_numbers: np.ndarray
    reason: np.ndarray

    def __len__(self) -> int:
        return len(self.start_year)


def year_table(
    values: Sequence[int | float | None],
    first_month: date,
    *,
    first_calendar_month: int = 4,
    small_number_threshold: int | float = DEFAULT_SMALL_NUMBER_THRESHOLD,
) -> YearTable:
    """Financial years (``first_calendar_month=4``, the default) or calendar years (1) of
    a monthly series: every year that has at least one month inside the series."""
    v = _as_float(values)
    first_index = first_month.year * 12 + first_month.month - 1
    # pad the series out to whole years
    year_start = first_index - (first_month.month - first_calendar_month) % 12
    lead = first_index - year_start
    n_years = -(-(lead + len(v)) // 12) if len(v) else 0
    padded = np.full(n_years * 12, np.nan)
    padded[lead:lead + len(v)] = v
    blocks = padded.reshape(n_years, 12)
    present = (~np.isnan(blocks)).sum(axis=1)
    total = np.where(present == 12, np.nansum(blocks, axis=1), np.nan)
    previous = np.concatenate([[np.nan], total[:-1]]) if n_years else total
    starts = (year_start + 12 * np.arange(n_years)) // 12
    days = np.array([(date(y + 1, first_calendar_month, 1)
                      - date(y, first_calendar_month, 1)).days for y in starts.tolist()],
                    dtype=np.int64)
    both = ~np.isnan(total) & ~np.isnan(previous)
    change = np.where(both, total - previous, np.nan)
    base_ok = both & (previous != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(base_ok, change * 100.0 / np.where(base_ok, previous, 1.0), np.nan)
        per_day = np.where(both, change / days, np.nan)
    reason = np.zeros(n_years, dtype=np.int8)
    reason[both & (previous == 0)] = 3
    reason[~np.isnan(total) & np.isnan(previous)] = 2
    reason[np.isnan(total)] = 1
    small = ~np.isnan(previous) & (previous < small_number_threshold)
    return YearTable(starts.astype(np.int64), present, total, previous, change, pct, per_day,
                     small, reason)
