"""A priority's status for each plan year."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from priorities.models.plans import year_label
from priorities.models.priorities import Priority


class StatusChoice(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    EXCEEDING = "exceeding", "Exceeding expectations"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETED = "completed", "Completed"


class PriorityStatus(models.Model):
    """A co-chair's judgement of a priority for one plan year."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="statuses")
    year = models.PositiveIntegerField(help_text="Plan year by its start, e.g. 2023 for 2023–24")
    status = models.CharField(max_length=20, choices=StatusChoice.choices)
    commentary = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = "priority statuses"
        constraints = [
            models.UniqueConstraint(fields=["priority", "year"], name="priority_status_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {year_label(self.year)}: {self.get_status_display()}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    def clean(self) -> None:
        if not self.priority_id:
            return
        priority = self.priority
        if self.year not in priority.plan.years:
            raise ValidationError(
                {"year": f"{year_label(self.year)} is outside {priority.plan.label}."}
            )
        if not priority.runs_in(self.year):
            raise ValidationError(
                {"year": f"“{priority.title}” does not run in {year_label(self.year)}."}
            )
