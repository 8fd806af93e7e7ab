"""The Celery path on a real worker (Redis + the test database)."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from datasets.models import MonthlyCount, PoliceRecord, Upload, UploadStatus
from datasets.models.uploads import STALE_AFTER
from datasets.services.uploads import (
    upload_create,
    upload_import,
    upload_retry,
    uploads_fail_stale,
)
from datasets.tasks import import_upload
from smp.models import Role
from tests.conftest import _missing, wait_for, wait_for_trends_of
from tests.datasets.factories import POLICE_HEADER, build_reference, police_file, police_row
from tests.datasets.helpers import table_counts
from tests.factories import MembershipFactory, PartnershipFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_an_upload_queued_on_commit(celery_worker):
    partnership = PartnershipFactory()
    officer = MembershipFactory(partnership=partnership, role=Role.OFFICER).user
    ref = build_reference(partnership)
    with transaction.atomic():
        upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                               file=police_file([police_row(), police_row(),
                                                 police_row(crime_type="Anti-social behaviour")]))
    done = wait_for(lambda: Upload.objects.filter(pk=upload.pk).exclude(
        status__in=[UploadStatus.PENDING, UploadStatus.RUNNING]).first(), timeout=60)
    assert done.status == UploadStatus.SUCCEEDED, (done.errors, done.error)
    assert done.summary["rows_accepted"] == 3
    district = MonthlyCount.objects.get(area=ref["areas"]["district"],
                                        category=ref["categories"]["Victim Based Crime"])
    assert district.count == 2
    assert wait_for_trends_of(upload.pk).status == "done"
    assert celery_worker.poll() is None


def _large_police_file(rows: int) -> SimpleUploadedFile:
    """A police.uk file big enough to take seconds to import (four LSOAs, two years)."""
    lsoas = ["E01000000", "E01000001", "E01000010", "E01000011"]
    types = ["Burglary", "Robbery", "Drugs", "Anti-social behaviour"]
    lines = [POLICE_HEADER]
    for i in range(rows):
        crime_type = types[i % 4]
        crime_id = "" if crime_type == "Anti-social behaviour" else f"{i:064x}"
        lines.append(f"{crime_id},20{22 + i % 2}-{1 + i % 12:02d},Kent Police,Kent Police,"
                     f"0.52,51.27,On or near High Street,{lsoas[i % 4]},Maidstone 000A,"
                     f"{crime_type},,")
    return SimpleUploadedFile("force-wide.csv", ("\r\n".join(lines) + "\r\n").encode())


def _rows_being_copied() -> int:
    """Rows the worker's COPY has sent so far (PostgreSQL's progress view)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy "
                       "WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_the_database_unchanged_then_a_retry_imports(
        start_celery_worker):
    """SIGKILL in the middle of a large import (PostgreSQL + Redis): nothing of it is
    in the database, the sweep marks it failed, and a retry on a new worker imports it."""
    if connection.vendor != "postgresql":
        _missing("a killed worker's open transaction is rolled back by PostgreSQL: set "
                 "DATABASE_URL")
    partnership = PartnershipFactory()
    officer = MembershipFactory(partnership=partnership, role=Role.OFFICER).user
    ref = build_reference(partnership)
    earlier = upload_create(partnership=partnership, kind="police_uk", user=officer,
                            file=police_file([police_row(month="2022-01")]), enqueue=False)
    upload_import(upload=earlier)
    rows = 400_000
    upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                           file=_large_police_file(rows), enqueue=False)
    before = table_counts()

    worker = start_celery_worker()
    import_upload.delay(upload.pk)
    wait_for(lambda: Upload.objects.filter(pk=upload.pk, status=UploadStatus.RUNNING,
                                           rows_read__gt=0).exists(), timeout=120, interval=0.05)
    assert _rows_being_copied() > 0  # records are already on their way into the database
    worker.kill()  # SIGKILL: no clean-up of any kind
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    # PostgreSQL drops the dead worker's connections and rolls their transactions back.
    wait_for(lambda: table_counts() == before, timeout=60)
    killed = Upload.objects.get(pk=upload.pk)
    assert killed.status == UploadStatus.RUNNING and 0 < killed.rows_read < rows

    assert uploads_fail_stale(now=timezone.now() + STALE_AFTER + dt.timedelta(seconds=1)) == 1
    killed.refresh_from_db()
    assert killed.status == UploadStatus.FAILED and killed.can_retry

    start_celery_worker()
    upload_retry(upload=killed, user=officer)
    done = wait_for(lambda: Upload.objects.filter(pk=upload.pk).exclude(
        status__in=[UploadStatus.PENDING, UploadStatus.RUNNING]).first(), timeout=300)
    assert done.status == UploadStatus.SUCCEEDED, (done.errors, done.error)
    assert done.attempts == 2
    assert PoliceRecord.objects.filter(upload=done).count() == rows
    # Burglary is every 4th row; of those, January 2022 is every 12th row. The file
    # replaced the earlier upload's January 2022.
    district = MonthlyCount.objects.get(area=ref["areas"]["district"],
                                        category=ref["categories"]["Burglary"],
                                        month="2022-01-01")
    assert district.count == len(range(0, rows, 12))
    assert wait_for_trends_of(upload.pk, timeout=300).status == "done"
