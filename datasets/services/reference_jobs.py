"""Background work after a reference-data change (see ``datasets.models.ReferenceJob``):
recount the stored monthly counts from the stored records, then mark the trends
touched so the trend engine recalculates the series that changed.

The recount goes a year of months at a time, each year in its own transaction under
the partnership lock (the lock imports take), so the status row shows progress and
an upload can run between two years. Counts of months not recounted yet still
follow the old hierarchy; a retry recounts every month again, so a failed job
leaves nothing a retry cannot put right.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from datasets.models import (
    MonthlyCount,
    ReferenceJob,
    ReferenceJobStatus,
    Source,
    UploadMonth,
)
from datasets.models.reference_jobs import JOB_STALE_AFTER
from datasets.services.counts import counts_replace
from datasets.services.writers import current_counts
from smp.models import Partnership

log = logging.getLogger(__name__)
MONTHS_PER_STEP = 12
# ``TrendsTouched`` is keyed by upload id; reference jobs use ids from 2**62 up so
# they can never be mistaken for an upload's.
TRENDS_KEY_OFFSET = 1 << 62
COUNTED_SOURCES = (Source.POLICE_UK, Source.AGGREGATE)


def trends_key(job: ReferenceJob) -> int:
    return TRENDS_KEY_OFFSET + job.pk


def reference_job_request(*, partnership: Partnership, description: str, recount: bool,
                          area_ids: Iterable[int] | None = None,
                          category_ids: Iterable[int] | None = None,
                          user=None) -> ReferenceJob | None:
    """Queue the work (on commit) if the partnership has stored counts at all;
    None when there is nothing to recount or recalculate."""
    if not MonthlyCount.objects.filter(partnership=partnership).exists():
        return None
    job = ReferenceJob.objects.create(
        partnership=partnership, description=description[:300], recount=recount,
        area_ids=sorted(set(area_ids)) if area_ids is not None else None,
        category_ids=sorted(set(category_ids)) if category_ids is not None else None,
        requested_by=user, message="Waiting for a worker…",
    )
    _enqueue(job)
    return job


def _enqueue(job: ReferenceJob) -> None:
    from datasets.tasks import run_reference_job

    transaction.on_commit(lambda: run_reference_job.delay(job.pk))


def _stale(now=None) -> Q:
    cutoff = (now or timezone.now()) - JOB_STALE_AFTER
    return Q(status=ReferenceJobStatus.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff))


def reference_job_run(*, job: ReferenceJob) -> ReferenceJob:
    """Recount (if asked), then mark the trends touched. A queued job, or a running
    one whose worker died, is taken; anything else is left alone (redelivery)."""
    now = timezone.now()
    taken = ReferenceJob.objects.filter(Q(status=ReferenceJobStatus.QUEUED) | _stale(now),
                                        pk=job.pk).update(
        status=ReferenceJobStatus.RUNNING, started_at=now, heartbeat_at=now, done=0, error="",
        attempts=F("attempts") + 1, message="Recounting…" if job.recount else "Recalculating…",
    )
    job.refresh_from_db()
    if not taken:
        return job
    try:
        months = _current_months(job.partnership_id)
        if job.recount:
            _recount(job, months)
        with transaction.atomic():
            _mark_trends(job, months)
            ReferenceJob.objects.filter(pk=job.pk).update(
                status=ReferenceJobStatus.DONE, finished_at=timezone.now(),
                heartbeat_at=timezone.now(), message=_done_message(job, months))
    except Exception as exc:
        log.exception("Reference job %s failed", job.pk)
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJobStatus.FAILED, finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
            message="Stopped; months not recounted yet still follow the old hierarchy. "
            "Retry it.")
        job.refresh_from_db()
        raise
    job.refresh_from_db()
    return job


def _current_months(partnership_id: int) -> dict[str, list]:
    """Source → the months that have data in force, oldest first."""
    months: dict[str, list] = {}
    for source in COUNTED_SOURCES:
        found = sorted(UploadMonth.objects.filter(
            partnership_id=partnership_id, source=source, superseded_by__isnull=True,
        ).values_list("month", flat=True).distinct())
        if found:
            months[source] = found
    return months


def _recount(job: ReferenceJob, months: dict[str, list]) -> None:
    steps = [(source, chunk[i:i + MONTHS_PER_STEP])
             for source, chunk in months.items()
             for i in range(0, len(chunk), MONTHS_PER_STEP)]
    ReferenceJob.objects.filter(pk=job.pk).update(total=len(steps))
    for done, (source, step) in enumerate(steps, start=1):
        with transaction.atomic():
            Partnership.objects.select_for_update().get(pk=job.partnership_id)
            counts_replace(partnership_id=job.partnership_id, source=source, months=step,
                           counts=current_counts(job.partnership_id, source, step))
        ReferenceJob.objects.filter(pk=job.pk).update(
            done=done, heartbeat_at=timezone.now(),
            message=f"Recounted {source.replace('_', '.')} {step[0]:%b %Y}–{step[-1]:%b %Y}")


def _mark_trends(job: ReferenceJob, months: dict[str, list]) -> None:
    from datasets.services.trends import trends_mark_touched

    for source, found in months.items():
        trends_mark_touched(
            upload_id=trends_key(job), partnership_id=job.partnership_id, source=source,
            months=[found[0], found[-1]] if job.recount else (),
            area_ids=job.area_ids, category_ids=job.category_ids,
        )


def _done_message(job: ReferenceJob, months: dict[str, list]) -> str:
    count = sum(len(m) for m in months.values())
    if job.recount:
        return (f"Counts of {count} month{'s' if count != 1 else ''} recounted from the stored "
                "records; trend statistics are being recalculated.")
    return "Trend statistics are being recalculated."


def reference_job_retry(*, job: ReferenceJob) -> ReferenceJob:
    """Queue a failed (or stale) job again, checked on the locked row."""
    with transaction.atomic():
        job = ReferenceJob.objects.select_for_update().get(pk=job.pk)
        if not job.can_retry:
            raise ValidationError("Only a failed job can be retried.")
        job.status, job.error, job.message = ReferenceJobStatus.QUEUED, "", "Queued again"
        job.save(update_fields=["status", "error", "message"])
        _enqueue(job)
    return job


def reference_jobs_fail_stale(*, now=None) -> int:
    """Mark running jobs whose worker went silent as failed (the beat sweep)."""
    return ReferenceJob.objects.filter(_stale(now)).update(
        status=ReferenceJobStatus.FAILED, finished_at=timezone.now(),
        error="The job stopped without finishing (its worker was lost). Retry it.")
