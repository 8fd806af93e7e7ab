"""Importing police.uk street files: records, counts, replace, warnings."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from datasets.models import MonthlyCount, PoliceRecord, Upload, UploadMonth, UploadStatus
from datasets.services.uploads import upload_create
from tests.datasets.factories import police_file, police_row


def _import(partnership, officer, rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(partnership=partnership, kind="police_uk",
                               file=police_file(rows), user=officer)
    upload.refresh_from_db()
    return upload


def _count(ref, area, category, month="2023-01-01"):
    row = MonthlyCount.objects.filter(area=ref["areas"][area], category=ref["categories"][category],
                                      source="police_uk", month=month).first()
    return row.count if row else None


def test_it_stores_records_and_rolls_counts_up_areas_and_groups(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    rows = [police_row(lsoa="E01000000", crime_type="Burglary"),
            police_row(lsoa="E01000001", crime_type="Burglary"),
            police_row(lsoa="E01000010", crime_type="Robbery"),
            police_row(lsoa="E01000010", crime_type="Anti-social behaviour"),
            police_row(lsoa="E01000010", crime_type="Anti-social behaviour"),
            police_row(month="2023-02", lsoa="E01000000", crime_type="Drugs")]
    upload = _import(partnership, officer, rows, django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.SUCCEEDED, (upload.errors, upload.summary)
    assert upload.summary['rows_accepted'] == 6, upload.summary
    assert PoliceRecord.objects.filter(upload=upload).count() == 6
    assert _count(ref, "E01000000", "Burglary") == 1
    assert _count(ref, "E05000000", "Burglary") == 2
    assert _count(ref, "cluster", "Victim Based Crime") == 3
    assert _count(ref, "district", "ASB incidents") == 2  # identical ASB rows: two incidents
    assert _count(ref, "district", "Crimes Against Society", "2023-02-01") == 1
    assert upload.summary["rows_accepted"] == 6
    assert upload.summary["months"] == 2
    assert upload.period_start == dt.date(2023, 1, 1)


def test_it_counts_rows_outside_the_partnership_as_a_warning_not_an_error(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    rows = [police_row(lsoa="E01000000"), police_row(lsoa="E01099999"),
            police_row(lsoa="", lon="", lat="", location="No location")]
    upload = _import(partnership, officer, rows, django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.SUCCEEDED
    assert upload.summary["outside_area_rows"] == 1
    assert upload.summary["no_location_rows"] == 1
    assert PoliceRecord.objects.count() == 1
    assert any("outside this partnership" in w for w in upload.summary["warnings"])


def test_it_honours_empty_coordinates_and_bare_locations(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    rows = [police_row(lon="", lat="", location="On or near ")]
    upload = _import(partnership, officer, rows, django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.SUCCEEDED
    record = PoliceRecord.objects.get()
    assert record.longitude is None and record.location == "On or near "


def test_it_warns_about_unmapped_crime_types(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    rows = [police_row(), police_row(crime_type="Fraud")]
    upload = _import(partnership, officer, rows, django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.SUCCEEDED
    assert upload.summary["unmapped_rows"] == 1
    assert any("Fraud" in w for w in upload.summary["warnings"])


def test_a_reupload_of_a_month_replaces_its_records_never_duplicates(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    first = _import(partnership, officer, [police_row(), police_row(),
                                           police_row(month="2023-02")],
                    django_capture_on_commit_callbacks)
    second = _import(partnership, officer, [police_row(), police_row(month="2023-03")],
                     django_capture_on_commit_callbacks)
    assert second.status == UploadStatus.SUCCEEDED
    assert second.summary["replaced_records"] == 2
    assert second.summary["new_records"] == 2
    assert _count(ref, "E01000000", "Burglary", "2023-01-01") == 1
    assert _count(ref, "E01000000", "Burglary", "2023-02-01") == 1  # untouched month kept
    assert _count(ref, "E01000000", "Burglary", "2023-03-01") == 1
    current = UploadMonth.objects.filter(superseded_by__isnull=True)
    assert {(m.upload_id, m.month.month) for m in current} == {
        (first.pk, 2), (second.pk, 1), (second.pk, 3)}


def test_it_enqueues_the_trend_recalculation_after_a_successful_import(
        partnership, officer, ref, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    from datasets import tasks

    monkeypatch.setattr(tasks.recalculate_for_upload, "delay", lambda i: calls.append(i))
    upload = _import(partnership, officer, [police_row()], django_capture_on_commit_callbacks)
    assert calls == [upload.pk]


def test_it_stores_the_file_privately_under_a_uuid_name_with_checksum(
        partnership, officer, ref, django_capture_on_commit_callbacks, settings):
    rows = [police_row()]
    content = police_file(rows).read()
    upload = _import(partnership, officer, rows, django_capture_on_commit_callbacks)
    assert upload.original_name == "street.csv"
    assert re.fullmatch(r"uploads/[0-9a-f]{32}\.csv", upload.file.name)
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / upload.file.name
    assert stored.read_bytes() == content
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.size == len(content)
    assert Upload.objects.count() == 1
