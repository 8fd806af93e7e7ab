"""Progress while a file is checked (CSV by bytes, XLSX by rows of the sheet), and the
small-numbers warning of the summary, which uses SMP_SMALL_NUMBER_THRESHOLD."""

from __future__ import annotations

import io

import pytest

from datasets.importers import aggregate
from datasets.importers.common import Problems
from datasets.models import Upload
from datasets.services.uploads import _progress
from tests.datasets.factories import POLICE_HEADER, csv_bytes, police_row
from tests.datasets.helpers import import_file, xlsx_bytes
from tests.test_settings import _settings

HEADER = ["month", "area_code", "area_name", "category", "count"]


def _extract_rows(n: int) -> list[list]:
    return [["2023-01", f"A{i}", "", "Burglary", 1] for i in range(n)]


@pytest.mark.parametrize("make", [
    lambda rows: xlsx_bytes([HEADER, *rows]),
    lambda rows: csv_bytes(",".join(HEADER), [[str(c) for c in r] for r in rows]),
], ids=["xlsx", "csv"])
def test_checking_a_file_reports_how_far_through_it_is(make):
    rows = _extract_rows(25_000)
    seen: list[tuple[int, float]] = []
    result = aggregate.validate(io.BytesIO(make(rows)),
                                area_ids={f"A{i}": i for i in range(25_000)},
                                category_ids={"Burglary": 1}, problems=Problems(),
                                progress=lambda n, fraction: seen.append((n, fraction)))
    assert len(result.rows) == 25_000
    assert [n for n, _ in seen] == [10_000, 20_000, 25_000]
    fractions = [f for _, f in seen]
    assert 0.3 < fractions[0] < 0.5 and 0.7 < fractions[1] < 0.9  # not 0% until the end
    assert fractions[-1] == pytest.approx(1.0, abs=0.01)


def test_the_upload_row_shows_the_percent_and_an_estimate_of_the_rows(partnership):
    upload = Upload.objects.create(partnership=partnership, kind="aggregate", original_name="x",
                                   sha256="0" * 64, size=1000)
    _progress(upload)(10_000, 0.4)
    upload.refresh_from_db()
    assert (upload.rows_read, upload.percent, upload.rows_estimated) == (10_000, 40, 25_000)
    assert upload.heartbeat_at is not None
    _progress(upload)(25_000, 1.0)
    upload.refresh_from_db()
    assert upload.percent == 99  # 100 only once the data is written


def test_the_small_numbers_warning_uses_the_setting(
        partnership, officer, ref, settings, django_capture_on_commit_callbacks):
    settings.SMP_SMALL_NUMBER_THRESHOLD = 3
    rows = [police_row(lsoa="E01000000") for _ in range(3)] + [police_row(lsoa="E01000010")]
    upload = import_file(partnership, officer, "police_uk", "a.csv",
                         csv_bytes(POLICE_HEADER, rows), django_capture_on_commit_callbacks)
    # Above LSOA level: ward 0 (3), ward 1 (1), cluster (4), district (4), for Burglary
    # and for its group: the two counts of ward 1 are below 3.
    assert (upload.summary["small_counts"], upload.summary["count_cells_above_lsoa"]) == (2, 8)
    assert any("8 monthly counts for wards and larger areas are below 3" in w
               for w in upload.summary["warnings"])


def test_the_small_numbers_threshold_is_20_unless_set_and_must_be_a_whole_number():
    assert _settings(["SMP_SMALL_NUMBER_THRESHOLD"]) == {"SMP_SMALL_NUMBER_THRESHOLD": 20}
    assert _settings(["SMP_SMALL_NUMBER_THRESHOLD"], SMP_SMALL_NUMBER_THRESHOLD="10") == {
        "SMP_SMALL_NUMBER_THRESHOLD": 10}
    from tests.test_settings import _production_env, _run

    result = _run(["manage.py", "check"], _production_env(SMP_SMALL_NUMBER_THRESHOLD="many"))
    assert result.returncode != 0
    assert "SMP_SMALL_NUMBER_THRESHOLD='many' is not a whole number" in result.stderr
