"""Every validation rule: a small bad file is rejected with row, column and reason,
and the database is unchanged (row counts of every table before = after)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from datasets.models import MonthlyCount, PoliceRecord, UploadStatus
from datasets.services.uploads import upload_create
from tests.datasets.factories import (
    POLICE_HEADER,
    csv_bytes,
    named_file,
    police_row,
)
from tests.datasets.helpers import import_file, table_counts, xlsx_bytes

AGG_HEADER = "month,area_code,area_name,category,count"
GOOD_AGG = ["2023-01", "E05000000", "Ward 0", "Burglary", "3"]


def police(*rows):
    return csv_bytes(POLICE_HEADER, [police_row()] + list(rows))


BAD_FILES = {
    # name: (kind, filename, content, expected row, expected column, reason fragment)
    "wrong header": ("police_uk", "a.csv", csv_bytes("Crime ID,Month,Crime type", [["1", "2",
                     "3"]]), 1, "header", "Wrong header"),
    "missing header column": ("police_uk", "a.csv", csv_bytes(POLICE_HEADER.replace(",Context",
                              ""), [police_row()[:11]]), 1, "header", "missing Context"),
    "bad month": ("police_uk", "a.csv", police(police_row(month="2023-13")), 3, "Month",
                  "not a month"),
    "malformed LSOA": ("police_uk", "a.csv", police(police_row(lsoa="Maidstone")), 3,
                       "LSOA code", "not an LSOA code"),
    "duplicate crime id": ("police_uk", "a.csv", police(police_row(crime_id="abc"),
                           police_row(crime_id="abc")), 4, "Crime ID", "duplicate"),
    "bad coordinates": ("police_uk", "a.csv", police(police_row(lon="east")), 3, "Longitude",
                        "numbers"),
    "wrong column count": ("police_uk", "a.csv", police(police_row()[:8]), 3, "",
                           "expected 12 columns"),
    "formula cell": ("police_uk", "a.csv", police(police_row(location="=HYPERLINK(\"x\")")), 3,
                     "Location", "formula"),
    "formula cell with @": ("police_uk", "a.csv", police(police_row(context="@SUM(A1)")), 3,
                            "Context", "formula"),
    "empty crime type": ("police_uk", "a.csv", police(police_row(crime_type="")), 3,
                         "Crime type", "empty"),
    "wrong encoding": ("police_uk", "a.csv", police(police_row(location="On or near Café"))
                       .decode().encode("latin-1"), 1, "", "not UTF-8"),
    "header only": ("police_uk", "a.csv", (POLICE_HEADER + "\r\n").encode(), 2, "",
                    "no data rows"),
    "spreadsheet as police.uk": ("police_uk", "a.csv", xlsx_bytes([["Crime ID"]]), 1, "",
                                 "CSV"),
    "formula cell with -": ("police_uk", "a.csv", police(police_row(
        location="-2+3+cmd|' /C calc'!A0")), 3, "Location", "formula"),
    "-nan is not a number": ("police_uk", "a.csv", police(police_row(context="-nan")), 3,
                             "Context", "formula"),
    "-inf is not a number": ("police_uk", "a.csv", police(police_row(outcome="-inf")), 3,
                             "Last outcome category", "formula"),
    "nan longitude": ("police_uk", "a.csv", police(police_row(lon="nan")), 3, "Longitude",
                      "not a plain decimal"),
    "inf latitude": ("police_uk", "a.csv", police(police_row(lat="inf")), 3, "Latitude",
                     "not a plain decimal"),
    "longitude out of range": ("police_uk", "a.csv", police(police_row(lon="181.5")), 3,
                               "Longitude", "out of range"),
    "latitude out of range": ("police_uk", "a.csv", police(police_row(lat="-90.01")), 3,
                              "Latitude", "out of range"),
    "coordinate with underscores": ("police_uk", "a.csv", police(police_row(lon="0_5")), 3,
                                    "Longitude", "not a plain decimal"),
    "coordinate in exponent form": ("police_uk", "a.csv", police(police_row(lat="1e-400")), 3,
                                    "Latitude", "not a plain decimal"),
    "encoding error mid-file": ("police_uk", "a.csv", police(*[police_row() for _ in range(300)])
                                + "\r\n".join([",".join(police_row(location="On or near Café"))]
                                                ).encode("latin-1"),
                                0, "", "not UTF-8 text (wrong encoding) from about row"),
    "over-long Crime ID": ("police_uk", "a.csv", police(police_row(crime_id="a" * 101)), 3,
                           "Crime ID", "101 characters; at most 100"),
    "over-long Location": ("police_uk", "a.csv", police(police_row(location="x" * 256)), 3,
                           "Location", "256 characters; at most 255"),
    "over-long outcome": ("police_uk", "a.csv", police(police_row(outcome="y" * 300)), 3,
                          "Last outcome category", "300 characters; at most 255"),
    "extract with a wrong header": ("aggregate", "a.csv", csv_bytes("month,area,count",
                                    [["2023-01", "E05000000", "3"]]), 1, "header",
                                    "missing area_code, area_name, category"),
    "extract with columns in the wrong order": ("aggregate", "a.csv", csv_bytes(
        "area_code,month,area_name,category,count", [["E05000000", "2023-01", "", "Burglary",
                                                      "1"]]), 1, "header", "wrong order"),
    "bad month in an extract": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [["2023-13",
                                "E05000000", "", "Burglary", "1"]]), 2, "month", "not a month"),
    "extract month not YYYY-MM": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [["Jan 2023",
                                  "E05000000", "", "Burglary", "1"]]), 2, "month", "not a month"),
    "count larger than the database stores": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [
        GOOD_AGG[:4] + ["2147483648"]]), 2, "count", "larger than the largest count"),
    "counts adding up to more than the database stores": ("aggregate", "a.csv", csv_bytes(
        AGG_HEADER, [["2023-01", "E01000000", "", "Burglary", "2147483647"],
                     ["2023-01", "E01000001", "", "Burglary", "1"]]), 0, "count", "add up to"),
    "nan count": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [GOOD_AGG[:4] + ["nan"]]), 2,
                  "count", "whole number"),
    "xlsx with a formula in the header": ("aggregate", "a.xlsx", xlsx_bytes([
        ["month", "area_code", "area_name", "=UPPER(\"category\")", "count"], GOOD_AGG]), 1, "",
        "header contains formulas"),
    "indicator file with a wrong header": ("indicators", "a.csv", csv_bytes("name,when,amount",
                                           [["MARAC", "2022", "3"]]), 1, "header",
                                           "Wrong header"),
    "indicator file with one column": ("indicators", "a.csv", csv_bytes("month", [["2022-01"]]),
                                       1, "header", "Wrong header"),
    "nan indicator value": ("indicators", "a.csv", csv_bytes("indicator,period,value",
                            [["MARAC", "2022", "nan"]]), 2, "value", "not a number"),
    "infinite indicator value": ("indicators", "a.csv", csv_bytes("indicator,period,value",
                                 [["MARAC", "2022", "Infinity"]]), 2, "value", "not a number"),
    "too large indicator value": ("indicators", "a.csv", csv_bytes("indicator,period,value",
                                  [["MARAC", "2022", "12345678901"]]), 2, "value", "too large"),
    "over-long indicator name": ("indicators", "a.csv", csv_bytes("indicator,period,value",
                                 [["M" * 251, "2022", "3"]]), 2, "indicator",
                                 "251 characters long; at most 250"),
    "over-long unit": ("indicators", "a.csv", csv_bytes("indicator,period,value,unit", [
        ["MARAC", "2022", "3", "u" * 61]]), 2, "unit", "61 characters long; at most 60"),
    "negative count": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [GOOD_AGG[:4] + ["-3"]]), 2,
                       "count", "whole number"),
    "non-integer count": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [GOOD_AGG[:4] + ["2.5"]]),
                          2, "count", "whole number"),
    "unknown area": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [["2023-01", "E05999999", "",
                     "Burglary", "1"]]), 2, "area_code", "unknown area"),
    "unknown category": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [["2023-01", "E05000000",
                         "", "Fraud", "1"]]), 2, "category", "unknown or unmapped"),
    "duplicate aggregate row": ("aggregate", "a.csv", csv_bytes(AGG_HEADER, [GOOD_AGG,
                                GOOD_AGG]), 3, "", "duplicate of row 2"),
    "xlsx with formulas": ("aggregate", "a.xlsx", xlsx_bytes([AGG_HEADER.split(","),
                           ["2023-01", "E05000000", "", "Burglary", "=1+2"]]), 2, "E2",
                           "formula"),
    "xlsx with two sheets": ("aggregate", "a.xlsx", xlsx_bytes([AGG_HEADER.split(","),
                             GOOD_AGG], sheets=2), 1, "", "2 sheets"),
    "bad period": ("indicators", "a.csv", csv_bytes("indicator,period,value", [["MARAC",
                   "2022/23", "3"]]), 2, "period", "not a period"),
    "non-numeric indicator": ("indicators", "a.csv", csv_bytes("indicator,period,value",
                              [["MARAC", "2022", "lots"]]), 2, "value", "not a number"),
    "duplicate indicator period": ("indicators", "a.csv", csv_bytes("month,needle_finds",
                                   [["2022-01", "3"], ["2022-01", "4"]]), 3, "",
                                   "duplicate of row 2"),
    "mixed period kinds": ("indicators", "a.csv", csv_bytes("indicator,period,value",
                           [["MARAC", "2022", "3"], ["MARAC", "2022-01", "4"]]), 3, "period",
                           "holds calendar year values"),
    "indicator formula": ("indicators", "a.csv", csv_bytes("indicator,period,value",
                          [["+cmd|' /C calc'!A0", "2022", "3"]]), 2, "indicator", "formula"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_it_rejects_a_bad_file_and_changes_nothing(
        case, partnership, officer, ref, django_capture_on_commit_callbacks):
    kind, name, content, row, column, reason = BAD_FILES[case]
    before = table_counts()
    upload = import_file(partnership, officer, kind, name, content,
                         django_capture_on_commit_callbacks)
    before["datasets.Upload"] += 1
    before["datasets.HistoricalUpload"] += 1  # created by upload_create, before the import
    assert upload.status == UploadStatus.REJECTED, upload.summary
    assert table_counts() == before
    assert any(e["row"] == row and e["column"] == column and reason in e["reason"]
               for e in upload.errors), upload.errors
    assert upload.error_report


def test_a_negative_longitude_is_a_number_not_a_formula(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    upload = import_file(partnership, officer, "police_uk", "a.csv",
                         police(police_row(lon="-0.5", lat="51.2")),
                         django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.SUCCEEDED, upload.errors


def test_it_keeps_the_first_200_problems_and_reports_all_of_them_as_csv(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    rows = [police_row(month="bad") for _ in range(250)]
    upload = import_file(partnership, officer, "police_uk", "a.csv",
                         csv_bytes(POLICE_HEADER, rows), django_capture_on_commit_callbacks)
    assert upload.error_count == 250
    assert len(upload.errors) == 200
    with upload.error_report.open("rb") as f:
        report = list(csv.reader(io.StringIO(f.read().decode())))
    assert report[0] == ["row", "column", "reason"]
    assert len(report) == 251
    assert report[-1][0] == "251"


def test_a_valid_xlsx_extract_is_imported(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    upload = import_file(partnership, officer, "aggregate", "a.xlsx",
                         xlsx_bytes([AGG_HEADER.split(","), GOOD_AGG]),
                         django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.SUCCEEDED, upload.errors
    assert upload.summary["rows_accepted"] == 1


def _rejected_without_change(partnership, officer, kind, name, content, capture):
    before = table_counts()
    upload = import_file(partnership, officer, kind, name, content, capture)
    before["datasets.Upload"] += 1
    before["datasets.HistoricalUpload"] += 1
    assert upload.status == UploadStatus.REJECTED, upload.summary
    assert table_counts() == before
    return upload


def test_values_at_the_exact_limits_are_imported(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    police_upload = import_file(partnership, officer, "police_uk", "a.csv", police(police_row(
        crime_id="c" * 100, location="l" * 255, outcome="o" * 255, lon="-180", lat="90")),
        django_capture_on_commit_callbacks)
    assert police_upload.status == UploadStatus.SUCCEEDED, police_upload.errors
    assert PoliceRecord.objects.filter(crime_id="c" * 100, location="l" * 255).exists()
    extract = import_file(partnership, officer, "aggregate", "a.csv", csv_bytes(
        AGG_HEADER, [GOOD_AGG[:4] + ["2147483647"]]), django_capture_on_commit_callbacks)
    assert extract.status == UploadStatus.SUCCEEDED, extract.errors
    assert MonthlyCount.objects.filter(source="aggregate", count=2147483647,
                                       area=ref["areas"]["district"]).exists()


def test_a_police_row_for_a_month_outside_its_lsoas_validity_is_an_error(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    lsoa = ref["areas"]["E01000001"]
    lsoa.valid_from, lsoa.valid_to = dt.date(2019, 5, 2), dt.date(2022, 12, 31)
    lsoa.save()
    content = police(police_row(lsoa="E01000001", month="2022-12"),
                     police_row(lsoa="E01000001", month="2023-01"),
                     police_row(lsoa="E01000001", month="2019-04"),
                     police_row(lsoa="E01000001", month="2019-05"))
    upload = _rejected_without_change(partnership, officer, "police_uk", "a.csv", content,
                                      django_capture_on_commit_callbacks)
    assert [(e["row"], e["column"]) for e in upload.errors] == [(4, "LSOA code"),
                                                                 (5, "LSOA code")]
    assert "valid from 2019-05 until 2022-12; this row is for 2023-01" in upload.errors[0]["reason"]


def test_an_extract_row_for_a_month_outside_its_areas_validity_is_an_error(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    ward = ref["areas"]["E05000000"]
    ward.valid_from = dt.date(2024, 5, 2)
    ward.save()
    upload = _rejected_without_change(partnership, officer, "aggregate", "a.csv", csv_bytes(
        AGG_HEADER, [["2024-04", "E05000000", "", "Burglary", "1"],
                     ["2024-05", "E05000000", "", "Burglary", "1"]]),
        django_capture_on_commit_callbacks)
    assert [(e["row"], e["column"]) for e in upload.errors] == [(2, "area_code")]
    assert "valid from 2024-05; this row is for 2024-04" in upload.errors[0]["reason"]


def test_an_extract_counting_a_ward_and_its_district_in_one_month_is_refused(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    upload = _rejected_without_change(partnership, officer, "aggregate", "a.csv", csv_bytes(
        AGG_HEADER, [["2023-01", "E07000110", "Maidstone", "Burglary", "9"],
                     ["2023-01", "E05000000", "Ward 0", "Burglary", "3"],
                     ["2023-02", "E05000001", "Ward 1", "Burglary", "3"]]),
        django_capture_on_commit_callbacks)
    assert [(e["row"], e["column"], e["reason"]) for e in upload.errors] == [
        (3, "area_code", "ward E05000000 (Ward 0) is inside district E07000110 (Maidstone), "
         "which row 2 also counts for 2023-01: give counts at one level")]


def test_an_extract_counting_a_category_and_its_group_in_one_month_is_refused(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    upload = _rejected_without_change(partnership, officer, "aggregate", "a.csv", csv_bytes(
        AGG_HEADER, [["2023-01", "E05000000", "", "Burglary", "3"],
                     ["2023-01", "E05000000", "", "Victim Based Crime", "9"],
                     ["2023-01", "E07000110", "", "Victim Based Crime", "20"]]),
        django_capture_on_commit_callbacks)
    reasons = {(e["row"], e["column"]): e["reason"] for e in upload.errors}
    assert reasons[(2, "category")] == (
        "category “Burglary” is in group “Victim Based Crime”, which row 3 also counts for "
        "2023-01: give counts at one level")
    assert reasons[(3, "area_code")].startswith("ward E05000000 (Ward 0) is inside district")
    assert "Burglary” is in group" in reasons[(2, "area_code")]  # ward/category vs district/group
    assert len(upload.errors) == 3


def test_counts_at_one_level_in_different_months_or_categories_are_fine(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    upload = import_file(partnership, officer, "aggregate", "a.csv", csv_bytes(
        AGG_HEADER, [["2023-01", "E07000110", "", "Burglary", "9"],
                     ["2023-02", "E05000000", "", "Burglary", "3"],
                     ["2023-01", "E05000000", "", "Robbery", "2"]]),
        django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.SUCCEEDED, upload.errors


@pytest.mark.parametrize("content,name,message", [
    (b"", "a.csv", "The file is empty."),
    (b"x" * 2048, "a.csv", "the limit is 1.0"),
    (b"Crime ID", "a.txt", "must be .csv"),
])
def test_the_service_refuses_an_empty_oversized_or_wrong_type_file_and_stores_nothing(
        partnership, officer, ref, settings, content, name, message):
    settings.SMP_MAX_UPLOAD_BYTES = 1024
    stored_before = sorted(p.name for p in Path(settings.PRIVATE_STORAGE_ROOT).rglob("*"))
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        upload_create(partnership=partnership, kind="police_uk", user=officer,
                      file=named_file(name, content))
    assert message in " ".join(refused.value.messages)
    assert table_counts() == before
    assert sorted(p.name for p in Path(settings.PRIVATE_STORAGE_ROOT).rglob("*")) == stored_before
