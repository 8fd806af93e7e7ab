"""Uploads: store a file, import it (validate everything, then write in one
transaction), roll it back, retry it.

Design (the speed goal needs it):

1. ``upload_create`` stores the file under a UUID name with its SHA-256 and size,
   and enqueues ``import_upload`` on commit.
2. ``upload_import`` makes one streaming pass over the file: every row is checked
   (importers, no ORM) and accepted rows go to a temporary COPY-ready CSV on disk;
   counts are summed in NumPy. Memory stays flat. Progress is written to the Upload
   row as it goes (no transaction is open during this pass, so pages see it).
3. If any row has a problem, nothing is written: the upload is *rejected*, with the
   first 200 problems on the row and all of them in a CSV error report.
4. Otherwise one transaction writes everything: the partnership row is locked (one
   import per partnership at a time), the months supplied are marked superseded
   by this upload, records are COPYed, counts of those months replaced. A worker
   killed here leaves the database exactly as it was (PostgreSQL rolls back), and
   the upload is still "running": shown failed once stale, and retryable.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from datasets.importers import aggregate as aggregate_importer
from datasets.importers import indicators as indicator_importer
from datasets.importers import police_uk
from datasets.importers.common import Problems
from datasets.models import (
    Area,
    AreaLevel,
    Category,
    CategoryMapping,
    IndicatorSeries,
    Source,
    Upload,
    UploadKind,
    UploadMonth,
    UploadStatus,
)
from datasets.services import background_copy, writers
from smp.models import Partnership

log = logging.getLogger(__name__)
ALLOWED_SUFFIXES = {UploadKind.POLICE_UK: {".csv"}, UploadKind.AGGREGATE: {".csv", ".xlsx"},
                    UploadKind.INDICATORS: {".csv", ".xlsx"}}
SOURCE_OF_KIND = {UploadKind.POLICE_UK: Source.POLICE_UK, UploadKind.AGGREGATE: Source.AGGREGATE}


def upload_create(*, partnership: Partnership, kind: str, file, user, series_name: str = "",
                  enqueue: bool = True) -> Upload:
    """Store the file privately (UUID name, never the user's) and queue its import."""
    digest = hashlib.sha256()
    size = 0
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    original = PurePath(getattr(file, "name", "") or "upload").name[:255]
    suffix = PurePath(original).suffix.lower()
    suffix = suffix if suffix in {".csv", ".xlsx"} else ".bin"
    upload = Upload(partnership=partnership, kind=kind, original_name=original,
                    sha256=digest.hexdigest(), size=size, uploaded_by=user,
                    series_name=series_name.strip())
    upload.file.save(f"{uuid.uuid4().hex}{suffix}", File(file), save=False)
    upload._history_user = user
    upload.save()
    if enqueue:
        from datasets.tasks import import_upload

        transaction.on_commit(lambda: import_upload.delay(upload.id))
    return upload


def upload_retry(*, upload: Upload, user) -> Upload:
    """Queue a failed (or stale) import again."""
    if not upload.can_retry:
        raise ValidationError("Only a failed import can be retried.")
    upload.status = UploadStatus.PENDING
    upload.stage = "Queued again"
    upload.error = ""
    upload._history_user = user
    upload.save()
    from datasets.tasks import import_upload

    transaction.on_commit(lambda: import_upload.delay(upload.id))
    return upload


def _progress(upload: Upload):
    def report(rows: int, bytes_read: int) -> None:
        percent = min(99, int(100 * bytes_read / upload.size)) if upload.size and bytes_read else 0
        estimated = int(rows * upload.size / bytes_read) if bytes_read else 0
        Upload.objects.filter(pk=upload.pk).update(
            rows_read=rows, percent=percent, rows_estimated=estimated,
            heartbeat_at=timezone.now(),
        )
    return report


def _set(upload: Upload, **fields) -> None:
    for name, value in fields.items():
        setattr(upload, name, value)
    Upload.objects.filter(pk=upload.pk).update(heartbeat_at=timezone.now(), **fields)


def upload_import(*, upload: Upload) -> Upload:
    """Validate the whole file, then write it in one transaction (or reject it)."""
    if upload.status in {UploadStatus.SUCCEEDED, UploadStatus.ROLLED_BACK, UploadStatus.REJECTED}:
        return upload  # a redelivered task after success: nothing to do
    _set(upload, status=UploadStatus.RUNNING, stage="Checking every row", rows_read=0,
         percent=0, started_at=timezone.now(), attempts=upload.attempts + 1, error="",
         finished_at=None)
    try:
        with tempfile.TemporaryDirectory(prefix="smp-import-") as tmp:
            outcome = _import(upload, tmp)
    except Exception as exc:
        log.exception("Import of upload %s failed", upload.pk)
        _set(upload, status=UploadStatus.FAILED, stage="Failed",
             error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now())
        raise
    return outcome


def _import(upload: Upload, tmp: str) -> Upload:
    started = time.perf_counter()
    report_path = f"{tmp}/errors.csv"
    copier = None
    try:
        with open(report_path, "w", newline="", encoding="utf-8") as report_file:
            spill = csv.writer(report_file)
            spill.writerow(("row", "column", "reason"))
            problems = Problems(spill=spill)
            with upload.file.open("rb") as stream:
                if upload.kind == UploadKind.POLICE_UK:
                    if background_copy.available():
                        copier = background_copy.BackgroundCopy(
                            partnership_id=upload.partnership_id,
                            copy_sql=writers.POLICE_COPY_SQL)
                    parsed = _validate_police(upload, stream, problems, tmp, copier)
                elif upload.kind == UploadKind.AGGREGATE:
                    parsed = _validate_aggregate(upload, stream, problems)
                else:
                    parsed = _validate_indicators(upload, stream, problems)
        if problems:
            if copier:
                copier, pending = None, copier
                pending.finish(None)  # roll the copied rows back
            return _reject(upload, problems, report_path)
        checked = round(time.perf_counter() - started, 2)
        _set(upload, stage="Writing records", percent=99)
        if copier:
            copier, pending = None, copier
            pending.finish(lambda: _commit(upload, parsed, tmp, checked))
            return upload
        with transaction.atomic():
            Partnership.objects.select_for_update().get(pk=upload.partnership_id)
            _commit(upload, parsed, tmp, checked)
        return upload
    finally:
        if copier:
            copier.finish(None)


def _commit(upload: Upload, parsed, tmp: str, check_seconds: float) -> None:
    """Write (inside the caller's transaction) and mark the upload imported."""
    summary = writers.write(upload, parsed, tmp)
    summary.setdefault("seconds", {})["check"] = check_seconds
    upload.status = UploadStatus.SUCCEEDED
    upload.stage = "Done"
    upload.percent = 100
    upload.summary = summary
    upload.period_start = summary.get("period_start")
    upload.period_end = summary.get("period_end")
    upload.finished_at = timezone.now()
    upload.heartbeat_at = upload.finished_at
    upload.save()
    _enqueue_recalculation(upload)


def _enqueue_recalculation(upload: Upload) -> None:
    """Tell the trend engine exactly what this upload (or its rollback) touched; it
    enqueues ``recalculate_for_upload`` on commit."""
    from datasets.services.trends import trends_mark_touched

    if upload.kind == UploadKind.INDICATORS:
        series_ids = set(upload.indicator_changes.values_list("series_id", flat=True))
        trends_mark_touched(upload_id=upload.pk, partnership_id=upload.partnership_id,
                            indicator_ids=series_ids)
        return
    months = [m for m in (upload.period_start, upload.period_end) if m is not None]
    trends_mark_touched(upload_id=upload.pk, partnership_id=upload.partnership_id,
                        source=upload.kind, months=months)


def _reject(upload: Upload, problems: Problems, report_path: str) -> Upload:
    with open(report_path, "rb") as report:
        upload.error_report.save(f"{uuid.uuid4().hex}.csv", ContentFile(report.read()),
                                 save=False)
    _set(upload, status=UploadStatus.REJECTED, stage="Rejected: nothing was changed",
         errors=[asdict(p) for p in problems.kept], error_count=problems.count,
         error_report=upload.error_report.name, finished_at=timezone.now(), percent=100)
    return upload


def lsoa_lookup(partnership_id: int) -> dict[str, int]:
    return dict(Area.objects.filter(partnership_id=partnership_id, level=AreaLevel.LSOA)
                .values_list("code", "id"))


def category_lookup(partnership_id: int, source: str) -> dict[str, int]:
    """Source category name → category id: the mapping first, then (for extracts
    that already use the partnership's names) the category's own name."""
    names = {}
    if source != Source.POLICE_UK:
        names.update(Category.objects.filter(partnership_id=partnership_id)
                     .values_list("name", "id"))
    names.update(CategoryMapping.objects.filter(partnership_id=partnership_id, source=source)
                 .values_list("source_name", "category_id"))
    return names


def _validate_police(upload: Upload, stream, problems: Problems, tmp: str,
                     copier: background_copy.BackgroundCopy | None = None):
    path = f"{tmp}/records.csv"
    sink = copier.sink() if copier else open(  # noqa: SIM115 - closed by the with below
        path, "w", newline="\n", encoding="utf-8", buffering=1 << 20)
    with sink as sink_file:
        result = police_uk.validate(
            stream, lsoa_ids=lsoa_lookup(upload.partnership_id),
            category_ids=category_lookup(upload.partnership_id, Source.POLICE_UK),
            problems=problems, sink=sink_file,
            prefix=(upload.pk, upload.partnership_id), progress=_progress(upload),
        )
    result.records_path = "" if copier else path  # empty: already copied
    return result


def _validate_aggregate(upload: Upload, stream, problems: Problems):
    return aggregate_importer.validate(
        stream,
        area_ids=dict(Area.objects.filter(partnership_id=upload.partnership_id)
                      .values_list("code", "id")),
        category_ids=category_lookup(upload.partnership_id, Source.AGGREGATE),
        problems=problems, progress=_progress(upload),
    )


def _validate_indicators(upload: Upload, stream, problems: Problems):
    kinds = dict(IndicatorSeries.objects.filter(partnership_id=upload.partnership_id)
                 .values_list("name", "period_kind"))
    return indicator_importer.validate(stream, problems=problems, series_name=upload.series_name,
                                       existing_kinds=kinds, progress=_progress(upload))


def upload_rollback(*, upload: Upload, user) -> Upload:
    """Remove what an upload wrote and restore what it replaced, with an audit entry."""
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=upload.partnership_id)
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != UploadStatus.SUCCEEDED:
            raise ValidationError("Only an imported upload can be rolled back.")
        later = (UploadMonth.objects.filter(upload=upload, superseded_by__isnull=False)
                 .values_list("superseded_by_id", flat=True).first())
        if later:
            raise ValidationError(
                f"Upload #{later} has since replaced some of these months: roll it back first."
            )
        restored = writers.unwrite(upload)
        upload.status = UploadStatus.ROLLED_BACK
        upload.stage = "Rolled back"
        upload.rolled_back_at = timezone.now()
        upload.rolled_back_by = user
        upload.summary = {**upload.summary, "rollback": restored}
        upload._history_user = user
        upload._change_reason = "Rolled back"
        upload.save()
        _enqueue_recalculation(upload)
    return upload


def upload_fail_stale(*, upload: Upload) -> Upload:
    """Record that a silent 'running' import died (its worker was killed)."""
    if upload.is_stale:
        _set(upload, status=UploadStatus.FAILED, stage="Failed",
             error="The import stopped without finishing (worker lost); nothing was "
             "changed. Retry it.", finished_at=timezone.now())
    return upload
