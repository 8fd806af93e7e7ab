"""PostgreSQL, outside a transaction (a worker, the command): police.uk records are
COPYed by a second connection while the file is checked (services.background_copy).
When anything goes wrong there, the upload fails with the real reason, nothing is
left behind, and a retry imports the file."""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.db import connection

from datasets.models import PoliceRecord, Upload, UploadStatus
from datasets.services import background_copy, writers
from datasets.services.uploads import upload_create, upload_retry
from smp.models import Role
from tests.conftest import _missing
from tests.datasets.factories import build_reference, police_file, police_row
from tests.datasets.helpers import table_counts
from tests.factories import MembershipFactory, PartnershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(db):
    if connection.vendor != "postgresql":
        _missing("the background COPY runs on PostgreSQL only (set DATABASE_URL)")
    partnership = PartnershipFactory()
    officer = MembershipFactory(partnership=partnership, role=Role.OFFICER).user
    build_reference(partnership)
    first = upload_create(partnership=partnership, kind="police_uk", user=officer,
                          file=police_file([police_row(), police_row(month="2023-02")]))
    first.refresh_from_db()
    assert first.status == UploadStatus.SUCCEEDED
    return partnership, officer


@pytest.fixture
def copies(monkeypatch):
    """How many background COPYs were started (proves the branch under test ran)."""
    started = []
    real = background_copy.BackgroundCopy.__init__

    def spy(self, **kwargs):
        started.append(kwargs)
        real(self, **kwargs)
    monkeypatch.setattr(background_copy.BackgroundCopy, "__init__", spy)
    return started


def _import(partnership, officer, rows: int) -> Upload:
    upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                           file=police_file([police_row(crime_id=f"crime-{uuid4().hex}")
                                             for _ in range(rows)]))
    upload.refresh_from_db()
    return upload


def _unchanged_but_the_upload(before: dict) -> bool:
    after = table_counts()
    after["datasets.Upload"] -= 1
    after["datasets.HistoricalUpload"] -= 1
    return after == before


def test_an_error_after_the_background_copy_rolls_the_copied_records_back(
        setup, copies, monkeypatch):
    partnership, officer = setup
    before = table_counts()

    def die(**kwargs):
        raise RuntimeError("disk full while writing counts")
    monkeypatch.setattr(writers, "counts_replace", die)
    upload = _import(partnership, officer, 500)
    assert len(copies) == 1
    assert upload.status == UploadStatus.FAILED
    assert upload.error == "RuntimeError: disk full while writing counts"
    assert _unchanged_but_the_upload(before)

    monkeypatch.undo()
    upload_retry(upload=upload, user=officer)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.SUCCEEDED, upload.error
    assert PoliceRecord.objects.filter(upload=upload).count() == 500


# A few rows fit in the pipe and the failure shows when the copy is finished; many
# rows fill the pipe, so the checking side sees the copy stop (a broken pipe).
@pytest.mark.parametrize("rows", [3, 5000])
def test_a_copy_the_database_refuses_fails_the_upload_with_the_databases_reason(
        setup, copies, monkeypatch, rows):
    partnership, officer = setup
    before = table_counts()
    # The longitude column receives the Crime ID: PostgreSQL refuses the first row.
    swapped = writers.POLICE_COPY_SQL.replace("crime_id, longitude", "longitude, crime_id")
    assert swapped != writers.POLICE_COPY_SQL
    monkeypatch.setattr(writers, "POLICE_COPY_SQL", swapped)
    upload = _import(partnership, officer, rows)
    assert len(copies) == 1
    assert upload.status == UploadStatus.FAILED
    assert "invalid input syntax for type double precision" in upload.error, upload.error
    assert "BrokenPipe" not in upload.error
    assert _unchanged_but_the_upload(before)
    with connection.cursor() as cursor:  # no connection left holding the partnership lock
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND state LIKE 'idle in transaction%%'")
        assert cursor.fetchone()[0] == 0
