"""The Celery path on a real worker (Redis + the test database)."""

from __future__ import annotations

import pytest
from django.db import transaction

from datasets.models import MonthlyCount, Upload, UploadStatus
from datasets.services.uploads import upload_create
from smp.models import Role
from tests.conftest import wait_for
from tests.datasets.factories import build_reference, police_file, police_row
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
    assert celery_worker.poll() is None
