"""Upload pages show what the service did: lists filtered, sorted and paged, forms
that refuse a file, summaries and problems (permissions: test_permissions.py)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from datasets.models import Upload, UploadStatus
from datasets.models.uploads import STALE_AFTER
from smp.models import Role
from tests.datasets.factories import POLICE_HEADER, csv_bytes, police_row
from tests.datasets.helpers import import_file, table_counts


@pytest.fixture
def upload(partnership, member, ref, django_capture_on_commit_callbacks):
    return import_file(partnership, member(Role.OFFICER), "police_uk", "p.csv",
                       csv_bytes(POLICE_HEADER, [police_row(), police_row(month="x")]),
                       django_capture_on_commit_callbacks)


def _names_in(response) -> list[str]:
    """Upload file names in the list page's table, in the order shown."""
    return re.findall(r'<a href="/p/[^"]+/data/uploads/\d+/">([^<]+)</a>',
                      response.content.decode())


@pytest.fixture
def listed(partnership, member, ref, django_capture_on_commit_callbacks):
    """Four uploads of different kinds, statuses and periods (and one stale run)."""
    officer = member(Role.OFFICER)
    capture = django_capture_on_commit_callbacks
    import_file(partnership, officer, "police_uk", "jan.csv",
                csv_bytes(POLICE_HEADER, [police_row(month="2023-01")]), capture)
    import_file(partnership, officer, "police_uk", "bad.csv",
                csv_bytes(POLICE_HEADER, [police_row(month="nope")]), capture)
    import_file(partnership, officer, "aggregate", "extract.csv", csv_bytes(
        "month,area_code,area_name,category,count",
        [["2023-02", "E05000000", "", "Burglary", "1"],
         ["2023-04", "E05000000", "", "Burglary", "1"]]), capture)
    stale = Upload.objects.create(partnership=partnership, kind="police_uk",
                                  original_name="killed.csv", sha256="0" * 64, size=1,
                                  status=UploadStatus.RUNNING)
    Upload.objects.filter(pk=stale.pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 2)
    Upload.objects.create(partnership=partnership, kind="indicators", original_name="live.csv",
                          sha256="0" * 64, size=1, status=UploadStatus.RUNNING,
                          heartbeat_at=timezone.now())
    return officer


@pytest.mark.parametrize("query,expected", [
    ({}, {"jan.csv", "bad.csv", "extract.csv", "killed.csv", "live.csv"}),
    ({"kind": "police_uk"}, {"jan.csv", "bad.csv", "killed.csv"}),
    ({"kind": "aggregate"}, {"extract.csv"}),
    ({"status": "succeeded"}, {"jan.csv", "extract.csv"}),
    ({"status": "rejected"}, {"bad.csv"}),
    ({"status": "failed"}, {"killed.csv"}),  # its worker died: shown and filtered as failed
    ({"status": "running"}, {"live.csv"}),
    ({"period": "2023-01"}, {"jan.csv"}),
    ({"period": "2023-03"}, {"extract.csv"}),  # inside Feb–Apr
    ({"period": "2023-05"}, set()),
    ({"kind": "police_uk", "status": "succeeded", "period": "2023-01"}, {"jan.csv"}),
])
def test_the_list_filters_by_kind_status_and_period(client, partnership, member, listed, query,
                                                    expected):
    client.force_login(member(Role.PARTNER))
    response = client.get(reverse("datasets:uploads", args=[partnership.slug]), query)
    assert set(_names_in(response)) == expected


def test_sorting_the_list_changes_its_order(client, partnership, member, listed):
    client.force_login(member(Role.PARTNER))
    url = reverse("datasets:uploads", args=[partnership.slug])
    by_name = _names_in(client.get(url, {"sort": "original_name"}))
    assert by_name == sorted(by_name) and len(by_name) == 5
    assert _names_in(client.get(url, {"sort": "-original_name"})) == by_name[::-1]
    newest_first = _names_in(client.get(url))
    assert newest_first[0] == "live.csv" and newest_first[-1] == "jan.csv"


