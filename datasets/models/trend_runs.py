"""Bookkeeping of trend recalculations: what an upload touched (the contract with
imports) and the status row of each recalculation job (polled by the trends page)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smp.models import Partnership


class TrendsTouched(models.Model):
    """What an upload changed, written by the import side through
    ``datasets.services.trends.trends_mark_touched`` and read by
    ``recalculate_for_upload``: the contract between imports and trends, so that the
    trend engine needs nothing from the Upload model. ``None`` id lists mean "all"."""

    upload_id = models.PositiveBigIntegerField(db_index=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, blank=True)
    month_from = models.DateField(null=True, blank=True)
    month_to = models.DateField(null=True, blank=True)
    area_ids = models.JSONField(null=True, blank=True)
    category_ids = models.JSONField(null=True, blank=True)
    indicator_ids = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "trends touched"

    def __str__(self) -> str:
        return f"upload {self.upload_id}: {self.source} {self.month_from}–{self.month_to}"


class RecalculationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class RecalculationRun(models.Model):
    """The status row of one recalculation job, polled by the trends page."""

    class Scope(models.TextChoices):
        ALL = "all", "Everything"
        UPLOAD = "upload", "After an upload"
        SERIES = "series", "One series"
        INDICATOR = "indicator", "One indicator"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    upload_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RecalculationStatus.choices, default=RecalculationStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (RecalculationStatus.QUEUED, RecalculationStatus.RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
