"""Upload: the job's record of truth for one file an officer sent.

The row is written outside the data transaction, so its status and progress stay
visible while the data is being written, and survive a failed import.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from smp.models import Partnership

# An import that has not reported progress for this long is presumed dead (its
# worker was killed): shown as failed and offered for retry, and marked failed by
# the periodic sweep (``datasets.tasks.fail_stale_uploads``).
STALE_AFTER = dt.timedelta(minutes=10)


class UploadKind(models.TextChoices):
    POLICE_UK = "police_uk", "police.uk street-level CSV"
    AGGREGATE = "aggregate", "Aggregated extract (category × area × month)"
    INDICATORS = "indicators", "Indicator values"


class UploadStatus(models.TextChoices):
    PENDING = "pending", "Queued"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    REJECTED = "rejected", "Rejected (errors in the file)"
    FAILED = "failed", "Failed (can be retried)"
    ROLLED_BACK = "rolled_back", "Rolled back"


def stale_condition(now: dt.datetime | None = None) -> Q:
    """Running, and the last sign of life (heartbeat, else start, else creation) is
    older than ``STALE_AFTER``. A plain condition, so an UPDATE can re-check it."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return Q(status=UploadStatus.RUNNING) & (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )


class UploadQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership) -> UploadQuerySet:
        return self.filter(partnership=partnership)

    def current(self) -> UploadQuerySet:
        """Uploads whose data is in force (imported and not rolled back)."""
        return self.filter(status=UploadStatus.SUCCEEDED)

    def stale(self, now: dt.datetime | None = None) -> UploadQuerySet:
        """Running, but silent for longer than ``STALE_AFTER``: the worker died (the
        same rule as ``Upload.is_stale``)."""
        return self.filter(stale_condition(now))

    def shown_as(self, status: str, now: dt.datetime | None = None) -> UploadQuerySet:
        """Uploads whose *shown* status is ``status``: a stale running upload is shown
        (and filtered) as failed even before the sweep has marked it."""
        stale = stale_condition(now)
        if status == UploadStatus.FAILED:
            return self.filter(Q(status=UploadStatus.FAILED) | stale)
        if status == UploadStatus.RUNNING:
            return self.filter(status=UploadStatus.RUNNING).exclude(stale)
        return self.filter(status=status)


class Upload(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=20, choices=UploadKind.choices)
    file = models.FileField(upload_to="uploads/", max_length=200)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    series_name = models.CharField(
        max_length=250, blank=True,
        help_text="Indicator files with two columns (month, value): the series name.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    status = models.CharField(
        max_length=20, choices=UploadStatus.choices, default=UploadStatus.PENDING
    )
    stage = models.CharField(max_length=100, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_estimated = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)
    error = models.TextField(blank=True, help_text="Why the import failed (not file errors).")

    errors = models.JSONField(default=list, blank=True, help_text="The first 200 file errors.")
    error_count = models.PositiveIntegerField(default=0)
    error_report = models.FileField(upload_to="reports/", max_length=200, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)

    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    objects = UploadQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["rows_read", "percent", "heartbeat_at", "stage"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name} ({self.get_status_display()})"

    @property
    def is_stale(self) -> bool:
        """Running, but silent for too long: its worker died."""
        if self.status != UploadStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return last is not None and timezone.now() - last > STALE_AFTER

    @property
    def is_finished(self) -> bool:
        return self.status in {
            UploadStatus.SUCCEEDED, UploadStatus.REJECTED, UploadStatus.FAILED,
            UploadStatus.ROLLED_BACK,
        }

    @property
    def shown_status(self) -> str:
        return UploadStatus.FAILED if self.is_stale else self.status

    @property
    def can_retry(self) -> bool:
        return self.status == UploadStatus.FAILED or self.is_stale

    @property
    def can_roll_back(self) -> bool:
        return self.status == UploadStatus.SUCCEEDED