def test_the_list_shows_25_uploads_a_page(client, partnership, member):
    Upload.objects.bulk_create([
        Upload(partnership=partnership, kind="police_uk", original_name=f"file-{i:02d}.csv",
               sha256="0" * 64, size=1, status=UploadStatus.REJECTED) for i in range(30)])
    client.force_login(member(Role.PARTNER))
    url = reverse("datasets:uploads", args=[partnership.slug])
    first = _names_in(client.get(url, {"sort": "original_name"}))
    second = _names_in(client.get(url, {"sort": "original_name", "page": 2}))
    assert first == [f"file-{i:02d}.csv" for i in range(25)]
    assert second == [f"file-{i:02d}.csv" for i in range(25, 30)]


def test_an_officer_uploads_a_file_and_sees_its_summary(
        client, partnership, member, ref, django_capture_on_commit_callbacks):
    client.force_login(member(Role.OFFICER))
    file = SimpleUploadedFile("street.csv", csv_bytes(POLICE_HEADER, [police_row()]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("datasets:upload_new", args=[partnership.slug]),
                               {"kind": "police_uk", "file": file})
    upload = Upload.objects.get()
    assert response.url == reverse("datasets:upload_detail", args=[partnership.slug, upload.pk])
    page = client.get(response.url).content.decode()
    assert "Imported." in page and "Rows accepted" in page


def test_the_rejected_upload_page_lists_problems_with_row_and_column(
        client, partnership, member, upload):
    client.force_login(member(Role.OFFICER))
    page = client.get(reverse("datasets:upload_detail", args=[partnership.slug, upload.pk]))
    text = page.content.decode()
    assert "Rejected" in text and "not a month" in text and "<td>Month</td>" in text
    report = client.get(reverse("datasets:upload_errors", args=[partnership.slug, upload.pk]))
    assert b"row,column,reason" in b"".join(report.streaming_content)


@override_settings(SMP_MAX_UPLOAD_BYTES=100)
def test_an_oversized_file_is_refused_by_the_form(client, partnership, member, ref):
    client.force_login(member(Role.OFFICER))
    before = table_counts()
    file = SimpleUploadedFile("big.csv", b"x" * 101)
    response = client.post(reverse("datasets:upload_new", args=[partnership.slug]),
                           {"kind": "police_uk", "file": file})
    assert response.status_code == 200
    assert "the limit is 100" in response.content.decode()
    assert table_counts() == before


def test_a_wrong_file_type_is_refused_by_the_form(client, partnership, member, ref):
    client.force_login(member(Role.OFFICER))
    before = table_counts()
    file = SimpleUploadedFile("extract.xlsx", b"PK\x03\x04")
    response = client.post(reverse("datasets:upload_new", args=[partnership.slug]),
                           {"kind": "police_uk", "file": file})
    assert "must be .csv" in response.content.decode()
    assert table_counts() == before


@pytest.mark.parametrize("name", ["police_uk", "aggregate", "indicators"])
def test_each_format_has_a_downloadable_template(client, partnership, member, name):
    client.force_login(member(Role.PARTNER))
    response = client.get(reverse("datasets:upload_template", args=[partnership.slug, name]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_rolling_back_asks_for_confirmation_first(
        client, partnership, member, ref, django_capture_on_commit_callbacks):
    good = import_file(partnership, member(Role.OFFICER), "police_uk", "p.csv",
                       csv_bytes(POLICE_HEADER, [police_row()]),
                       django_capture_on_commit_callbacks)
    client.force_login(member(Role.OFFICER))
    url = reverse("datasets:upload_rollback", args=[partnership.slug, good.pk])
    page = client.get(url).content.decode()
    assert "Roll back this upload?" in page and "Yes, roll it back" in page
    good.refresh_from_db()
    assert good.status == UploadStatus.SUCCEEDED
