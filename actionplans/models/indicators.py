from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from actionplans import targets
from actionplans.models.plans import ActionPlan, Outcome
from datasets.models import Area, Category, IndicatorSeries, PeriodKind, Source


class IndicatorKind(models.TextChoices):
    POPULATION = "population", "Population indicator"
    HOW_MUCH = "how_much", "Performance: how much did we do?"
    HOW_WELL = "how_well", "Performance: how well did we do it?"
    BETTER_OFF = "better_off", "Performance: is anyone better off?"


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", "Manual entry"
    SERIES = "series", "Uploaded indicator series"
    CRIME = "crime", "Crime series (category and area)"


class Direction(models.TextChoices):
    UP = targets.Direction.UP.value, "Up is better"
    DOWN = targets.Direction.DOWN.value, "Down is better"
    NEITHER = targets.Direction.NEITHER.value, "Neither"


class Indicator(models.Model):
    """How do we measure it. Values live in ``datasets`` (IndicatorValue rows of
    ``series``, or MonthlyCount rows for a crime series); a missing period is a gap."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=250)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. finds, percent")
    kind = models.CharField(max_length=12, choices=IndicatorKind.choices)
    source = models.CharField(max_length=8, choices=IndicatorSource.choices)
    series = models.ForeignKey(
        IndicatorSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    crime_source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    frequency = models.CharField(
        max_length=20, choices=PeriodKind.choices,
        help_text="How often it is reported. Monthly values are summed per year when the "
        "frequency is a year.",
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_period = models.CharField(max_length=20, blank=True, help_text="e.g. 2021 or 2021-22")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.source == IndicatorSource.SERIES and not self.series_id:
            errors["series"] = "Choose the indicator series."
        if self.source == IndicatorSource.CRIME:
            for name in ("category", "area", "crime_source"):
                if not getattr(self, name + ("_id" if name != "crime_source" else "")):
                    errors[name] = "Required for a crime series."
        series_kind = self.series.period_kind if self.series_id else None
        if series_kind and series_kind != "month" and series_kind != self.frequency:
            errors["frequency"] = (
                f"The series holds {self.series.get_period_kind_display().lower()} values; "
                "use that frequency (only monthly values can be summed into longer periods)."
            )
        if (self.baseline_value is None) != (not self.baseline_period):
            errors["baseline_period"] = "Give both the baseline value and its period, or neither."
        if self.pk and self.direction in targets.DIRECTION_LABELS:
            for target in self.targets.all():
                problem = targets.contradiction(self.direction, target.comparator)
                if problem:
                    errors["direction"] = f"The target {problem} Change the target first."
                    break
        if errors:
            raise ValidationError(errors)

    @property
    def is_manual(self) -> bool:
        return self.source == IndicatorSource.MANUAL


class Target(models.Model):
    """A target for one period (``period_start``) or for every period (blank)."""

    COMPARATOR_CHOICES = [(c.value, label) for c, label in targets.COMPARATOR_LABELS.items()]

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField(
        null=True, blank=True, help_text="First day of the period; blank: every period."
    )
    comparator = models.CharField(max_length=10, choices=COMPARATOR_CHOICES)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="target_per_period"
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def clean(self) -> None:
        if self.comparator not in targets.COMPARATOR_LABELS:
            return  # clean_fields reports the unknown choice
        if self.indicator_id and self.indicator.direction in targets.DIRECTION_LABELS:
            problem = targets.contradiction(self.indicator.direction, self.comparator)
            if problem:
                raise ValidationError({"comparator": problem})
        relative = targets.Comparator(self.comparator) in targets.RELATIVE
        if relative and self.value is not None:
            raise ValidationError({"value": "A change on the previous period takes no value."})
        if not relative and self.value is None:
            raise ValidationError({"value": "Give the target value."})
        clash = Target.objects.filter(
            indicator_id=self.indicator_id, period_start=self.period_start
        ).exclude(pk=self.pk)
        if self.indicator_id and clash.exists():
            raise ValidationError({"period_start": "This period already has a target."})

    def describe(self, unit: str = "") -> str:
        label = targets.COMPARATOR_LABELS[targets.Comparator(self.comparator)]
        if self.value is None:
            return label
        number = f"{self.value.normalize():,f}"
        return f"{label} {number}{' ' + unit if unit else ''}"
