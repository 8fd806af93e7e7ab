"""The import_dataset command does what the page does, with a useful exit status."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from datasets.models import PoliceRecord, Upload
from tests.datasets.factories import POLICE_HEADER, build_reference, csv_bytes, police_row


@pytest.fixture
def ref(partnership):
    return build_reference(partnership)


def test_it_imports_files_and_reports_a_summary(partnership, ref, tmp_path, capsys):
    path = tmp_path / "street.csv"
    path.write_bytes(csv_bytes(POLICE_HEADER, [police_row(), police_row(lsoa="E01099999")]))
    call_command("import_dataset", "--partnership", partnership.slug, "--kind", "police_uk",
                 str(path))
    out = capsys.readouterr().out
    assert "1 rows accepted" in out and "outside this partnership" in out
    assert PoliceRecord.objects.count() == 1
    assert Upload.objects.get().original_name == "street.csv"


def test_a_rejected_file_exits_non_zero_and_prints_the_problems(
        partnership, ref, tmp_path, capsys):
    path = tmp_path / "street.csv"
    path.write_bytes(csv_bytes(POLICE_HEADER, [police_row(month="2023-13")]))
    with pytest.raises(CommandError):
        call_command("import_dataset", "--partnership", partnership.slug, "--kind",
                     "police_uk", str(path))
    err = capsys.readouterr().err
    assert "row 2, Month" in err and "not a month" in err
    assert PoliceRecord.objects.count() == 0


def test_an_unknown_partnership_is_an_error(db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a")
    with pytest.raises(CommandError, match="No partnership"):
        call_command("import_dataset", "--partnership", "nope", "--kind", "police_uk",
                     str(path))
