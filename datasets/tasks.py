"""Celery tasks of the datasets app: thin, by id, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=660)
def recalculate_for_upload(upload_id: int) -> None:
    """Recalculate the trend statistics of exactly the series an upload touched.

    Enqueued (via ``transaction.on_commit``) when an import completes. The trend
    engine (issue 4) fills this in; the import path only relies on its name and
    signature.
    """
