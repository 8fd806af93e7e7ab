"""Analysts' decisions about trend series: step changes (rebases), annotations shown
on charts, and the chart kind (XmR, or a c-chart for rare counts). Every write is
audited (django-simple-history)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from datasets.models.trends import TrendSeries
from smp.models import Partnership


class StepChangeStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class StepChangeQuerySet(models.QuerySet):
    def confirmed(self) -> StepChangeQuerySet:
        return self.filter(status=StepChangeStatus.CONFIRMED)

    def pending(self) -> StepChangeQuerySet:
        return self.filter(status=StepChangeStatus.SUGGESTED)


class StepChange(models.Model):
    """A step change (rebase) of one series at ``month``: the SPC centre line and
    limits are recalculated from that point. Suggested by a recalculation when a
    shift starts there; an officer confirms it (with the reason, e.g. "April 2017
    recording change") or rejects it. Confirmed ones are passed as ``rebase_at`` to
    every later recalculation; a rejected one is not suggested again."""

    series = models.ForeignKey(TrendSeries, on_delete=models.CASCADE, related_name="step_changes")
    month = models.DateField()
    status = models.CharField(
        max_length=10, choices=StepChangeStatus.choices, default=StepChangeStatus.SUGGESTED
    )
    suggested_reason = models.CharField(max_length=200, blank=True)
    reason = models.CharField(
        max_length=300, blank=True, help_text="Why it was confirmed or rejected."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StepChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["series", "month"]
        constraints = [
            models.UniqueConstraint(fields=["series", "month"], name="step_change_unique_month"),
            models.CheckConstraint(
                condition=Q(status="suggested") | ~Q(reason=""),
                name="step_change_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} from {self.month:%b %Y} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.status != StepChangeStatus.SUGGESTED and not self.reason.strip():
            raise ValidationError({"reason": "Say why the step change is confirmed or rejected."})


class SeriesAnnotation(models.Model):
    """A note shown on charts at ``month``, e.g. "April 2017 recording change".
    Without a series it applies to every series of the partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(
        TrendSeries, on_delete=models.CASCADE, null=True, blank=True, related_name="annotations"
    )
    month = models.DateField(help_text="First day of the month")
    text = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "pk"]

    def __str__(self) -> str:
        return f"{self.month:%b %Y}: {self.text}"

    def clean(self) -> None:
        if self.series_id and self.series.partnership_id != self.partnership_id:
            raise ValidationError({"series": "The series belongs to another partnership."})


class ChartKind(models.TextChoices):
    XMR = "xmr", "XmR chart (individuals and moving range)"
    C = "c", "c-chart (rare counts: limits at the mean ± 3√mean)"


class SeriesChart(models.Model):
    """An analyst's choice of chart for one series; without a row the series gets an
    XmR chart. Used by every later recalculation (it is part of the fingerprint)."""

    series = models.OneToOneField(TrendSeries, on_delete=models.CASCADE, related_name="chart")
    kind = models.CharField(max_length=5, choices=ChartKind.choices, default=ChartKind.XMR)
    reason = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.series}: {self.get_kind_display()}"
