"""A worker dying mid-import leaves the database exactly as before; the upload is
failed and retryable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from datasets.models import Upload, UploadStatus
from datasets.services import writers
from datasets.services.uploads import upload_create, upload_retry
from smp.models import Role
from tests.datasets.factories import build_reference, police_file, police_row
from tests.datasets.helpers import table_counts


@pytest.fixture
def ref(partnership):
    return build_reference(partnership)


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
