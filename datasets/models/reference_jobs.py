"""ReferenceJob: the background work a reference-data change needs, and its status
row (polled by the reference pages).

Moving an area to another parent (or a category to another group) changes what
every larger area (or group) counts, so the stored monthly counts of the
partnership are recounted from the stored records; then the trend statistics of
the series that changed are marked for recalculation. A population change needs
only the second step (rates per 1,000 use it).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from smp.models import Partnership

# A running job that has not reported progress for this long lost its worker.
JOB_STALE_AFTER = dt.timedelta(minutes=10)


class ReferenceJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed (can be retried)"


class ReferenceJob(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    description = models.CharField(max_length=300, help_text="What changed, in words.")
    recount = models.BooleanField(
        default=True, help_text="Recount the stored monthly counts from the stored records."
    )
    area_ids = models.JSONField(null=True, blank=True,
                                help_text="Areas whose statistics changed (None: all).")
    category_ids = models.JSONField(null=True, blank=True,
                                    help_text="Categories whose statistics changed (None: all).")
    status = models.CharField(max_length=10, choices=ReferenceJobStatus.choices,
                              default=ReferenceJobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.description} ({self.get_status_display()})"

    @property
    def is_stale(self) -> bool:
        if self.status != ReferenceJobStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return last is not None and timezone.now() - last > JOB_STALE_AFTER

    @property
    def is_active(self) -> bool:
        return self.status in (ReferenceJobStatus.QUEUED, ReferenceJobStatus.RUNNING) \
            and not self.is_stale

    @property
    def can_retry(self) -> bool:
        return self.status == ReferenceJobStatus.FAILED or self.is_stale

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0
