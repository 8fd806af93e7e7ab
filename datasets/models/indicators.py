from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smp.models import Partnership


class PeriodKind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    FINANCIAL_YEAR = "financial_year", "Financial year (April–March)"


class Improvement(models.TextChoices):
    """Which way is better for a series (the SPC chart's colours and assurance)."""

    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither (no better or worse direction)"


class IndicatorSeries(models.Model):
    """A named series of values supplied by a partner (needle finds per month, MARAC
    cases per year, survey percentages…). The single store of indicator values:
    uploads write here and so do leads entering values by hand; action-plan
    indicators point at a series."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicator_series"
    )
    name = models.CharField(max_length=250)
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. incidents, percent")
    period_kind = models.CharField(max_length=20, choices=PeriodKind.choices)
    description = models.TextField(blank=True)
    improvement = models.CharField(
        "direction of improvement", max_length=10, choices=Improvement.choices,
        default=Improvement.NEUTRAL,
        help_text="Colours the SPC chart: a special cause in this direction is an improvement.",
    )
    spc_target = models.DecimalField(
        "target per period", max_digits=14, decimal_places=4, null=True, blank=True,
        help_text="In the series' unit for one period (e.g. 83 needle finds a month); the "
        "chart then says whether the process passes, fails or hits and misses it.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "indicator series"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="indicator_series_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """One value of a series for one period. A missing period is a gap: no row,
    never a zero."""

    series = models.ForeignKey(IndicatorSeries, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    label = models.CharField(max_length=20, help_text="As printed: 2019-01, 2021, 2021-22")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["series", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period_start"], name="indicator_value_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="indicator_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.name} {self.label}: {self.value}"

    def clean(self) -> None:
        if self.period_end and self.period_start and self.period_end < self.period_start:
            raise ValidationError("A period cannot end before it starts.")
