"""Service: recalculating and storing trend results (datasets.services.trends)."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets.models import (
    AreaLevel,
    RecalculationStatus,
    StepChange,
    StepChangeStatus,
    TrendSeries,
)
from datasets.services.trend_calc import compute_series, read_count_series
from datasets.services.trends import (
    step_change_decide,
    trends_recalculate_indicator,
    trends_recalculate_partnership,
)
from datasets.stats import xmr
from tests.trends.factories import (
    AreaFactory,
    CategoryFactory,
    IndicatorSeriesFactory,
    PopulationFactory,
    add_counts,
    add_indicator_values,
    needle_finds,
)

pytestmark = pytest.mark.django_db
START = dt.date(2020, 1, 1)


def _series(area, category):
    return TrendSeries.objects.get(key=TrendSeries.count_key("police_uk", area.pk, category.pk))


def _flat_then_high():
    return [10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 10, 12, 11, 10] + [30, 31, 29, 32, 30, 31, 30]


def test_it_stores_rolling_figures_rate_and_spc_for_a_count_series(partnership):
    ward = AreaFactory(partnership=partnership)
    burglary = CategoryFactory(partnership=partnership, name="Burglary")
    PopulationFactory(area=ward, year=2021, population=8000)
    values = [10] * 12 + [12] * 12  # 2020: 120, 2021: 144
    add_counts(area=ward, category=burglary, start=START, values=values)

    run = trends_recalculate_partnership(partnership_id=partnership.pk)

    assert run.status == RecalculationStatus.DONE
    row = _series(ward, burglary)
    assert row.period_end == dt.date(2021, 12, 1)
    assert (row.latest_value, row.rolling_total, row.previous_total) == (12, 144, 120)
    assert row.change == 24
    assert row.pct_change == pytest.approx(20.0)
    assert row.change_per_day == pytest.approx(24 / 365)
    assert row.small_numbers is False
    assert (row.population, row.population_year) == (8000, 2021)
    assert row.rate == pytest.approx(18.0)
    assert row.previous_rate == pytest.approx(15.0)
    assert row.label == f"Burglary – {ward.name}"
    assert row.area_level == AreaLevel.WARD


def test_stored_points_equal_the_stats_engine_output(partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    values = _flat_then_high()
    add_counts(area=ward, category=category, start=START, values=values)

    trends_recalculate_partnership(partnership_id=partnership.pk)

    expected = xmr(values, preset="mdc", improvement="decrease")
    stored = _series(ward, category).spc_points()
    assert len(stored) == len(expected.points)
    for got, want in zip(stored, expected.points, strict=True):
        assert got["value"] == want.value
        assert got["mean"] == want.mean
        assert got["lower"] == want.lower and got["upper"] == want.upper
        assert got["lower_2s"] == want.lower_2s and got["upper_2s"] == want.upper_2s
        assert got["signal"] == want.signal
        assert got["rules"] == set(want.rules)


def test_a_zero_base_stores_no_percentage_and_says_why(partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=[0] * 12 + [1] * 12)

    trends_recalculate_partnership(partnership_id=partnership.pk)

    row = _series(ward, category)
    assert row.pct_change is None
    assert row.pct_change_reason == "base_zero"
    assert row.change == 12
    assert row.small_numbers is True


def test_small_numbers_are_flagged_below_twenty_and_not_at_twenty(partnership):
    ward = AreaFactory(partnership=partnership)
    small, at_threshold = CategoryFactory(partnership=partnership), CategoryFactory(
        partnership=partnership
    )
    base_19 = [1] * 5 + [2] * 7 + [3] * 12
    base_20 = [1] * 4 + [2] * 8 + [3] * 12
    add_counts(area=ward, category=small, start=START, values=base_19)
    add_counts(area=ward, category=at_threshold, start=START, values=base_20)

    trends_recalculate_partnership(partnership_id=partnership.pk)

    assert _series(ward, small).previous_total == 19
    assert _series(ward, small).small_numbers is True
    assert _series(ward, at_threshold).previous_total == 20
    assert _series(ward, at_threshold).small_numbers is False


def test_a_missing_month_is_a_gap_not_a_zero(partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    values = [5] * 24
    values[20] = None
    add_counts(area=ward, category=category, start=START, values=values)

    trends_recalculate_partnership(partnership_id=partnership.pk)

    row = _series(ward, category)
    assert row.spc["values"][20] is None
    assert row.spc_points()[20]["signal"] is None
    assert row.rolling_total is None  # the rolling year is incomplete, never summed as 0
    assert row.previous_total == 60


def test_ranks_areas_of_the_same_level_by_rate_and_the_change_in_rank(partnership):
    category = CategoryFactory(partnership=partnership)
    wards = [AreaFactory(partnership=partnership) for _ in range(3)]
    for ward in wards:
        PopulationFactory(area=ward, year=2021, population=1000)
    # previous year rates 12, 24, 36; latest 48, 24, 12 -> ranks reverse
    for ward, (before, after) in zip(wards, [(1, 4), (2, 2), (3, 1)], strict=True):
        add_counts(area=ward, category=category, start=START, values=[before] * 12 + [after] * 12)
    district = AreaFactory(partnership=partnership, level=AreaLevel.DISTRICT)
    PopulationFactory(area=district, year=2021, population=3000)
    add_counts(area=district, category=category, start=START, values=[6] * 24)

    trends_recalculate_partnership(partnership_id=partnership.pk)

    ranks = [(_series(w, category).rank, _series(w, category).rank_change) for w in wards]
    assert ranks == [(1, 2), (2, 0), (3, -2)]
    assert {_series(w, category).rank_of for w in wards} == {3}
    assert (_series(district, category).rank, _series(district, category).rank_of) == (1, 1)


def test_an_area_without_population_has_no_rate_or_rank(partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=[3] * 24)

    trends_recalculate_partnership(partnership_id=partnership.pk)

    row = _series(ward, category)
    assert (row.rate, row.population, row.rank) == (None, None, None)


def test_unchanged_series_are_skipped_by_fingerprint(partnership):
    ward = AreaFactory(partnership=partnership)
    a, b = CategoryFactory(partnership=partnership), CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=a, start=START, values=[4] * 24)
    add_counts(area=ward, category=b, start=START, values=[5] * 24)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    first_b = _series(ward, b).calculated_at

    from datasets.models import MonthlyCount

    MonthlyCount.objects.filter(category=a, month=dt.date(2021, 12, 1)).update(count=9)
    run = trends_recalculate_partnership(partnership_id=partnership.pk)

    assert (run.total, run.skipped) == (2, 1)
    assert _series(ward, a).latest_value == 9
    assert _series(ward, b).calculated_at == first_b


def test_running_the_same_recalculation_twice_gives_identical_rows_and_no_duplicates(
    partnership,
):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=_flat_then_high())
    fields = ["key", "rolling_total", "pct_change", "spc", "latest_signal", "fingerprint"]

    trends_recalculate_partnership(partnership_id=partnership.pk, force=True)
    first = list(TrendSeries.objects.values(*fields))
    steps_first = list(StepChange.objects.values("series__key", "month", "status"))
    trends_recalculate_partnership(partnership_id=partnership.pk, force=True)

    assert list(TrendSeries.objects.values(*fields)) == first
    assert list(StepChange.objects.values("series__key", "month", "status")) == steps_first
    assert TrendSeries.objects.count() == 1


def test_a_shift_suggests_a_step_change_at_its_first_point(partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=_flat_then_high())

    trends_recalculate_partnership(partnership_id=partnership.pk)

    suggestion = StepChange.objects.get()
    assert suggestion.status == StepChangeStatus.SUGGESTED
    assert suggestion.month == dt.date(2021, 3, 1)  # index 14
    assert "shift of 6" in suggestion.suggested_reason


def test_a_confirmed_step_change_is_used_as_a_rebase_by_later_recalculations(
    partnership, member, django_capture_on_commit_callbacks
):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    values = _flat_then_high()
    add_counts(area=ward, category=category, start=START, values=values)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    suggestion = StepChange.objects.get()

    with django_capture_on_commit_callbacks(execute=True):  # enqueues recalculate_series
        step_change_decide(
            step_change=suggestion, user=member("officer"), confirm=True,
            reason="April 2017 recording change",
        )

    row = _series(ward, category)
    expected = xmr(values, preset="mdc", improvement="decrease", rebase_at=[14])
    assert [s["start"] for s in row.segments()] == [0, 14]
    assert row.spc_points()[20]["mean"] == expected.points[20].mean
    assert StepChange.objects.get().status == StepChangeStatus.CONFIRMED
    assert StepChange.objects.get().history.count() == 1


def test_a_rejected_suggestion_is_not_suggested_again(partnership, member):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=_flat_then_high())
    trends_recalculate_partnership(partnership_id=partnership.pk)
    step_change_decide(
        step_change=StepChange.objects.get(), user=member("officer"), confirm=False,
        reason="Real increase, not a recording change",
    )

    trends_recalculate_partnership(partnership_id=partnership.pk, force=True)

    assert list(StepChange.objects.values_list("status", flat=True)) == ["rejected"]


def test_a_decision_without_a_reason_is_refused(partnership, member):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=_flat_then_high())
    trends_recalculate_partnership(partnership_id=partnership.pk)

    with pytest.raises(ValueError):
        step_change_decide(
            step_change=StepChange.objects.get(), user=member("officer"), confirm=True,
            reason="  ",
        )
    assert StepChange.objects.get().status == StepChangeStatus.SUGGESTED


def test_the_real_needle_finds_keep_their_april_2021_gap(partnership):
    start, values = needle_finds()
    indicator = IndicatorSeriesFactory(partnership=partnership, name="Needle finds")
    add_indicator_values(indicator, start, values)

    trends_recalculate_indicator(indicator_id=indicator.pk)

    row = TrendSeries.objects.get(indicator=indicator)
    gap = row.index_of(dt.date(2021, 4, 1))
    assert row.spc["values"][gap] is None
    assert row.spc["values"] == values
    assert row.n_points == 48
    assert row.latest_value == 18


def test_a_quarterly_indicator_is_charted_per_quarter(partnership):
    indicator = IndicatorSeriesFactory(partnership=partnership, period_kind="quarter")
    add_indicator_values(indicator, dt.date(2020, 4, 1), [5, 6, None, 7])

    trends_recalculate_indicator(indicator_id=indicator.pk)

    row = TrendSeries.objects.get(indicator=indicator)
    assert row.spc["values"] == [5, 6, None, 7]
    assert row.period_end == dt.date(2021, 1, 1)
    assert row.rolling_total is None  # rolling years are for monthly series


def test_compute_series_reads_one_series_from_counts(partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=[1, 2, 3])
    (item,) = read_count_series(partnership.pk)
    row, suggested, _ = compute_series(item, dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert row.spc["values"] == [1, 2, 3]
    assert row.spc_points()[0]["upper"] is None  # fewer than 13 points: no limits (mdc)
    assert suggested == []


def test_names_with_commas_quotes_and_backslashes_are_stored_intact(partnership):
    ward = AreaFactory(partnership=partnership, name='St. Mary\'s, "Old" Town')
    category = CategoryFactory(partnership=partnership, name="Theft \\ other, misc")
    add_counts(area=ward, category=category, start=START, values=[1] * 24)

    trends_recalculate_partnership(partnership_id=partnership.pk)

    row = _series(ward, category)
    assert row.label == 'Theft \\ other, misc – St. Mary\'s, "Old" Town'
    assert (row.pct_change_reason, row.assurance) == ("", "")


def test_quarter_ends_and_the_latest_month_keep_their_figures(partnership):
    from datasets.models import TrendPeriodResult

    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=[10] * 24)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    add_counts(area=ward, category=category, start=dt.date(2022, 1, 1), values=[13])
    trends_recalculate_partnership(partnership_id=partnership.pk)

    periods = {p.period_end: p for p in TrendPeriodResult.objects.filter(series__area=ward)}
    # Mar/Jun/Sep/Dec 2020 and 2021, and the latest month (January 2022)
    assert sorted(periods) == [dt.date(y, m, 1) for y in (2020, 2021) for m in (3, 6, 9, 12)] \
        + [dt.date(2022, 1, 1)]
    assert periods[dt.date(2020, 9, 1)].rolling_total is None  # under 12 months
    assert periods[dt.date(2020, 12, 1)].rolling_total == 120
    assert periods[dt.date(2020, 12, 1)].pct_change_reason == "previous_incomplete"
    assert periods[dt.date(2021, 12, 1)].pct_change == 0
    assert periods[dt.date(2022, 1, 1)].rolling_total == 123
    assert periods[dt.date(2022, 1, 1)].pct_change == pytest.approx(2.5)

    add_counts(area=ward, category=category, start=dt.date(2022, 2, 1), values=[13, 13])
    trends_recalculate_partnership(partnership_id=partnership.pk)
    ends = set(TrendPeriodResult.objects.filter(series__area=ward)
               .values_list("period_end", flat=True))
    assert dt.date(2022, 1, 1) not in ends  # no longer the latest, not a quarter end
    assert TrendPeriodResult.objects.get(series__area=ward,
                                         period_end=dt.date(2022, 3, 1)).rolling_total == 129
    trends_recalculate_partnership(partnership_id=partnership.pk, force=True)
    assert TrendPeriodResult.objects.filter(series__area=ward).count() == 9  # upserted


def test_a_restated_month_changes_the_period_ends_it_falls_in(partnership):
    from datasets.models import MonthlyCount, TrendPeriodResult

    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=[10] * 36)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    MonthlyCount.objects.filter(area=ward, month=dt.date(2021, 6, 1)).update(count=22)
    trends_recalculate_partnership(partnership_id=partnership.pk)

    totals = dict(TrendPeriodResult.objects.filter(series__area=ward)
                  .values_list("period_end", "rolling_total"))
    assert totals[dt.date(2021, 3, 1)] == 120
    assert totals[dt.date(2021, 6, 1)] == totals[dt.date(2022, 3, 1)] == 132
    assert totals[dt.date(2022, 6, 1)] == 120


def test_a_siblings_new_rank_reaches_its_period_end_rows(partnership):
    from datasets.models import MonthlyCount, TrendPeriodResult

    category = CategoryFactory(partnership=partnership)
    low, high = AreaFactory(partnership=partnership), AreaFactory(partnership=partnership)
    for ward, count in ((low, 1), (high, 2)):
        PopulationFactory(area=ward, year=2021, population=1000)
        add_counts(area=ward, category=category, start=START, values=[count] * 24)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    december = dt.date(2021, 12, 1)
    assert TrendPeriodResult.objects.get(series__area=high, period_end=december).rank == 1
    MonthlyCount.objects.filter(area=low, month=december).update(count=30)

    run = trends_recalculate_partnership(partnership_id=partnership.pk)

    assert run.skipped == 1  # only `low` recomputed; `high` re-ranked
    high_row = TrendPeriodResult.objects.get(series__area=high, period_end=december)
    assert (high_row.rank, high_row.rank_of, _series(high, category).rank) == (2, 2, 2)
    assert high_row.rank_change == -1  # first by the previous year's rate, second now
    assert TrendPeriodResult.objects.get(series__area=low, period_end=december).rank == 1
    # earlier period ends are untouched: high still leads there
    september = dt.date(2021, 9, 1)
    assert TrendPeriodResult.objects.get(series__area=high, period_end=september).rank == 1


def test_the_latest_period_row_equals_the_series_columns(partnership):
    from datasets.models import TrendPeriodResult

    category = CategoryFactory(partnership=partnership)
    wards = [AreaFactory(partnership=partnership) for _ in range(4)]
    for i, ward in enumerate(wards):
        PopulationFactory(area=ward, year=2020, population=1000 + 100 * i)
        add_counts(area=ward, category=category, start=START,
                   values=[(3 * i + k) % 7 + 1 for k in range(30)])
    trends_recalculate_partnership(partnership_id=partnership.pk)

    fields = ["latest_value", "rolling_total", "previous_total", "change", "pct_change",
              "pct_change_reason", "change_per_day", "small_numbers", "population_year",
              "rate", "previous_rate", "rank", "rank_of", "rank_change"]
    for ward in wards:
        series = _series(ward, category)
        row = TrendPeriodResult.objects.get(series=series, period_end=series.period_end)
        assert [getattr(row, f) for f in fields] == [getattr(series, f) for f in fields]


def test_a_series_switched_to_a_c_chart_gets_poisson_limits(
    partnership, member, django_capture_on_commit_callbacks
):
    from datasets.services.trends import series_chart_set

    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    values = [1, 0, 2, 1, 0, 1, 3, 0, 1, 2, 1, 0, 1, 2]
    add_counts(area=ward, category=category, start=START, values=values)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    row = _series(ward, category)
    assert row.spc["chart"] == "xmr"

    with django_capture_on_commit_callbacks(execute=True):
        series_chart_set(series=row, kind="c", reason="Rare events", user=member("officer"))

    row = _series(ward, category)
    mean = sum(values) / len(values)
    assert row.spc["chart"] == "c"
    assert row.segments()[0]["upper"] == pytest.approx(mean + 3 * mean**0.5)
    assert row.chart.history.count() == 1
    run = trends_recalculate_partnership(partnership_id=partnership.pk)
    assert run.skipped == 1  # the choice is part of the fingerprint, and kept


def test_the_small_numbers_threshold_is_the_partnerships_setting(partnership, settings):
    settings.SMP_SMALL_NUMBER_THRESHOLD = 10
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=START, values=[1] * 24)  # base 12
    trends_recalculate_partnership(partnership_id=partnership.pk)
    assert _series(ward, category).small_numbers is False
    settings.SMP_SMALL_NUMBER_THRESHOLD = 20
    trends_recalculate_partnership(partnership_id=partnership.pk)  # new fingerprint
    assert _series(ward, category).small_numbers is True
