"""Celery tasks of the datasets app: thin, by id, idempotent.

Import tasks go above this line's section; trend tasks below.
"""

from __future__ import annotations

from celery import shared_task

# --- imports (uploads) ----------------------------------------------------------


@shared_task(bind=True, soft_time_limit=3300, time_limit=3600, max_retries=0)
def import_upload(self, upload_id: int) -> None:
    """Import one upload (validate all, then write in one transaction).

    Safe to run twice: an upload that already succeeded is left alone, and a run
    killed mid-write left nothing behind (acks_late redelivers it).
    """
    from datasets.models import Upload
    from datasets.services.uploads import upload_import

    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        return
    try:
        upload_import(upload=upload)
    except Exception:  # noqa: BLE001 - recorded on the Upload row as failed, retryable
        return


@shared_task(soft_time_limit=30, time_limit=60)
def fail_stale_jobs() -> int:
    """Beat, every minute: mark running imports and reference jobs whose worker
    died as failed (retryable)."""
    from datasets.services.reference_jobs import reference_jobs_fail_stale
    from datasets.services.uploads import uploads_fail_stale

    return uploads_fail_stale() + reference_jobs_fail_stale()


@shared_task(soft_time_limit=1800, time_limit=1860, max_retries=0)
def run_reference_job(job_id: int) -> None:
    """Recount the stored counts after a hierarchy change, then mark the trends
    touched (``datasets.services.reference_jobs``). Safe to run twice."""
    from datasets.models import ReferenceJob
    from datasets.services.reference_jobs import reference_job_run

    job = ReferenceJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        reference_job_run(job=job)
    except Exception:  # noqa: BLE001 - recorded on the job row as failed, retryable
        return


# --- trends -----------------------------------------------------------------------
# The import side calls datasets.services.trends.trends_mark_touched(...) (one line,
# see that module), which enqueues recalculate_for_upload on commit.


@shared_task(soft_time_limit=600, time_limit=660)
def recalculate_for_upload(upload_id: int) -> None:
    """Recalculate the trend statistics of exactly the series an upload touched.

    Enqueued (via ``transaction.on_commit``) when an import completes or is rolled
    back. Reads the ``TrendsTouched`` rows the import wrote for this upload.
    """
    from datasets.services.trends import trends_recalculate_for_upload

    trends_recalculate_for_upload(upload_id=upload_id)


@shared_task(soft_time_limit=120, time_limit=150)
def recalculate_indicator_series(series_id: int) -> None:
    """Recalculate one indicator series after a value was entered or edited by hand."""
    from datasets.services.trends import trends_recalculate_indicator

    trends_recalculate_indicator(indicator_id=series_id)


@shared_task(soft_time_limit=120, time_limit=150)
def recalculate_series(series_id: int) -> None:
    """Recalculate one stored trend series (after a step change decision)."""
    from datasets.services.trends import trends_recalculate_series

    trends_recalculate_series(series_id=series_id)


@shared_task(soft_time_limit=600, time_limit=660)
def recalculate_partnership(run_id: int, force: bool = True) -> None:
    """"Recalculate everything" for the run's partnership, reporting on the run row.
    ``force`` recomputes unchanged series too (the officer asked for everything)."""
    from datasets.models import RecalculationRun
    from datasets.services.trends import trends_recalculate_partnership

    run = RecalculationRun.objects.filter(pk=run_id).first()
    if run is not None:
        trends_recalculate_partnership(partnership_id=run.partnership_id, run=run, force=force)
