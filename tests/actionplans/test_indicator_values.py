"""Indicator values: manual entry into the datasets store, conflicts, aggregation, gaps."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from actionplans import services
from actionplans.readings import missing_last_period, readings, summarise
from actionplans.services.indicators import ValueConflict
from datasets.models import Area, Category, IndicatorValue, MonthlyCount
from tests.actionplans.factories import (
    ActionPlanFactory,
    IndicatorFactory,
    IndicatorSeriesFactory,
    TargetFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _monthly(series, values: dict[str, int]):
    for label, value in values.items():
        start = dt.date.fromisoformat(label + "-01")
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
        IndicatorValue.objects.create(series=series, period_start=start, period_end=end,
                                      label=label, value=value)


def test_a_manual_value_is_stored_in_the_series_with_who_and_a_note(
    django_capture_on_commit_callbacks,
):
    indicator = IndicatorFactory(frequency="financial_year")
    user = UserFactory()
    with mock.patch("datasets.tasks.recalculate_indicator_series.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        row = services.indicator_value_save(indicator=indicator, period_start=dt.date(2023, 6, 1),
                                            value=Decimal(960), note="Term 1-3", actor=user)
    assert (row.series, row.period_start, row.period_end, row.label) == (
        indicator.series, dt.date(2023, 4, 1), dt.date(2024, 3, 31), "2023-24")
    assert (row.entered_by, row.note) == (user, "Term 1-3")
    delay.assert_called_once_with(indicator.series.id)


def test_saving_over_a_value_someone_else_changed_is_a_conflict():
    indicator = IndicatorFactory(frequency="calendar_year")
    first = services.indicator_value_save(indicator=indicator, period_start=dt.date(2022, 1, 1),
                                          value=Decimal(10), note="", actor=UserFactory())
    with pytest.raises(ValueConflict):  # they saw a gap, but a value now exists
        services.indicator_value_save(indicator=indicator, period_start=dt.date(2022, 1, 1),
                                      value=Decimal(11), note="", actor=UserFactory())
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2022, 1, 1),
                                  value=Decimal(12), note="", actor=UserFactory(),
                                  expected_updated_at=first.updated_at)
    assert IndicatorValue.objects.get().value == 12


def test_values_of_uploaded_series_cannot_be_typed_in():
    plan = ActionPlanFactory()
    series = IndicatorSeriesFactory(partnership=plan.priority.partnership)
    indicator = IndicatorFactory(plan=plan, source="series", series=series)
    with pytest.raises(ValidationError):
        services.indicator_value_save(indicator=indicator, period_start=dt.date(2022, 1, 1),
                                      value=Decimal(1), note="", actor=UserFactory())


def test_a_future_period_is_rejected():
    indicator = IndicatorFactory(frequency="calendar_year")
    with pytest.raises(ValidationError):
        services.indicator_value_save(indicator=indicator, period_start=dt.date(2999, 1, 1),
                                      value=Decimal(1), note="", actor=UserFactory())


def test_creating_a_manual_indicator_creates_its_own_series_and_target():
    plan = ActionPlanFactory()
    indicator = services.indicator_create(
        plan=plan, actor=UserFactory(),
        data={"name": "Pupils reached", "unit": "pupils", "kind": "how_much",
              "source": "manual", "frequency": "financial_year", "direction": "up"},
        targets=[{"comparator": "at_least", "value": Decimal(1000)}])
    assert indicator.series.name == "Pupils reached"
    assert indicator.series.period_kind == "financial_year"
    assert indicator.targets.get().describe() == "at least 1,000"


def test_a_manual_indicator_cannot_take_over_an_existing_series_name():
    plan = ActionPlanFactory()
    IndicatorSeriesFactory(partnership=plan.priority.partnership, name="MARAC cases")
    with pytest.raises(ValidationError):
        services.indicator_create(
            plan=plan, actor=UserFactory(), targets=[],
            data={"name": "MARAC cases", "kind": "how_much", "source": "manual",
                  "frequency": "calendar_year", "direction": "neither"})


def test_missing_periods_are_gaps_not_zeros():
    indicator = IndicatorFactory(frequency="calendar_year")
    for year, value in [(2019, 41), (2021, 38)]:
        services.indicator_value_save(indicator=indicator, period_start=dt.date(year, 1, 1),
                                      value=Decimal(value), note="", actor=UserFactory())
    found = readings(indicator)
    assert [(r.period.label, r.value) for r in found] == [
        ("2019", 41), ("2020", None), ("2021", 38)]
    summary = summarise(indicator)
    assert summary.latest.value == 38
    assert summary.previous is None  # 2020 is a gap: no trend, no guess
    assert summary.trend_label == "Not enough data"


def test_annual_needle_finds_sum_monthly_values_and_report_a_missing_month():
    plan = ActionPlanFactory()
    series = IndicatorSeriesFactory(partnership=plan.priority.partnership,
                                    name="Needle finds", period_kind="month")
    indicator = IndicatorFactory(plan=plan, source="series", series=series,
                                 frequency="calendar_year", direction="down")
    TargetFactory(indicator=indicator, comparator="below", value=1000)
    _monthly(series, {f"2021-{m:02d}": 100 for m in range(1, 13)})
    _monthly(series, {f"2022-{m:02d}": 50 for m in range(1, 13) if m != 7})
    found = readings(indicator)
    year_2021, year_2022 = found
    assert (year_2021.value, year_2021.coverage, year_2021.complete) == (1200, "12 of 12 months",
                                                                         True)
    assert (year_2022.value, year_2022.coverage, year_2022.complete) == (550, "11 of 12 months",
                                                                         False)
    summary = summarise(indicator)
    # The partial year is shown, never judged: the latest complete year is 2021.
    assert summary.latest.period.label == "2021"
    assert summary.result_label == "Not met"


def test_the_target_for_a_specific_period_beats_the_standing_target():
    indicator = IndicatorFactory(frequency="calendar_year", direction="down")
    TargetFactory(indicator=indicator, comparator="below", value=1000)
    TargetFactory(indicator=indicator, comparator="below", value=500,
                  period_start=dt.date(2022, 1, 1))
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2022, 1, 1),
                                  value=Decimal(700), note="", actor=UserFactory())
    summary = summarise(indicator)
    assert summary.target.value == 500
    assert summary.result_label == "Not met"


def test_crime_series_values_come_from_monthly_counts():
    plan = ActionPlanFactory()
    partnership = plan.priority.partnership
    area = Area.objects.create(partnership=partnership, level="district", code="E07000110",
                               name="Maidstone")
    category = Category.objects.create(partnership=partnership, name="Drugs")
    for month, count in [(1, 20), (2, 25)]:
        MonthlyCount.objects.create(partnership=partnership, source="police_uk", area=area,
                                    category=category, month=dt.date(2024, month, 1),
                                    count=count)
    indicator = IndicatorFactory(plan=plan, source="crime", series=None, category=category,
                                 area=area, crime_source="police_uk", frequency="month",
                                 direction="neither")
    summary = summarise(indicator)
    assert [(r.period.label, r.value) for r in summary.readings] == [
        ("2024-01", 20), ("2024-02", 25)]
    assert summary.trend_label == "Up"


def test_an_indicator_without_last_period_value_is_reported_missing():
    indicator = IndicatorFactory(frequency="calendar_year")
    today = dt.date(2025, 2, 1)
    assert missing_last_period(indicator, today).label == "2024"
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2024, 1, 1),
                                  value=Decimal(3), note="", actor=UserFactory())
    assert missing_last_period(indicator, today) is None


def test_an_indicator_frequency_must_fit_its_series():
    plan = ActionPlanFactory()
    yearly = IndicatorSeriesFactory(partnership=plan.priority.partnership,
                                    period_kind="calendar_year")
    indicator = IndicatorFactory.build(plan=plan, source="series", series=yearly,
                                       frequency="financial_year")
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "frequency" in caught.value.error_dict
