"""Stored trend results: one row per series (current figures and SPC chart) and one
per series and period end (headline figures kept as new months arrive).

Nothing here computes statistics: ``datasets.stats`` does (pure), the services in
``datasets.services.trends`` store the results, and pages only read these rows.

One ``TrendSeries`` row per series: a monthly count series (area × category ×
source) or an indicator series. The columns dashboards filter and sort on are real
columns (latest signal, % change, rate, rank); the SPC chart is stored compactly as
JSON (values, one signal letter and one rule bit-mask per point, and the centre line
and limits per segment), because storing 600,000 point rows would make a full
recalculation too slow (see bench/TRENDS.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from smp.models import Partnership

#: One letter per SPC point in ``TrendSeries.spc["signals"]``.
SIGNAL_CODES = {
    "-": None,
    "c": "common_cause",
    "i": "improvement",
    "x": "concern",
    "n": "neutral",
}
SIGNAL_LETTERS = {value: key for key, value in SIGNAL_CODES.items()}
#: Bit of each rule in ``TrendSeries.spc["rules"]`` (same order as datasets.stats).
RULE_BITS = ("outside_limits", "shift", "trend", "two_in_three")

SIGNAL_LABELS = {
    "common_cause": "Common cause variation",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither better nor worse",
}


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


class TrendKind(models.TextChoices):
    COUNT = "count", "Monthly count"
    INDICATOR = "indicator", "Indicator"


class TrendSeriesQuerySet(models.QuerySet):
    def counts(self) -> TrendSeriesQuerySet:
        return self.filter(kind=TrendKind.COUNT)

    def with_data(self) -> TrendSeriesQuerySet:
        return self.filter(n_points__gt=0)

    def special_cause(self) -> TrendSeriesQuerySet:
        """Series whose latest point is special cause (improvement/concern/neutral)."""
        return self.filter(latest_signal__in=["improvement", "concern", "neutral"])


class TrendSeries(models.Model):
    """The stored statistics of one series at its latest period end.

    ``key`` identifies the series across recalculations: ``c:<source>:<area>:<category>``
    for counts, ``i:<indicator series id>`` for indicators. ``fingerprint`` hashes
    every input (values, confirmed step changes, population, options), so a
    recalculation skips a series whose inputs did not change.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=TrendKind.choices)
    source = models.CharField(max_length=20, blank=True)
    area = models.ForeignKey(
        "datasets.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area_level = models.CharField(max_length=10, blank=True)
    category = models.ForeignKey(
        "datasets.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        "datasets.IndicatorSeries", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    label = models.CharField(max_length=300)
    improvement = models.CharField(max_length=10, default="neutral")
    step_months = models.PositiveSmallIntegerField(
        default=1, help_text="Months between points: 1 monthly, 3 quarterly, 12 yearly."
    )

    first_month = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True, help_text="Latest month (period end)")
    n_points = models.PositiveIntegerField(default=0)

    # Rolling figures at period_end (None when a total is incomplete).
    latest_value = models.FloatField(null=True, blank=True)
    rolling_total = models.FloatField(null=True, blank=True)
    previous_total = models.FloatField(null=True, blank=True)
    change = models.FloatField(null=True, blank=True)
    pct_change = models.FloatField(
        null=True, blank=True, help_text="None when the base is 0 or a year is incomplete."
    )
    pct_change_reason = models.CharField(max_length=30, blank=True)
    change_per_day = models.FloatField(null=True, blank=True)
    small_numbers = models.BooleanField(default=False)

    # Rate per 1,000 and rank within areas of the same level (same source, category).
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveIntegerField(null=True, blank=True)
    rate = models.FloatField(null=True, blank=True)
    previous_rate = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    rank_of = models.PositiveIntegerField(null=True, blank=True)
    rank_change = models.IntegerField(
        null=True, blank=True, help_text="Previous rank − rank: +3 climbed three places."
    )

    # SPC summary and compact chart.
    latest_signal = models.CharField(max_length=15, blank=True)
    variation_icon = models.CharField(max_length=20, blank=True)
    assurance = models.CharField(max_length=12, blank=True)
    spc = models.JSONField(default=dict)

    fingerprint = models.CharField(max_length=64, blank=True)
    calculated_at = models.DateTimeField(null=True, blank=True)

    objects = TrendSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        verbose_name_plural = "trend series"
        indexes = [
            models.Index(fields=["partnership", "kind", "source", "area_level", "category"]),
        ]

    def __str__(self) -> str:
        return self.label

    @staticmethod
    def count_key(source: str, area_id: int, category_id: int) -> str:
        return f"c:{source}:{area_id}:{category_id}"

    @staticmethod
    def indicator_key(indicator_id: int) -> str:
        return f"i:{indicator_id}"

    def month_at(self, index: int) -> dt.date | None:
        if self.first_month is None:
            return None
        return add_months(self.first_month, index * self.step_months)

    def index_of(self, month: dt.date) -> int | None:
        """0-based index of ``month`` in the stored SPC chart, None if not a point."""
        if self.first_month is None:
            return None
        months = (month.year - self.first_month.year) * 12 + month.month - self.first_month.month
        if months < 0 or months % self.step_months:
            return None
        index = months // self.step_months
        return index if index < self.n_points else None

    def spc_points(self) -> list[dict[str, Any]]:
        """The stored chart expanded to one dict per point (month, value, lines, signal,
        rules). Limits are unfloored; ``None`` where they could not be computed."""
        spc = self.spc or {}
        values = spc.get("values", [])
        signals = spc.get("signals", "")
        rules = spc.get("rules", [])
        points = []
        for seg_no, seg in enumerate(spc.get("segments", [])):
            start, end, mean, lower, upper, lower_2s, upper_2s = seg[:7]
            for i in range(start, end + 1):
                points.append(
                    {
                        "index": i,
                        "month": self.month_at(i),
                        "value": values[i],
                        "mean": mean,
                        "lower": lower,
                        "upper": upper,
                        "lower_2s": lower_2s,
                        "upper_2s": upper_2s,
                        "signal": SIGNAL_CODES[signals[i]],
                        "rules": {n for bit, n in enumerate(RULE_BITS) if rules[i] >> bit & 1},
                        "segment": seg_no,
                    }
                )
        return points

    def monthly_values(self) -> dict[dt.date, float | int | None]:
        """The stored chart values by month (a gap is None): input for the pure
        comparisons of :mod:`datasets.stats.rolling`."""
        values = (self.spc or {}).get("values", [])
        return {self.month_at(i): v for i, v in enumerate(values)}

    def segments(self) -> list[dict[str, Any]]:
        keys = ("start", "end", "mean", "lower", "upper", "lower_2s", "upper_2s")
        stored = (self.spc or {}).get("segments", [])
        return [dict(zip(keys, seg[:7], strict=True)) for seg in stored]

    @property
    def latest_signal_label(self) -> str:
        return SIGNAL_LABELS.get(self.latest_signal, "Not enough data")


class TrendPeriodResult(models.Model):
    """The figures of one series at one period end, so a paper can quote "the rolling
    year ending September 2015" and a dashboard can show any quarter without computing.

    Kept for every point of a quarterly or yearly series and, for a monthly series, at
    each quarter end (March, June, September, December) and the latest month. Rewritten
    from the data as it stands whenever the period end's months change (a restated month
    changes the period ends it falls in); the latest row equals the series' current
    columns. A point's SPC signal depends on the whole chart, so it is read from the
    series' stored chart (``TrendSeries.spc``), not kept here."""

    series = models.ForeignKey(TrendSeries, on_delete=models.CASCADE, related_name="periods")
    period_end = models.DateField()
    latest_value = models.FloatField(null=True, blank=True)
    rolling_total = models.FloatField(null=True, blank=True)
    previous_total = models.FloatField(null=True, blank=True)
    change = models.FloatField(null=True, blank=True)
    pct_change = models.FloatField(null=True, blank=True)
    pct_change_reason = models.CharField(max_length=30, blank=True)
    change_per_day = models.FloatField(null=True, blank=True)
    small_numbers = models.BooleanField(default=False)
    population_year = models.PositiveIntegerField(null=True, blank=True)
    rate = models.FloatField(null=True, blank=True)
    previous_rate = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    rank_of = models.PositiveIntegerField(null=True, blank=True)
    rank_change = models.IntegerField(
        null=True, blank=True, help_text="Previous rank − rank: +3 climbed three places."
    )
    calculated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["series", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period_end"], name="trend_period_result_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} at {self.period_end:%b %Y}"
