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


# --- trends -----------------------------------------------------------------------


@shared_task(soft_time_limit=600, time_limit=660)
def recalculate_for_upload(upload_id: int) -> None:
    """Recalculate the trend statistics of exactly the series an upload touched.

    Enqueued (via ``transaction.on_commit``) when an import completes or is rolled
    back. The trend engine fills this in; callers rely only on its name and
    signature.
    """


@shared_task(soft_time_limit=120, time_limit=150)
def recalculate_indicator_series(series_id: int) -> None:
    """Recalculate one indicator series after a value was entered or edited by hand."""
