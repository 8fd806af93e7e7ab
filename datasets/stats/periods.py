"""Month arithmetic and reporting periods (rolling year, financial year, calendar year).

Conventions used throughout ``datasets.stats``:

* A **month** is a :class:`datetime.date` for the 1st of that month. Helpers accept any
  date and normalise it with :func:`month_start`; :func:`parse_month` reads ``"2015-09"``.
* A **period** is an inclusive range of whole months, ``Period(start, end)``: both ends are
  month starts and ``end >= start``. ``Period(date(2014, 10, 1), date(2015, 9, 1))`` is
  October 2014 to September 2015 (12 months, 365 days).
* A **financial year** runs April to March and is named by the calendar year it starts in:
  ``financial_year(2015)`` is April 2015 - March 2016 ("2015/16").
* A **rolling year** is the 12 months ending with (and including) a given end month.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

__all__ = [
    "Period",
    "month_start",
    "add_months",
    "months_between",
    "parse_month",
    "days_in_month",
    "rolling_year",
    "previous_rolling_year",
    "financial_year",
    "financial_year_of",
    "calendar_year",
]

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def month_start(day: date) -> date:
    """Return the 1st of the month containing ``day`` (a ``datetime`` is reduced to a date)."""
    return date(day.year, day.month, 1)


def add_months(month: date, count: int) -> date:
    """Return the month start ``count`` months after ``month`` (negative goes back)."""
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Number of whole months from ``start`` to ``end`` (0 when they are the same month)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def parse_month(text: str) -> date:
    """Parse ``"YYYY-MM"`` (or ``"YYYY-MM-DD"``, day ignored) into a month start.

    Raises ``ValueError`` for anything else or for a month outside 1-12.
    """
    match = _MONTH_RE.match(text)
    if not match:
        raise ValueError(f"not a month (expected YYYY-MM): {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range in {text!r}")
    return date(year, month, 1)


def days_in_month(month: date) -> int:
    """Number of days in the month containing ``month`` (28-31)."""
    return calendar.monthrange(month.year, month.month)[1]


@dataclass(frozen=True)
class Period:
    """An inclusive range of whole months, ``start`` to ``end`` (both month starts).

    Construction normalises both ends to month starts and raises ``ValueError`` when
    ``end`` is before ``start``.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        start, end = month_start(self.start), month_start(self.end)
        if end < start:
            raise ValueError(f"period ends ({end}) before it starts ({start})")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def month_count(self) -> int:
        """Number of months in the period, counting both ends (a rolling year is 12)."""
        return months_between(self.start, self.end) + 1

    @property
    def days(self) -> int:
        """Number of days from the 1st of ``start`` to the last day of ``end`` inclusive.

        365 for Oct 2014 - Sep 2015; 366 for any 12 months containing a 29 February.
        """
        last = date(self.end.year, self.end.month, days_in_month(self.end))
        return (last - self.start).days + 1

    def months(self) -> Iterator[date]:
        """Iterate over the month starts in the period, oldest first."""
        for offset in range(self.month_count):
            yield add_months(self.start, offset)

    def shifted(self, months: int) -> Period:
        """The same-length period moved by ``months`` (negative = earlier)."""
        return Period(add_months(self.start, months), add_months(self.end, months))

    def previous(self) -> Period:
        """The period of the same length immediately before this one."""
        return self.shifted(-self.month_count)

    @property
    def label(self) -> str:
        """Human label, e.g. ``"Oct 2014 - Sep 2015"`` or ``"Sep 2015"`` for one month."""
        first = self.start.strftime("%b %Y")
        if self.start == self.end:
            return first
        return f"{first} - {self.end.strftime('%b %Y')}"


def rolling_year(end_month: date) -> Period:
    """The 12 months ending with (and including) ``end_month``."""
    end = month_start(end_month)
    return Period(add_months(end, -11), end)


def previous_rolling_year(end_month: date) -> Period:
    """The 12 months before :func:`rolling_year` of ``end_month``."""
    return rolling_year(add_months(month_start(end_month), -12))


def financial_year(start_year: int) -> Period:
    """April ``start_year`` to March ``start_year + 1`` (e.g. 2015 -> "2015/16")."""
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 1))


def financial_year_of(day: date) -> int:
    """The start year of the financial year containing ``day`` (Jan-Mar belong to year-1)."""
    return day.year if day.month >= 4 else day.year - 1


def calendar_year(year: int) -> Period:
    """January to December of ``year``."""
    return Period(date(year, 1, 1), date(year, 12, 1))
