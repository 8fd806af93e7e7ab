"""Celery tasks of the datasets app: thin, by id, idempotent.

Import tasks go above this line's section; trend tasks below.
"""

from __future__ import annotations

from celery import shared_task

# --- imports (uploads) ----------------------------------------------------------


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
