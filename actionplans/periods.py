"""Reporting periods (month, quarter, calendar year, financial year): pure Python.

A period is identified by its first day; labels follow the partnership's papers
(2019-01, 2021 Q2, 2021, 2021-22).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTH, QUARTER = "month", "quarter"
CALENDAR_YEAR, FINANCIAL_YEAR = "calendar_year", "financial_year"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str


def _month_end(day: dt.date) -> dt.date:
    nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def containing(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind == MONTH:
        start = day.replace(day=1)
        return Period(start, _month_end(start), f"{start:%Y-%m}")
    if kind == QUARTER:
        first = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first, 1)
        end = _month_end(dt.date(day.year, first + 2, 1))
        return Period(start, end, f"{day.year} Q{(first - 1) // 3 + 1}")
    if kind == CALENDAR_YEAR:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), str(day.year))
    if kind == FINANCIAL_YEAR:
        year = day.year if day.month >= 4 else day.year - 1
        return Period(
            dt.date(year, 4, 1), dt.date(year + 1, 3, 31), f"{year}-{(year + 1) % 100:02d}"
        )
    raise ValueError(f"Unknown period kind {kind!r}")


def previous(kind: str, period: Period) -> Period:
    return containing(kind, period.start - dt.timedelta(days=1))


def last_closed(kind: str, today: dt.date) -> Period:
    """The most recent period of ``kind`` that has fully ended before ``today``."""
    return previous(kind, containing(kind, today))


def recent(kind: str, today: dt.date, count: int) -> list[Period]:
    """The ``count`` most recent periods up to and including the current one, newest first."""
    periods = [containing(kind, today)]
    while len(periods) < count:
        periods.append(previous(kind, periods[-1]))
    return periods


def span(kind: str, newest: dt.date, oldest: dt.date) -> list[Period]:
    """Every period of ``kind`` from the one containing ``newest`` back to the one
    containing ``oldest``, newest first (empty when ``oldest`` is after ``newest``)."""
    out, cursor = [], containing(kind, newest)
    while cursor.end >= oldest:
        out.append(cursor)
        cursor = previous(kind, cursor)
    return out


def months_in(period: Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
