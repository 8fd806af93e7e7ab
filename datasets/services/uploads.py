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
   import per partnership at a time), the upload's own row is re-checked under
   that lock (a retry or a redelivered task that took over means this attempt
   writes nothing), the months supplied are marked superseded by this upload,
   records are COPYed, counts of those months replaced. A worker killed here
   leaves the database exactly as it was (PostgreSQL rolls back); the upload stays
   "running" until the periodic sweep (``uploads_fail_stale``) marks it failed,
   and it can then be retried.
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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from datasets.importers import aggregate as aggregate_importer
from datasets.importers import indicators as indicator_importer
from datasets.importers import police_uk
from datasets.importers.common import Problems
from datasets.models import (
    AreaLevel,
    IndicatorSeries,
    Source,
    Upload,
    UploadKind,
    UploadMonth,
    UploadStatus,
)
from datasets.models.uploads import stale_condition
from datasets.services import background_copy, lookups, writers
from smp.models import Partnership

log = logging.getLogger(__name__)
ALLOWED_SUFFIXES = {UploadKind.POLICE_UK: {".csv"}, UploadKind.AGGREGATE: {".csv", ".xlsx"},
                    UploadKind.INDICATORS: {".csv", ".xlsx"}}
SOURCE_OF_KIND = {UploadKind.POLICE_UK: Source.POLICE_UK, UploadKind.AGGREGATE: Source.AGGREGATE}
SERIES_NAME_MAX = 250


class ImportSuperseded(Exception):
    """Another attempt owns the upload now (a retry, or it already finished): this
    attempt must write nothing."""


def upload_file_problem(*, kind: str, name: str, size: int | None) -> str | None:
    """Why a file cannot be accepted for ``kind`` (type by extension, size against
    ``SMP_MAX_UPLOAD_BYTES``), or None. The form and ``upload_create`` both ask."""
    suffix = PurePath(name).suffix.lower()
    allowed = ALLOWED_SUFFIXES.get(kind)
    if allowed is None:
        return f"Unknown kind of file “{kind}”."
    if suffix not in allowed:
        return (f"This kind of file must be {' or '.join(sorted(allowed))} "
                f"(got “{suffix or 'no extension'}”).")
    if size == 0:
        return "The file is empty."
    limit = settings.SMP_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        return f"The file is {filesizeformat(size)}; the limit is {filesizeformat(limit)}."
    return None


def _digest(file, limit: int) -> tuple[str, int]:
    """SHA-256 and size, reading at most one chunk past ``limit``."""
    digest = hashlib.sha256()
    size = 0
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            break
    file.seek(0)
    return digest.hexdigest(), size


def upload_create(*, partnership: Partnership, kind: str, file, user, series_name: str = "",
                  enqueue: bool = True) -> Upload:
    """Check type and size, store the file privately (UUID name, never the user's)
    and queue its import. A refused file raises ``ValidationError`` and nothing is
    stored."""
    original = PurePath(getattr(file, "name", "") or "upload").name[:255]
    problem = upload_file_problem(kind=kind, name=original, size=None)
    if problem is None and len(series_name.strip()) > SERIES_NAME_MAX:
        raise ValidationError({"series_name": f"At most {SERIES_NAME_MAX} characters."})
    if problem is None:
        sha256, size = _digest(file, settings.SMP_MAX_UPLOAD_BYTES)
        problem = upload_file_problem(kind=kind, name=original, size=size)
    if problem:
        raise ValidationError({"file": problem})
    suffix = PurePath(original).suffix.lower()
    upload = Upload(partnership=partnership, kind=kind, original_name=original,
                    sha256=sha256, size=size, uploaded_by=user,
                    series_name=series_name.strip())
    upload.file.save(f"{uuid.uuid4().hex}{suffix}", File(file), save=False)
    upload._history_user = user
    upload.save()
    if enqueue:
        from datasets.tasks import import_upload

        transaction.on_commit(lambda: import_upload.delay(upload.id))
    return upload


