"""Period totals and comparisons: rolling year, financial year, calendar year, custom pairs.

Input series
    A monthly series is a mapping ``{month: value}``; ``month`` is a :class:`datetime.date`
    (normally the 1st of the month: other days are normalised to the 1st, and two keys in
    the same month raise ``ValueError``); ``value`` is an ``int`` or ``float`` count for that
    month. A month that is absent, ``None`` or NaN is a **gap**: it is never treated as zero.

Missing months (decision)
    A period total is only defined when every month of the period is present. When any
    month is missing, :class:`PeriodTotal` has ``total=None``, ``complete=False``, the list
    of ``months_missing`` and, for information only, ``partial_total`` (the sum of the
    months that are present). A :class:`Comparison` whose current or previous total is
    undefined has ``change``, ``pct_change`` and ``change_per_day`` set to ``None`` and says
    why in ``change_undefined_reason`` (``"current_incomplete"`` / ``"previous_incomplete"``).

Change fields (all in the series' own unit, e.g. crimes)
    * ``change`` = current total - previous total.
    * ``pct_change`` = change / previous total x 100 (a percentage, not a fraction); ``None``
      with ``pct_change_undefined_reason="base_zero"`` when the previous total is 0 (no
      division by zero, ever).
    * ``change_per_day`` = change / number of days in the *current* period (365 or 366 for
      a rolling year): 9,178 vs 9,410 -> -232 / 365 = -0.636 -> "0.64 fewer crimes per day".
    * ``small_numbers`` is True when the previous total (the base) is below
      ``small_number_threshold`` (default 20), so a +100% on 3 -> 6 is flagged.

Display: ``Comparison.pct_text()`` and ``per_day_text()`` round half away from zero from
the exact rational value (see :mod:`datasets.stats.formatting`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .changes import DEFAULT_SMALL_NUMBER_THRESHOLD, Comparison, PeriodTotal, compare_totals
from .formatting import format_pct, per_day_phrase
from .periods import (
    Period,
    calendar_year,
    financial_year,
    month_start,
    previous_rolling_year,
    rolling_year,
)

__all__ = [
    "MonthlySeries",
    "DEFAULT_SMALL_NUMBER_THRESHOLD",
    "PeriodTotal",
    "Comparison",
    "RollingYearSummary",
    "normalise_series",
    "period_total",
    "compare_totals",
    "compare_periods",
    "rolling_year_summary",
    "financial_year_total",
    "calendar_year_total",
    "compare_financial_years",
    "compare_calendar_years",
    "latest_month",
    "month_values",
    "format_pct",
    "per_day_phrase",
]

#: ``{month start: count}``; a missing key, ``None`` or NaN value is a gap (never zero).
MonthlySeries = Mapping[date, int | float | None]

PeriodLike = Period | tuple[date, date]


def _is_gap(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def normalise_series(series: MonthlySeries) -> dict[date, int | float]:
    """Return ``series`` keyed by month start with gaps (``None``/NaN) dropped.

    Raises ``ValueError`` when two keys fall in the same month.
    """
    result: dict[date, int | float] = {}
    seen: set[date] = set()
    for key, value in series.items():
        month = month_start(key)
        if month in seen:
            raise ValueError(f"more than one value for month {month:%Y-%m}")
        seen.add(month)
        if value is not None and not _is_gap(value):
            result[month] = value
    return result


def _as_period(period: PeriodLike) -> Period:
    if isinstance(period, Period):
        return period
    start, end = period
    return Period(start, end)


def period_total(series: MonthlySeries, period: PeriodLike) -> PeriodTotal:
    """Total ``series`` over ``period`` (a :class:`Period` or ``(start, end)`` months).

    ``total`` is ``None`` if any month is missing; see :class:`PeriodTotal`.
    """
    span = _as_period(period)
    data = normalise_series(series)
    present: list[int | float] = []
    missing: list[date] = []
    for month in span.months():
        if month in data:
            present.append(data[month])
        else:
            missing.append(month)
    partial = sum(present) if present else 0
    total = None if missing else partial
    return PeriodTotal(span, total, partial, span.month_count, len(present), tuple(missing))


def compare_periods(
    series: MonthlySeries,
    current: PeriodLike,
    previous: PeriodLike,
    *,
    small_number_threshold: int | float = DEFAULT_SMALL_NUMBER_THRESHOLD,
) -> Comparison:
    """Compare any two user-chosen periods of one series (current vs previous).

    The periods may differ in length; ``change_per_day`` divides by the days of
    ``current``. Incomplete periods give undefined change fields (module docstring).
    """
    cur = period_total(series, current)
    prev = period_total(series, previous)
    return compare_totals(
        cur.total,
        prev.total,
        cur.period.days,
        small_number_threshold=small_number_threshold,
        current=cur,
        previous=prev,
    )


@dataclass(frozen=True)
class RollingYearSummary:
    """Latest month plus rolling year vs previous rolling year for one series.

    ``latest_value`` is the value of ``end_month`` (``None`` when that month is missing).
    ``comparison`` holds the rolling-year totals and change fields; the properties below
    forward the most used ones.
    """

    end_month: date
    latest_value: int | float | None
    comparison: Comparison

    @property
    def total(self) -> int | float | None:
        """Rolling 12-month total ending with ``end_month`` (``None`` if incomplete)."""
        return self.comparison.current_total

    @property
    def previous_total(self) -> int | float | None:
        """The 12 months before that (``None`` if incomplete)."""
        return self.comparison.previous_total

    @property
    def change(self) -> int | float | None:
        """``total - previous_total``."""
        return self.comparison.change

    @property
    def pct_change(self) -> float | None:
        """Percentage change; ``None`` when the base is 0 or a total is incomplete."""
        return self.comparison.pct_change

    @property
    def change_per_day(self) -> float | None:
        """Change divided by the days in the latest rolling year."""
        return self.comparison.change_per_day

    @property
    def small_numbers(self) -> bool:
        """True when the previous total is below the small-number threshold."""
        return self.comparison.small_numbers

    @property
    def complete(self) -> bool:
        """True when both rolling years have all 12 months."""
        return self.comparison.comparable


def rolling_year_summary(
    series: MonthlySeries,
    end_month: date,
    *,
    small_number_threshold: int | float = DEFAULT_SMALL_NUMBER_THRESHOLD,
) -> RollingYearSummary:
    """Latest month, rolling year ending ``end_month`` and the previous rolling year.

    Example: end month Sep 2015 compares Oct 2014-Sep 2015 with Oct 2013-Sep 2014.
    """
    end = month_start(end_month)
    data = normalise_series(series)
    comparison = compare_periods(
        data,
        rolling_year(end),
        previous_rolling_year(end),
        small_number_threshold=small_number_threshold,
    )
    return RollingYearSummary(end, data.get(end), comparison)


def financial_year_total(series: MonthlySeries, start_year: int) -> PeriodTotal:
    """Total for the financial year April ``start_year`` - March ``start_year + 1``."""
    return period_total(series, financial_year(start_year))


def calendar_year_total(series: MonthlySeries, year: int) -> PeriodTotal:
    """Total for January - December of ``year``."""
    return period_total(series, calendar_year(year))


def compare_financial_years(
    series: MonthlySeries,
    start_year: int,
    *,
    previous_start_year: int | None = None,
    small_number_threshold: int | float = DEFAULT_SMALL_NUMBER_THRESHOLD,
) -> Comparison:
    """Financial year ``start_year`` against ``previous_start_year`` (default: the year before)."""
    previous = start_year - 1 if previous_start_year is None else previous_start_year
    return compare_periods(
        series,
        financial_year(start_year),
        financial_year(previous),
        small_number_threshold=small_number_threshold,
    )


def compare_calendar_years(
    series: MonthlySeries,
    year: int,
    *,
    previous_year: int | None = None,
    small_number_threshold: int | float = DEFAULT_SMALL_NUMBER_THRESHOLD,
) -> Comparison:
    """Calendar year ``year`` against ``previous_year`` (default: the year before)."""
    previous = year - 1 if previous_year is None else previous_year
    return compare_periods(
        series,
        calendar_year(year),
        calendar_year(previous),
        small_number_threshold=small_number_threshold,
    )


def latest_month(series: MonthlySeries) -> date | None:
    """The most recent month with a value in ``series`` (``None`` for an empty series)."""
    data = normalise_series(series)
    return max(data) if data else None


def month_values(series: MonthlySeries, period: PeriodLike) -> list[int | float | None]:
    """The values of ``series`` for each month of ``period``, ``None`` for gaps.

    Handy for feeding an SPC chart: ``xmr(month_values(series, Period(first, last)))``.
    """
    span = _as_period(period)
    data = normalise_series(series)
    return [data.get(month) for month in span.months()]
