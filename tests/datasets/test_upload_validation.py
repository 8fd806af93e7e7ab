"""Every validation rule: a small bad file is rejected with row, column and reason,
and the database is unchanged (row counts of every table before = after)."""

from __future__ import annotations

import csv
import io

import pytest

from datasets.models import UploadStatus
from smp.models import Role
from tests.datasets.factories import POLICE_HEADER, build_reference, csv_bytes, police_row
from tests.datasets.helpers import import_file, table_counts, xlsx_bytes

AGG_HEADER = "month,area_code,area_name,category,count"
GOOD_AGG = ["2023-01", "E05000000", "Ward 0", "Burglary", "3"]


@pytest.fixture
def ref(partnership):
    return build_reference(partnership)


@pytest.fixture
def officer(member):
    return member(Role.OFFICER)


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
    "empty file": ("police_uk", "a.csv", b"", 1, "", "empty"),
    "spreadsheet as police.uk": ("police_uk", "a.csv", xlsx_bytes([["Crime ID"]]), 1, "",
                                 "CSV"),
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
