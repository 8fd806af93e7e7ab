"""A worker dying mid-import leaves the database exactly as before; the upload is
failed and retryable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from datasets.models import Upload, UploadStatus
from datasets.services import writers
from datasets.services.uploads import upload_create, upload_retry
from smp.models import Role
from tests.datasets.factories import build_reference, police_file, police_row
from tests.datasets.helpers import table_counts


def test_an_exception_mid_write_changes_nothing_and_the_upload_can_be_retried(
        partnership, member, ref, django_capture_on_commit_callbacks, monkeypatch):
    officer = member(Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        upload_create(partnership=partnership, kind="police_uk", user=officer,
                      file=police_file([police_row(), police_row(month="2023-02")]))
    before = table_counts()

    def die(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(writers, "counts_replace", die)  # after records were COPYed
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                               file=police_file([police_row(), police_row(),
                                                 police_row(month="2023-03")]))
    upload.refresh_from_db()
    after = table_counts()
    after["datasets.Upload"] -= 1
    after["datasets.HistoricalUpload"] -= 1
    assert after == before
    assert upload.status == UploadStatus.FAILED
    assert "worker killed" in upload.error
    assert upload.can_retry

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        upload_retry(upload=upload, user=officer)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.SUCCEEDED
    assert upload.attempts == 2
    assert upload.summary["replaced_records"] == 1


def test_a_silent_running_upload_is_shown_as_failed_and_retryable(partnership, member):
    officer = member(Role.OFFICER)
    upload = Upload.objects.create(partnership=partnership, kind="police_uk", original_name="x",
                                   sha256="0" * 64, size=1, uploaded_by=officer,
                                   status=UploadStatus.RUNNING)
    Upload.objects.filter(pk=upload.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    upload.refresh_from_db()
    assert upload.is_stale
    assert upload.shown_status == UploadStatus.FAILED
    assert upload.can_retry


def test_a_redelivered_task_after_success_does_nothing(
        partnership, member, ref, django_capture_on_commit_callbacks):
    from datasets.tasks import import_upload

    officer = member(Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                               file=police_file([police_row()]))
    before = table_counts()
    import_upload(upload.pk)
    assert table_counts() == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_late_bad_row_still_leaves_the_database_unchanged():
    """On PostgreSQL this path COPYs rows while checking them (background_copy):
    a problem on the last row must roll the copied rows back."""
    from tests.factories import MembershipFactory, PartnershipFactory

    partnership = PartnershipFactory()
    officer = MembershipFactory(partnership=partnership, role=Role.OFFICER).user
    build_reference(partnership)
    good = [police_row() for _ in range(500)]
    first = upload_create(partnership=partnership, kind="police_uk", user=officer,
                          file=police_file(good[:10]))  # autocommit: runs now
    first.refresh_from_db()
    assert first.status == UploadStatus.SUCCEEDED
    before = table_counts()
    bad = upload_create(partnership=partnership, kind="police_uk", user=officer,
                        file=police_file(good + [police_row(month="2023-13")]))
    bad.refresh_from_db()
    assert bad.status == UploadStatus.REJECTED
    after = table_counts()
    after["datasets.Upload"] -= 1
    after["datasets.HistoricalUpload"] -= 1
    assert after == before
    second = upload_create(partnership=partnership, kind="police_uk", user=officer,
                           file=police_file(good))
    second.refresh_from_db()
    assert second.status == UploadStatus.SUCCEEDED
    assert second.summary["replaced_records"] == 10
    assert second.summary["new_records"] == 500


def _running(partnership, user, *, minutes_silent: float) -> Upload:
    upload = Upload.objects.create(partnership=partnership, kind="police_uk", original_name="x",
                                   sha256="0" * 64, size=1, uploaded_by=user,
                                   status=UploadStatus.RUNNING)
    Upload.objects.filter(pk=upload.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes_silent))
    return upload


def test_the_sweep_marks_only_silent_running_uploads_failed(partnership, member):
    from datasets.tasks import fail_stale_jobs

    officer = member(Role.OFFICER)
    dead = _running(partnership, officer, minutes_silent=11)
    alive = _running(partnership, officer, minutes_silent=1)
    done = Upload.objects.create(partnership=partnership, kind="police_uk", original_name="y",
                                 sha256="0" * 64, size=1, status=UploadStatus.SUCCEEDED)
    Upload.objects.filter(pk=done.pk).update(heartbeat_at=timezone.now() - dt.timedelta(days=1))
    assert fail_stale_jobs() == 1
    statuses = dict(Upload.objects.values_list("pk", "status"))
    assert statuses == {dead.pk: UploadStatus.FAILED, alive.pk: UploadStatus.RUNNING,
                        done.pk: UploadStatus.SUCCEEDED}
    dead.refresh_from_db()
    assert "worker was lost" in dead.error and dead.can_retry


def test_beat_runs_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["datasets-fail-stale-jobs"]
    assert entry == {"task": "datasets.tasks.fail_stale_jobs", "schedule": 60.0}
    from smp.celery import app

    app.loader.import_default_modules()
    assert "datasets.tasks.fail_stale_jobs" in app.tasks


def test_a_redelivered_task_leaves_an_upload_another_worker_is_importing_alone(
        partnership, member, ref, django_capture_on_commit_callbacks):
    from datasets.services.uploads import upload_import

    officer = member(Role.OFFICER)
    upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                           file=police_file([police_row()]), enqueue=False)
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, attempts=1,
                                               heartbeat_at=timezone.now())
    before = table_counts()
    upload = upload_import(upload=upload)
    assert (upload.status, upload.attempts) == (UploadStatus.RUNNING, 1)
    assert table_counts() == before


def test_a_task_redelivered_after_its_worker_died_takes_the_upload_over(
        partnership, member, ref, django_capture_on_commit_callbacks):
    from datasets.services.uploads import upload_import

    officer = member(Role.OFFICER)
    upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                           file=police_file([police_row()]), enqueue=False)
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.RUNNING, attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_import(upload=upload)
    assert (upload.status, upload.attempts) == (UploadStatus.SUCCEEDED, 2)


def test_an_attempt_taken_over_before_it_writes_writes_nothing(
        partnership, member, ref, django_capture_on_commit_callbacks, monkeypatch):
    """Worker A checked the file; meanwhile the upload was swept, retried and claimed
    by worker B (attempt 2). A must not import it a second time."""
    from datasets.services import uploads

    officer = member(Role.OFFICER)
    upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                           file=police_file([police_row(), police_row()]), enqueue=False)
    checked = uploads._validate_police

    def check_then_lose_the_upload(*args, **kwargs):
        result = checked(*args, **kwargs)
        Upload.objects.filter(pk=upload.pk).update(attempts=2, status=UploadStatus.RUNNING)
        return result
    monkeypatch.setattr(uploads, "_validate_police", check_then_lose_the_upload)
    before = table_counts()
    with django_capture_on_commit_callbacks(execute=True):
        result = uploads.upload_import(upload=upload)
    assert (result.status, result.attempts) == (UploadStatus.RUNNING, 2)  # B's, untouched
    assert table_counts() == before


def test_a_retry_cannot_reopen_an_import_that_finished_meanwhile(
        partnership, member, ref, django_capture_on_commit_callbacks):
    officer = member(Role.OFFICER)
    stale = _running(partnership, officer, minutes_silent=11)
    in_memory = Upload.objects.get(pk=stale.pk)
    assert in_memory.can_retry
    Upload.objects.filter(pk=stale.pk).update(status=UploadStatus.SUCCEEDED)  # it finished
    with pytest.raises(ValidationError):
        upload_retry(upload=in_memory, user=officer)
    assert Upload.objects.get(pk=stale.pk).status == UploadStatus.SUCCEEDED
