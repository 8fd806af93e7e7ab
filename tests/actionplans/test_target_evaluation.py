"""Targets evaluated through the indicator summary (values stored in the database):
every comparator with every direction of improvement, and contradictory pairings
refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actionplans import services
from actionplans.models import Target
from actionplans.readings import summarise
from actionplans.targets import Comparator, Direction, contradiction
from tests.actionplans.factories import IndicatorFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# comparator: (target value, previous value, a value that meets it, one that does not)
CASES = {
    Comparator.BELOW: (100, 50, 99, 100),
    Comparator.AT_MOST: (100, 50, 100, 101),
    Comparator.AT_LEAST: (100, 50, 100, 99),
    Comparator.ABOVE: (100, 50, 101, 100),
    Comparator.EQUAL: (100, 50, 100, 101),
    Comparator.INCREASE: (None, 100, 101, 100),
    Comparator.DECREASE: (None, 100, 99, 100),
}


def _indicator_with(direction, comparator, previous, latest):
    indicator = IndicatorFactory(frequency="calendar_year", direction=direction)
    target, *_ = CASES[comparator]
    services.target_set(indicator=indicator, comparator=comparator,
                        value=None if target is None else Decimal(target), actor=UserFactory())
    for year, value in [(2022, previous), (2023, latest)]:
        services.indicator_value_save(indicator=indicator, period_start=dt.date(year, 1, 1),
                                      value=Decimal(value), note="", actor=UserFactory())
    return indicator


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("comparator", list(Comparator))
def test_every_comparator_with_every_direction(direction, comparator):
    _, previous, meets, misses = CASES[comparator]
    if contradiction(direction, comparator):
        indicator = IndicatorFactory(direction=direction)
        with pytest.raises(ValidationError) as caught:
            services.target_set(indicator=indicator, comparator=comparator,
                                value=CASES[comparator][0], actor=UserFactory())
        assert "contradicts" in caught.value.message_dict["comparator"][0]
        assert not Target.objects.exists()
        return
    assert summarise(_indicator_with(direction, comparator, previous, meets)).result_label \
        == "Met"
    assert summarise(_indicator_with(direction, comparator, previous, misses)).result_label \
        == "Not met"


def test_increase_on_previous_period_compares_with_the_stored_period_before():
    indicator = IndicatorFactory(frequency="financial_year", direction="up")
    actor = UserFactory()
    services.target_set(indicator=indicator, comparator="increase", value=None, actor=actor)
    for year, value in [(2021, "61.5"), (2022, "64.0")]:
        services.indicator_value_save(indicator=indicator, period_start=dt.date(year, 4, 1),
                                      value=Decimal(value), note="", actor=actor)
    summary = summarise(indicator)
    assert (summary.latest.period.label, summary.previous.period.label) == ("2022-23", "2021-22")
    assert (summary.result_label, summary.trend_label) == ("Met", "Improving")
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2023, 4, 1),
                                  value=Decimal("63.9"), note="", actor=actor)
    assert summarise(indicator).result_label == "Not met"
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2025, 4, 1),
                                  value=Decimal("70"), note="", actor=actor)
    summary = summarise(indicator)  # 2024-25 is a gap: nothing to compare with
    assert summary.previous is None and summary.result_label == "No data"


def test_changing_the_direction_against_an_existing_target_is_refused():
    indicator = IndicatorFactory(direction="down")
    services.target_set(indicator=indicator, comparator="below", value=Decimal(1000),
                        actor=UserFactory())
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(indicator=indicator, expected_version=1,
                                  data={"direction": "up"}, actor=UserFactory())
    assert "keep below" in caught.value.message_dict["direction"][0]
    indicator.refresh_from_db()
    assert (indicator.direction, indicator.version) == ("down", 1)
