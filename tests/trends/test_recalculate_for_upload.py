"""Task/service: recalculation of exactly the series an upload touched, the contract
with imports (trends_mark_touched), and a real worker doing it through Redis."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets.models import MonthlyCount, RecalculationRun, TrendSeries, TrendsTouched
from datasets.services.trends import (
    trends_mark_touched,
    trends_recalculate_for_upload,
    trends_recalculate_partnership,
)
from datasets.tasks import recalculate_for_upload, recalculate_indicator_series
from tests.conftest import wait_for
from tests.trends.factories import (
    AreaFactory,
    CategoryFactory,
    IndicatorSeriesFactory,
    add_counts,
    add_indicator_values,
    needle_finds,
)

START = dt.date(2020, 1, 1)
NEW_QUARTER = [dt.date(2022, 1, 1), dt.date(2022, 2, 1), dt.date(2022, 3, 1)]


def _key(area, category):
    return TrendSeries.count_key("police_uk", area.pk, category.pk)


@pytest.fixture
def two_wards(partnership):
    a, b = AreaFactory(partnership=partnership), AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    for ward in (a, b):
        add_counts(area=ward, category=category, start=START, values=[5] * 24)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    return a, b, category


@pytest.mark.django_db
def test_marking_an_upload_enqueues_recalculation_of_only_the_series_it_touched(
    partnership, two_wards, django_capture_on_commit_callbacks
):
    a, b, category = two_wards
    untouched_at = TrendSeries.objects.get(key=_key(b, category)).calculated_at
    add_counts(area=a, category=category, start=NEW_QUARTER[0], values=[9, 9, 9])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        trends_mark_touched(upload_id=41, partnership_id=partnership.pk, source="police_uk",
                            months=NEW_QUARTER, area_ids=[a.pk])

    assert len(callbacks) == 1
    touched = TrendSeries.objects.get(key=_key(a, category))
    assert touched.period_end == dt.date(2022, 3, 1) and touched.latest_value == 9
    assert TrendSeries.objects.get(key=_key(b, category)).calculated_at == untouched_at
    run = RecalculationRun.objects.get(upload_id=41)
    assert (run.status, run.total, run.skipped) == ("done", 1, 0)
    assert TrendsTouched.objects.get(upload_id=41).processed_at is not None


@pytest.mark.django_db
def test_a_rolled_back_upload_is_reflected_in_the_stored_results(partnership, two_wards):
    a, _, category = two_wards
    add_counts(area=a, category=category, start=NEW_QUARTER[0], values=[9, 9, 9])
    TrendsTouched.objects.create(upload_id=7, partnership=partnership, source="police_uk",
                                 month_from=NEW_QUARTER[0], month_to=NEW_QUARTER[-1])
    trends_recalculate_for_upload(upload_id=7)
    assert TrendSeries.objects.get(key=_key(a, category)).latest_value == 9

    MonthlyCount.objects.filter(month__gte=NEW_QUARTER[0]).delete()  # the rollback
    TrendsTouched.objects.create(upload_id=7, partnership=partnership, source="police_uk",
                                 month_from=NEW_QUARTER[0], month_to=NEW_QUARTER[-1])
    trends_recalculate_for_upload(upload_id=7)

    row = TrendSeries.objects.get(key=_key(a, category))
    assert row.period_end == dt.date(2021, 12, 1) and row.latest_value == 5


@pytest.mark.django_db
def test_a_series_whose_counts_were_all_removed_is_stored_empty(partnership, two_wards):
    a, _, category = two_wards
    MonthlyCount.objects.filter(area=a).delete()
    TrendsTouched.objects.create(upload_id=8, partnership=partnership, source="police_uk",
                                 month_from=START, month_to=dt.date(2021, 12, 1))
    trends_recalculate_for_upload(upload_id=8)
    row = TrendSeries.objects.get(key=_key(a, category))
    assert (row.n_points, row.rolling_total, row.spc) == (0, None, {})
    assert not TrendSeries.objects.with_data().filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_an_unknown_upload_without_touched_rows_does_nothing(partnership, two_wards):
    before = RecalculationRun.objects.count()
    assert trends_recalculate_for_upload(upload_id=123456) == []
    assert RecalculationRun.objects.count() == before


@pytest.mark.django_db
def test_an_indicator_upload_recalculates_its_indicator(partnership):
    indicator = IndicatorSeriesFactory(partnership=partnership)
    add_indicator_values(indicator, START, [3, 4, 5])
    TrendsTouched.objects.create(upload_id=9, partnership=partnership,
                                 indicator_ids=[indicator.pk])
    trends_recalculate_for_upload(upload_id=9)
    assert TrendSeries.objects.get(indicator=indicator).spc["values"] == [3, 4, 5]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recalculates_after_an_upload(celery_worker, partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=[5] * 24)
    TrendsTouched.objects.create(upload_id=77, partnership=partnership, source="police_uk",
                                 month_from=START, month_to=dt.date(2021, 12, 1))

    recalculate_for_upload.delay(77)

    row = wait_for(lambda: TrendSeries.objects.filter(key=_key(ward, category)).first(), 60)
    assert (row.rolling_total, row.previous_total, row.pct_change) == (60, 60, 0)
    run = wait_for(lambda: RecalculationRun.objects.filter(upload_id=77, status="done").first())
    assert run.total == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recalculates_an_indicator_entered_by_hand(celery_worker, partnership):
    start, values = needle_finds()
    indicator = IndicatorSeriesFactory(partnership=partnership, name="Needle finds")
    add_indicator_values(indicator, start, values)

    recalculate_indicator_series.delay(indicator.pk)

    row = wait_for(lambda: TrendSeries.objects.filter(indicator=indicator).first(), 60)
    assert row.spc["values"] == values


@pytest.mark.django_db
def test_running_the_task_twice_for_one_upload_recomputes_nothing_the_second_time(
    partnership, two_wards
):
    a, _, category = two_wards
    add_counts(area=a, category=category, start=NEW_QUARTER[0], values=[9, 9, 9])
    TrendsTouched.objects.create(upload_id=12, partnership=partnership, source="police_uk",
                                 month_from=NEW_QUARTER[0], month_to=NEW_QUARTER[-1])
    (first,) = trends_recalculate_for_upload(upload_id=12)
    (again,) = trends_recalculate_for_upload(upload_id=12)
    # Both series of the source move to the new period end; the repeat skips them all.
    assert (first.total, first.skipped) == (2, 0)
    assert (again.total, again.skipped) == (2, 2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_an_upload_and_then_recalculates_its_trends(celery_worker):
    """The whole chain through Redis: the upload's import task, then the trend
    recalculation it enqueues on commit, both on the worker."""
    from django.db import transaction

    from datasets.models import Upload
    from datasets.services.uploads import upload_create
    from smp.models import Role
    from tests.datasets.factories import build_reference, police_file, police_row
    from tests.factories import MembershipFactory, PartnershipFactory

    partnership = PartnershipFactory()
    officer = MembershipFactory(partnership=partnership, role=Role.OFFICER).user
    ref = build_reference(partnership)
    months = [f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
    rows = [police_row(month=m, lsoa="E01000000", crime_type="Burglary") for m in months]
    rows += [police_row(month=m, lsoa="E01000010", crime_type="Robbery") for m in months[12:]]
    with transaction.atomic():
        upload = upload_create(partnership=partnership, kind="police_uk", user=officer,
                               file=police_file(rows))
    key = TrendSeries.count_key("police_uk", ref["areas"]["E05000001"].pk,
                                ref["categories"]["Robbery"].pk)
    row = wait_for(lambda: TrendSeries.objects.filter(key=key).first(), 120)
    assert Upload.objects.get(pk=upload.pk).status == "succeeded"
    # robberies only in 2022: the covered months of 2021 are zeros, not gaps
    assert row.spc["values"] == [0] * 12 + [1] * 12
    assert (row.rolling_total, row.previous_total, row.pct_change_reason) == (12, 0, "base_zero")
    run = wait_for(lambda: RecalculationRun.objects.filter(upload_id=upload.pk,
                                                           status="done").first(), 60)
    assert run.total == TrendSeries.objects.filter(partnership=partnership).count()
    assert celery_worker.poll() is None
