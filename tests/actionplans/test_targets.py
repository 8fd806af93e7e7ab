"""Target evaluation and trend direction: pure, no database."""

from decimal import Decimal

import pytest

from actionplans.targets import Comparator, Result, Trend, contradiction, evaluate, trend

MET, NOT_MET, NO_DATA = Result.MET, Result.NOT_MET, Result.NO_DATA


@pytest.mark.parametrize(
    ("comparator", "value", "target", "expected"),
    [
        ("below", 999, 1000, MET),
        ("below", 1000, 1000, NOT_MET),
        ("below", 1200, 1000, NOT_MET),
        ("at_most", 1000, 1000, MET),
        ("at_most", 1001, 1000, NOT_MET),
        ("at_least", Decimal("75.0"), 75, MET),
        ("at_least", Decimal("74.9"), 75, NOT_MET),
        ("above", Decimal("75.1"), 75, MET),
        ("above", 75, 75, NOT_MET),
        ("equal", Decimal("50.00"), 50, MET),
        ("equal", Decimal("50.01"), 50, NOT_MET),
    ],
)
def test_absolute_comparators(comparator, value, target, expected):
    assert evaluate(comparator, value=value, target=target) is expected


@pytest.mark.parametrize(
    ("comparator", "value", "previous", "expected"),
    [
        ("increase", 64, Decimal("61.5"), MET),
        ("increase", 61, Decimal("61.5"), NOT_MET),
        ("increase", 61, 61, NOT_MET),
        ("decrease", 300, 315, MET),
        ("decrease", 414, 315, NOT_MET),
        ("decrease", 315, 315, NOT_MET),
    ],
)
def test_relative_comparators_compare_with_the_previous_period(
    comparator, value, previous, expected
):
    assert evaluate(comparator, value=value, previous=previous) is expected


@pytest.mark.parametrize("comparator", [c.value for c in Comparator])
def test_it_never_guesses_without_a_value(comparator):
    assert evaluate(comparator, value=None, target=10, previous=10) is NO_DATA


@pytest.mark.parametrize("comparator", ["increase", "decrease"])
def test_relative_comparator_without_previous_value_is_no_data(comparator):
    assert evaluate(comparator, value=5, previous=None) is NO_DATA


@pytest.mark.parametrize("comparator", ["below", "at_most", "at_least", "above", "equal"])
def test_absolute_comparator_without_threshold_is_no_data(comparator):
    assert evaluate(comparator, value=5, target=None) is NO_DATA


def test_percentages_are_compared_exactly_not_as_floats():
    assert evaluate("at_least", value=Decimal("0.3"), target=0.3) is MET
    assert evaluate("equal", value=Decimal("33.3"), target=Decimal("33.30")) is MET


@pytest.mark.parametrize(
    ("latest", "previous", "direction", "expected"),
    [
        (900, 1000, "down", Trend.IMPROVING),
        (1100, 1000, "down", Trend.WORSENING),
        (80, 70, "up", Trend.IMPROVING),
        (60, 70, "up", Trend.WORSENING),
        (80, 70, "neither", Trend.UP),
        (60, 70, "neither", Trend.DOWN),
        (70, 70, "up", Trend.NO_CHANGE),
        (70, 70, "down", Trend.NO_CHANGE),
        (None, 70, "up", Trend.NO_DATA),
        (70, None, "down", Trend.NO_DATA),
    ],
)
def test_trend_reads_latest_against_previous_through_the_direction(
    latest, previous, direction, expected
):
    assert trend(latest, previous, direction) is expected


def test_unknown_comparator_is_rejected():
    with pytest.raises(ValueError):
        evaluate("roughly", value=1, target=1)


@pytest.mark.parametrize(
    ("direction", "comparator"),
    [("up", "below"), ("up", "at_most"), ("up", "decrease"),
     ("down", "above"), ("down", "at_least"), ("down", "increase")],
)
def test_a_target_met_by_getting_worse_contradicts_the_direction(direction, comparator):
    problem = contradiction(direction, comparator)
    assert problem is not None and "contradicts the direction of improvement" in problem


@pytest.mark.parametrize(
    ("direction", "comparator"),
    [("up", "at_least"), ("up", "above"), ("up", "increase"), ("up", "equal"),
     ("down", "below"), ("down", "at_most"), ("down", "decrease"), ("down", "equal"),
     *[("neither", c.value) for c in Comparator]],
)
def test_consistent_targets_do_not_contradict_the_direction(direction, comparator):
    assert contradiction(direction, comparator) is None
