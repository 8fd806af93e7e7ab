"""A user journey in a real browser: an officer uploads the needle-finds CSV, sees
the progress while it is queued and running, then the summary."""

from __future__ import annotations

import pytest

from datasets import tasks
from datasets.models import IndicatorSeries, Upload, UploadStatus
from smp.demo import demo_dir
from smp.models import Role
from tests.conftest import browser_login, wait_for
from tests.factories import MembershipFactory, PartnershipFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_uploads_needle_finds_and_sees_progress_then_the_summary(
        page, monkeypatch):
    partnership = PartnershipFactory()
    officer = MembershipFactory(partnership=partnership, role=Role.OFFICER).user
    queued = []
    # Hold the job in the queue so the page's progress can be watched step by step.
    monkeypatch.setattr(tasks.import_upload, "delay", lambda upload_id: queued.append(upload_id))

    browser_login(page, officer.username)
    page.goto(f"/p/{partnership.slug}/data/")
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label("What kind of file is it?").select_option("indicators")
    page.get_by_label("File", exact=True).set_input_files(
        str(demo_dir() / "needle_finds_monthly.csv"))
    page.get_by_label("Series name (two-column indicator files only)").fill("Needle finds")
    page.get_by_role("button", name="Upload and check").click()

    status = page.get_by_role("status")
    status.get_by_text("Queued").wait_for()
    upload = Upload.objects.get(pk=wait_for(lambda: queued and queued[0]))
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, percent=40,
                                               rows_read=20, stage="Checking every row")
    status.get_by_text("40% – 20 rows read").wait_for()  # polled by htmx, no reload

    # That progress was a stand-in for a worker; now the real task takes the job.
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.PENDING)
    tasks.import_upload(upload.pk)
    page.get_by_text("Imported.").wait_for()
    summary = page.locator("#upload-status")
    assert "47 rows accepted" in summary.inner_text()
    assert "Needle finds 2021-04" in summary.inner_text()  # the gap is reported
    assert IndicatorSeries.objects.get(name="Needle finds").values.count() == 47
