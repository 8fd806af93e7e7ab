"""Plan periods and plan years.

Plan years are financial years (April–March) named by the year they start in:
2022 means 2022–23. A plan period "2022–25" has start_year 2022 and end_year
2024, its last plan year.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smp.models import Partnership


def current_plan_year(today: dt.date | None = None) -> int:
    """The financial year (April–March) that ``today`` falls in, by its start year."""
    today = today or dt.date.today()
    return today.year if today.month >= 4 else today.year - 1


def year_label(year: int) -> str:
    """2022 -> '2022–23'."""
    return f"{year}–{(year + 1) % 100:02d}"


def current_plan(plans: list[PlanPeriod], year: int) -> PlanPeriod | None:
    """See :meth:`PlanPeriodQuerySet.current`; chosen among ``plans`` already fetched."""
    newest_first = sorted(plans, key=lambda p: (-p.start_year, p.title))
    return (
        next((p for p in newest_first if p.start_year <= year <= p.end_year), None)
        or next((p for p in newest_first if p.start_year <= year), None)
        or (newest_first[-1] if newest_first else None)
    )


class PlanPeriodQuerySet(models.QuerySet):
    def published(self) -> PlanPeriodQuerySet:
        return self.filter(is_published=True)

    def covering(self, year: int) -> PlanPeriodQuerySet:
        return self.filter(start_year__lte=year, end_year__gte=year)

    def current(self, year: int | None = None) -> PlanPeriod | None:
        """The plan to show first in ``year`` (default: this plan year): the newest plan
        covering it, else the newest that has already started (the partnership is
        between plans), else the soonest future one; None when there is no plan."""
        return current_plan(list(self), current_plan_year() if year is None else year)


class PlanPeriod(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="plan_periods"
    )
    title = models.CharField(max_length=200)
    start_year = models.PositiveIntegerField(help_text="First plan year, e.g. 2022 for 2022–23")
    end_year = models.PositiveIntegerField(help_text="Last plan year, e.g. 2024 for 2024–25")
    is_published = models.BooleanField(
        default=False, help_text="Published plans are visible to committee members."
    )

    objects = PlanPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="plan_unique_title"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def label(self) -> str:
        return f"{self.start_year}–{(self.end_year + 1) % 100:02d}"

    def year_shown(self, year: int | None = None) -> int:
        """``year`` (default: this plan year) brought within the plan: a past plan is
        shown as in its last year, a future one as in its first."""
        year = current_plan_year() if year is None else year
        return min(max(year, self.start_year), self.end_year)