def upload_retry(*, upload: Upload, user) -> Upload:
    """Queue a failed (or stale) import again. Checked on the locked row, so a
    retry can never overwrite an import that finished meanwhile."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if not upload.can_retry:
            raise ValidationError("Only a failed import can be retried.")
        upload.status = UploadStatus.PENDING
        upload.stage = "Queued again"
        upload.error = ""
        upload._history_user = user
        upload._change_reason = "Retried"
        upload.save()
        from datasets.tasks import import_upload

        transaction.on_commit(lambda: import_upload.delay(upload.id))
    return upload


def _progress(upload: Upload):
    def report(rows: int, fraction: float) -> None:
        Upload.objects.filter(pk=upload.pk).update(
            rows_read=rows, percent=min(99, int(100 * fraction)),
            rows_estimated=int(rows / fraction) if fraction else 0,
            heartbeat_at=timezone.now(),
        )
    return report


def _set(upload: Upload, **fields) -> None:
    for name, value in fields.items():
        setattr(upload, name, value)
    Upload.objects.filter(pk=upload.pk).update(heartbeat_at=timezone.now(), **fields)


def _claim(upload: Upload) -> bool:
    """Start an attempt: only a queued upload, or a running one whose worker died
    (a task redelivered after a kill), is taken; the test and the change are one
    UPDATE, so two workers can never both take it."""
    now = timezone.now()
    claimable = Q(status=UploadStatus.PENDING) | stale_condition(now)
    taken = Upload.objects.filter(claimable, pk=upload.pk).update(
        status=UploadStatus.RUNNING, stage="Checking every row", rows_read=0, percent=0,
        rows_estimated=0, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
        error="", finished_at=None,
    )
    upload.refresh_from_db()
    return bool(taken)


def upload_import(*, upload: Upload) -> Upload:
    """Validate the whole file, then write it in one transaction (or reject it).

    Does nothing unless the upload is queued (or running with a dead worker): a
    redelivered task after success, or while another worker imports it, is a no-op.
    """
    if not _claim(upload):
        log.info("Upload %s is %s: not imported again", upload.pk, upload.status)
        return upload
    attempt = upload.attempts
    try:
        with tempfile.TemporaryDirectory(prefix="smp-import-") as tmp:
            outcome = _import(upload, tmp, attempt)
    except ImportSuperseded:
        log.warning("Upload %s attempt %s was taken over; it wrote nothing", upload.pk, attempt)
        upload.refresh_from_db()
        return upload
    except Exception as exc:
        log.exception("Import of upload %s failed", upload.pk)
        Upload.objects.filter(pk=upload.pk, attempts=attempt, status=UploadStatus.RUNNING).update(
            status=UploadStatus.FAILED, stage="Failed", error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(), heartbeat_at=timezone.now())
        upload.refresh_from_db()
        raise
    return outcome


def _import(upload: Upload, tmp: str, attempt: int) -> Upload:
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
            pending.finish(lambda: _commit(upload, parsed, checked, attempt))
            return upload
        with transaction.atomic():
            Partnership.objects.select_for_update().get(pk=upload.partnership_id)
            _commit(upload, parsed, checked, attempt)
        return upload
    except BrokenPipeError:
        # The COPY thread stopped reading (the database refused a row): its error,
        # not the broken pipe, says why.
        if copier:
            copier, pending = None, copier
            pending.finish(None)
            if pending.error is not None:
                raise pending.error from None
        raise
    finally:
        if copier:
            copier.finish(None)


def _commit(upload: Upload, parsed, check_seconds: float, attempt: int) -> None:
    """Write (inside the caller's transaction, partnership locked) and mark the
    upload imported, unless another attempt took the upload over meanwhile."""
    current = Upload.objects.select_for_update().get(pk=upload.pk)
    if current.status != UploadStatus.RUNNING or current.attempts != attempt:
        raise ImportSuperseded(f"upload {upload.pk} is {current.status}, attempt "
                               f"{current.attempts} (this is attempt {attempt})")
    summary = writers.write(upload, parsed)
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


def _validate_police(upload: Upload, stream, problems: Problems, tmp: str,
                     copier: background_copy.BackgroundCopy | None = None):
    path = f"{tmp}/records.csv"
    partnership_id = upload.partnership_id
    sink = copier.sink() if copier else open(  # noqa: SIM115 - closed by the with below
        path, "w", newline="\n", encoding="utf-8", buffering=1 << 20)
    with sink as sink_file:
        result = police_uk.validate(
            stream, lsoa_ids=lookups.lsoa_lookup(partnership_id),
            category_ids=lookups.category_lookup(partnership_id, Source.POLICE_UK),
            lsoa_limits=lookups.area_limits(partnership_id, AreaLevel.LSOA),
            problems=problems, sink=sink_file,
            prefix=(upload.pk, partnership_id), progress=_progress(upload),
        )
    result.records_path = "" if copier else path  # empty: already copied
    return result


def _validate_aggregate(upload: Upload, stream, problems: Problems):
    partnership_id = upload.partnership_id
    return aggregate_importer.validate(
        stream, area_ids=lookups.area_lookup(partnership_id),
        category_ids=lookups.category_lookup(partnership_id, Source.AGGREGATE),
        area_tree=lookups.area_tree(partnership_id),
        category_tree=lookups.category_tree(partnership_id),
        area_limits=lookups.area_limits(partnership_id),
        problems=problems, progress=_progress(upload),
    )


def _validate_indicators(upload: Upload, stream, problems: Problems):
    kinds = dict(IndicatorSeries.objects.filter(partnership_id=upload.partnership_id)
                 .values_list("name", "period_kind"))
    return indicator_importer.validate(stream, problems=problems, series_name=upload.series_name,
                                       existing_kinds=kinds, progress=_progress(upload))


def upload_rollback(*, upload: Upload, user) -> Upload:
    """Remove what an upload wrote and restore what it replaced, with an audit entry.
    Indicator values a lead entered or corrected by hand after the upload are kept
    (the summary's ``rollback`` says which and why)."""
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


def uploads_fail_stale(*, now=None) -> int:
    """Mark every running import whose worker went silent (killed) as failed, so
    lists, filters and the retry button agree. Returns how many were marked. Run
    by Celery beat (``datasets.tasks.fail_stale_uploads``)."""
    stamp = timezone.now()
    return Upload.objects.stale(now).update(
        status=UploadStatus.FAILED, stage="Failed", finished_at=stamp,
        error="The import stopped without finishing (its worker was lost); nothing was "
        "changed. Retry it.",
    )
