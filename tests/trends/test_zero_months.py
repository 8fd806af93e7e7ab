"""Zero or gap: a month that an upload covers but in which an area had no crime of a
category is a zero, not a gap; a month that no upload covers is a gap. Checked through the
real import path (police.uk upload → counts → recalculation on commit)."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets.models import TrendSeries
from datasets.services.trends import trends_recalculate_partnership
from datasets.services.uploads import upload_rollback
from smp.models import Role
from tests.datasets.factories import POLICE_HEADER, build_reference, csv_bytes, police_row
from tests.datasets.helpers import import_file

pytestmark = pytest.mark.django_db


def _months(start: dt.date, n: int) -> list[str]:
    out = []
    for i in range(n):
        index = start.year * 12 + start.month - 1 + i
        out.append(f"{index // 12}-{index % 12 + 1:02d}")
    return out


def _upload(partnership, officer, rows, capture, name="street.csv"):
    return import_file(partnership, officer, "police_uk", name, csv_bytes(POLICE_HEADER, rows),
                       capture)


def _series(ref, area, category) -> TrendSeries:
    return TrendSeries.objects.get(
        key=TrendSeries.count_key("police_uk", ref["areas"][area].pk,
                                  ref["categories"][category].pk)
    )


@pytest.fixture
def ref(partnership):
    return build_reference(partnership)


@pytest.fixture
def officer(member):
    return member(Role.OFFICER)


def test_a_covered_month_without_a_crime_is_zero_in_every_figure(
    partnership, officer, ref, django_capture_on_commit_callbacks
):
    # One burglary a month in one LSOA for 2021-2022, except none in March 2022; a
    # robbery every month so that March 2022 is in the file.
    months = _months(dt.date(2021, 1, 1), 24)
    rows = [police_row(month=m, lsoa="E01000000", crime_type="Burglary")
            for m in months if m != "2022-03"]
    rows += [police_row(month=m, lsoa="E01000010", crime_type="Robbery") for m in months]
    upload = _upload(partnership, officer, rows, django_capture_on_commit_callbacks)
    assert upload.status == "succeeded", upload.errors

    for area in ("E01000000", "E05000000", "district"):
        row = _series(ref, area, "Burglary")
        assert row.period_end == dt.date(2022, 12, 1)
        assert row.spc["values"][14] == 0  # March 2022: zero, not a gap
        assert (row.rolling_total, row.previous_total, row.change) == (11, 12, -1)
        assert round(row.pct_change, 1) == -8.3
        assert row.pct_change_reason == ""
    # Ward 1 never had a burglary: it has no burglary series at all (nothing to chart).
    assert not TrendSeries.objects.filter(
        key=TrendSeries.count_key("police_uk", ref["areas"]["E05000001"].pk,
                                  ref["categories"]["Burglary"].pk)).exists()


def test_a_previous_year_of_zeros_gives_an_undefined_percentage_said_plainly(
    partnership, officer, ref, django_capture_on_commit_callbacks
):
    months = _months(dt.date(2021, 1, 1), 24)
    rows = [police_row(month=m, lsoa="E01000010", crime_type="Robbery") for m in months]
    rows += [police_row(month=m, lsoa="E01000000", crime_type="Burglary") for m in months[12:]]
    _upload(partnership, officer, rows, django_capture_on_commit_callbacks)

    row = _series(ref, "E01000000", "Burglary")
    assert row.spc["values"] == [0] * 12 + [1] * 12
    assert (row.rolling_total, row.previous_total, row.change) == (12, 0, 12)
    assert row.pct_change is None and row.pct_change_reason == "base_zero"
    assert row.small_numbers


def test_months_no_upload_covers_stay_gaps(
    partnership, officer, ref, django_capture_on_commit_callbacks
):
    # 2021 uploaded, 2022 not, 2023-01 uploaded: 2022 is unknown, not zero.
    rows = [police_row(month=m, lsoa="E01000000", crime_type="Burglary")
            for m in _months(dt.date(2021, 1, 1), 12)]
    _upload(partnership, officer, rows, django_capture_on_commit_callbacks, "2021.csv")
    _upload(partnership, officer, [police_row(month="2023-01", lsoa="E01000010",
                                              crime_type="Robbery")],
            django_capture_on_commit_callbacks, "2023.csv")

    row = _series(ref, "E01000000", "Burglary")
    assert row.period_end == dt.date(2023, 1, 1)
    assert row.spc["values"] == [1] * 12 + [None] * 12 + [0]
    assert row.rolling_total is None and row.pct_change_reason


def test_a_new_quarter_moves_every_series_on_even_where_nothing_happened(
    partnership, officer, ref, django_capture_on_commit_callbacks
):
    months = _months(dt.date(2021, 1, 1), 12)
    rows = [police_row(month=m, lsoa=lsoa, crime_type="Burglary")
            for m in months for lsoa in ("E01000000", "E01000010")]
    _upload(partnership, officer, rows, django_capture_on_commit_callbacks, "2021.csv")
    # Next quarter: burglaries only in ward 0.
    rows = [police_row(month=m, lsoa="E01000000", crime_type="Burglary")
            for m in ("2022-01", "2022-02", "2022-03")]
    _upload(partnership, officer, rows, django_capture_on_commit_callbacks, "2022q1.csv")

    quiet = _series(ref, "E05000001", "Burglary")
    assert quiet.period_end == dt.date(2022, 3, 1)
    assert quiet.spc["values"][-3:] == [0, 0, 0]
    busy = _series(ref, "E05000000", "Burglary")
    assert busy.period_end == quiet.period_end
    # The incremental result equals a full recalculation from scratch.
    before = {r.key: (r.period_end, r.spc["values"], r.rank, r.rank_of)
              for r in TrendSeries.objects.filter(partnership=partnership)}
    TrendSeries.objects.filter(partnership=partnership).delete()
    trends_recalculate_partnership(partnership_id=partnership.pk)
    after = {r.key: (r.period_end, r.spc["values"], r.rank, r.rank_of)
             for r in TrendSeries.objects.filter(partnership=partnership)}
    assert after == before


def test_rolling_back_the_latest_quarter_restores_the_earlier_period_end(
    partnership, officer, ref, django_capture_on_commit_callbacks
):
    months = _months(dt.date(2021, 1, 1), 12)
    rows = [police_row(month=m, lsoa="E01000000", crime_type="Burglary") for m in months]
    _upload(partnership, officer, rows, django_capture_on_commit_callbacks, "2021.csv")
    latest = _upload(partnership, officer,
                     [police_row(month="2022-01", lsoa="E01000010", crime_type="Robbery")],
                     django_capture_on_commit_callbacks, "2022-01.csv")
    assert _series(ref, "E01000000", "Burglary").spc["values"][-1] == 0

    with django_capture_on_commit_callbacks(execute=True):
        upload_rollback(upload=latest, user=officer)

    row = _series(ref, "E01000000", "Burglary")
    assert row.period_end == dt.date(2021, 12, 1)
    assert row.spc["values"] == [1] * 12
