"""The import_dataset command does what the page does, with a useful exit status."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from datasets.models import PoliceRecord, Upload
from tests.datasets.factories import POLICE_HEADER, csv_bytes, police_row
from tests.datasets.helpers import table_counts


def test_it_imports_files_and_reports_a_summary(partnership, ref, tmp_path, capsys):
    path = tmp_path / "street.csv"
    path.write_bytes(csv_bytes(POLICE_HEADER, [police_row(), police_row(lsoa="E01099999")]))
    call_command("import_dataset", "--partnership", partnership.slug, "--kind", "police_uk",
                 str(path))
    out = capsys.readouterr().out
    assert "1 rows accepted" in out and "outside this partnership" in out
    assert PoliceRecord.objects.count() == 1
    assert Upload.objects.get().original_name == "street.csv"


@pytest.mark.parametrize("kind,name,content,shown", [
    ("police_uk", "street.csv", csv_bytes(POLICE_HEADER, [police_row(month="2023-13")]),
     "row 2, Month: “2023-13” is not a month"),
    ("police_uk", "street.csv", csv_bytes(POLICE_HEADER, [police_row(lon="999")]),
     "row 2, Longitude: longitude 999 is out of range"),
    ("aggregate", "extract.csv", csv_bytes("month,area_code,area_name,category,count",
                                           [["2023-01", "E05000000", "", "Burglary", "-1"]]),
     "row 2, count: “-1” is not a whole number ≥ 0"),
    ("indicators", "values.csv", csv_bytes("indicator,period,value",
                                           [["MARAC", "2022/23", "3"]]),
     "row 2, period: “2022/23” is not a period"),
])
def test_a_rejected_file_exits_non_zero_prints_the_problems_and_changes_nothing(
        partnership, ref, tmp_path, capsys, kind, name, content, shown):
    path = tmp_path / name
    path.write_bytes(content)
    before = table_counts()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_dataset", "--partnership", partnership.slug, "--kind", kind,
                     str(path))
    err = capsys.readouterr().err
    assert "rejected, 1 problem(s); nothing was changed" in err and shown in err
    before["datasets.Upload"] += 1  # the upload's own record, with its error report
    before["datasets.HistoricalUpload"] += 1
    assert table_counts() == before


@pytest.mark.parametrize("name,content,shown", [
    ("street.csv", b"x" * 2048, "the limit is 1.0"),
    ("street.csv", b"", "The file is empty."),
    ("street.txt", b"Crime ID", "must be .csv"),
])
def test_an_oversized_empty_or_wrong_type_file_is_refused_and_nothing_is_stored(
        partnership, ref, tmp_path, settings, name, content, shown):
    settings.SMP_MAX_UPLOAD_BYTES = 1024
    path = tmp_path / name
    path.write_bytes(content)
    before = table_counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_dataset", "--partnership", partnership.slug, "--kind",
                     "police_uk", str(path))
    assert shown in str(refused.value) and "Nothing was stored" in str(refused.value)
    assert table_counts() == before


def test_an_unknown_partnership_is_an_error(db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a")
    with pytest.raises(CommandError, match="No partnership"):
        call_command("import_dataset", "--partnership", "nope", "--kind", "police_uk",
                     str(path))
