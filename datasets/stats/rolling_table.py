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

A whole financial year (April–March) or calendar year is the rolling year ending with its
March or December, so the same table gives year-on-year figures.

For integer counts every figure equals the scalar functions' exactly (sums of integers
are exact in float64 below 2**53, and one IEEE division is correctly rounded); for
fractional measures they agree to floating-point rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from .changes import DEFAULT_SMALL_NUMBER_THRESHOLD

__all__ = ["RollingTable", "rolling_year_table", "REASONS"]

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


@lru_cache(maxsize=256)
def _rolling_days(first_month: date, n: int) -> np.ndarray:
    """Days in the 12 months ending at each index (months before the series count too).
    Cached: a recalculation asks for the same few (first month, length) pairs thousands
    of times; callers must not modify the array."""
    start = np.datetime64(f"{first_month.year:04d}-{first_month.month:02d}", "M") - 11
    months = start + np.arange(n + 12)
    days = np.diff(months.astype("datetime64[D]")).astype(np.int64)  # days of each month
    cum = np.concatenate([[0], np.cumsum(days)])
    idx = np.arange(n) + 11  # position of month i
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
