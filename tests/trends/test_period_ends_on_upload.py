"""Figures at period ends after uploads and rollbacks: only the period ends an upload can
change are rewritten; a former latest month that is not a quarter end goes; a rollback
brings the earlier latest month back."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets.models import TrendPeriodResult, TrendSeries
from datasets.services.trends import trends_recalculate_partnership
from datasets.services.uploads import upload_rollback
from smp.models import Role
from tests.datasets.factories import POLICE_HEADER, build_reference, csv_bytes, police_row
from tests.datasets.helpers import import_file

pytestmark = pytest.mark.django_db


def _months(start: dt.date, n: int) -> list[str]:
    return [f"{(start.year * 12 + start.month - 1 + i) // 12}-"
            f"{(start.month - 1 + i) % 12 + 1:02d}" for i in range(n)]


@pytest.fixture
def setup(partnership, member, django_capture_on_commit_callbacks):
    ref = build_reference(partnership)
    officer = member(Role.OFFICER)

    def upload(months, name):
        rows = [police_row(month=m, lsoa="E01000000", crime_type="Burglary") for m in months]
        return import_file(partnership, officer, "police_uk", name,
                           csv_bytes(POLICE_HEADER, rows), django_capture_on_commit_callbacks)

    series_key = TrendSeries.count_key("police_uk", ref["areas"]["E05000000"].pk,
                                       ref["categories"]["Burglary"].pk)
    return upload, officer, series_key


def _rows(key):
    return {p.period_end: p for p in TrendPeriodResult.objects.filter(series__key=key)}


def test_a_new_month_rewrites_only_the_period_ends_it_can_change(setup):
    upload, _, key = setup
    upload(_months(dt.date(2021, 1, 1), 14), "to-feb-2022.csv")  # Jan 2021 - Feb 2022
    before = _rows(key)
    assert sorted(before)[-1] == dt.date(2022, 2, 1)  # the latest month, not a quarter end

    upload(["2022-03"], "mar-2022.csv")

    after = _rows(key)
    assert dt.date(2022, 2, 1) not in after  # no longer the latest, not a quarter end
    assert after[dt.date(2022, 3, 1)].rolling_total == 12
    for end in (dt.date(2021, 3, 1), dt.date(2021, 12, 1)):  # untouched, not rewritten
        assert after[end].calculated_at == before[end].calculated_at
    # and exactly what a full recalculation from scratch stores
    stored = {e: (p.rolling_total, p.rank, p.previous_total) for e, p in after.items()}
    TrendPeriodResult.objects.all().delete()
    trends_recalculate_partnership(partnership_id=TrendSeries.objects.get(key=key)
                                   .partnership_id, force=True)
    assert {e: (p.rolling_total, p.rank, p.previous_total)
            for e, p in _rows(key).items()} == stored


def test_rolling_back_the_latest_month_brings_the_earlier_latest_month_back(
    setup, django_capture_on_commit_callbacks
):
    upload, officer, key = setup
    upload(_months(dt.date(2021, 1, 1), 14), "to-feb-2022.csv")
    latest = upload(["2022-03"], "mar-2022.csv")

    with django_capture_on_commit_callbacks(execute=True):
        upload_rollback(upload=latest, user=officer)

    rows = _rows(key)
    assert sorted(rows)[-1] == dt.date(2022, 2, 1)
    assert dt.date(2022, 3, 1) not in rows
    assert rows[dt.date(2022, 2, 1)].rolling_total == 12
