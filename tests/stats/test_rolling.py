"""Rolling years, financial and calendar years, custom periods and display rounding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from datasets.stats import (
    Period,
    add_months,
    calendar_year_total,
    compare_calendar_years,
    compare_financial_years,
    compare_periods,
    compare_totals,
    financial_year,
    financial_year_of,
    financial_year_total,
    format_decimal,
    format_pct,
    latest_month,
    month_values,
    parse_month,
    per_day_phrase,
    period_total,
    rolling_year,
    rolling_year_summary,
    round_half_away,
)

# Published rolling-year pairs, year ending Sep 2014 vs year ending Sep 2015
# (shared/demo/crime_by_category_rolling_year_2015.csv).
CATEGORY_PAIRS = {
    "Violence against the person": (2349, 2643),
    "Sexual offences": (203, 224),
    "Robbery": (60, 78),
    "Burglary dwelling": (468, 361),
    "Burglary other than dwelling": (568, 505),
    "Theft of motor vehicle": (160, 129),
    "Theft from motor vehicle": (482, 472),
    "Vehicle interference": (60, 81),
    "Shoplifting": (1108, 1056),
    "Theft of pedal cycle": (138, 111),
    "Other theft": (1482, 1453),
    "Criminal damage": (1379, 1370),
    "Drug offences": (431, 279),
    "Possession of weapons": (47, 47),
    "Public order offences": (305, 228),
    "Other crimes": (170, 141),
}


def monthly(start: date, values: list[int | None]) -> dict[date, int | None]:
    return {add_months(start, i): v for i, v in enumerate(values)}


def all_crime_series() -> dict[date, int | None]:
    """Oct 2013 - Sep 2015: the years total 9,410 and 9,178 as in the 2015 paper."""
    previous = [784] * 10 + [785, 785]  # 9,410
    current = [764, 764] + [765] * 10  # 9,178
    return monthly(date(2013, 10, 1), previous + current)


# --- the real figure -----------------------------------------------------------------------


def test_all_crime_rolling_year_to_september_2015_matches_the_paper():
    summary = rolling_year_summary(all_crime_series(), date(2015, 9, 1))
    assert (summary.total, summary.previous_total, summary.change) == (9178, 9410, -232)
    assert summary.pct_change == pytest.approx(-2.4654622)
    assert summary.comparison.pct_text() == "-2.5"
    assert summary.comparison.days == 365
    assert summary.change_per_day == pytest.approx(-0.6356164)
    assert summary.comparison.per_day_text() == "0.64 fewer crimes per day"
    assert summary.latest_value == 765 and summary.end_month == date(2015, 9, 1)
    assert summary.complete and not summary.small_numbers
    assert summary.comparison.current.period.label == "Oct 2014 - Sep 2015"


def test_category_pairs_sum_to_the_all_crime_totals():
    assert sum(p for p, _ in CATEGORY_PAIRS.values()) == 9410
    assert sum(c for _, c in CATEGORY_PAIRS.values()) == 9178


@pytest.mark.parametrize(
    ("category", "change", "pct_text"),
    [
        ("Violence against the person", 294, "12.5"),
        ("Burglary dwelling", -107, "-22.9"),
        ("Theft from motor vehicle", -10, "-2.1"),
        ("Criminal damage", -9, "-0.7"),
        ("Drug offences", -152, "-35.3"),
        ("Robbery", 18, "30.0"),
        ("Possession of weapons", 0, "0.0"),
    ],
)
def test_published_category_pairs(category, change, pct_text):
    previous, current = CATEGORY_PAIRS[category]
    comparison = compare_totals(current, previous, 365)
    assert comparison.change == change
    assert comparison.pct_text() == pct_text
    assert not comparison.small_numbers


def test_no_change_reads_plainly():
    comparison = compare_totals(47, 47, 365)
    assert comparison.per_day_text() == "no change in crimes per day"
    assert comparison.pct_change == 0


# --- zero base and small numbers -----------------------------------------------------------


def test_zero_base_gives_undefined_percentage_not_a_division_error():
    comparison = compare_totals(5, 0, 365)
    assert comparison.change == 5
    assert comparison.pct_change is None
    assert comparison.pct_change_undefined_reason == "base_zero"
    assert comparison.pct_text() == "undefined"
    assert comparison.small_numbers


def test_doubling_from_three_is_flagged_as_small_numbers():
    comparison = compare_totals(6, 3, 365)
    assert comparison.pct_change == 100
    assert comparison.small_numbers


def test_small_number_threshold_is_configurable_and_strict():
    assert not compare_totals(6, 3, 365, small_number_threshold=3).small_numbers
    assert compare_totals(30, 19, 365).small_numbers
    assert not compare_totals(30, 20, 365).small_numbers


def test_per_day_needs_positive_days():
    with pytest.raises(ValueError):
        compare_totals(1, 2, 0)


# --- missing months ------------------------------------------------------------------------


def test_missing_month_makes_the_total_undefined_and_says_which():
    series = all_crime_series()
    del series[date(2015, 2, 1)]
    series[date(2015, 3, 1)] = None
    total = period_total(series, rolling_year(date(2015, 9, 1)))
    assert total.total is None and not total.complete
    assert total.months_missing == (date(2015, 2, 1), date(2015, 3, 1))
    assert total.months_present == 10 and total.months_expected == 12
    assert total.partial_total == 9178 - 765 * 2


def test_comparison_with_a_missing_month_has_no_change_fields():
    series = all_crime_series()
    series[date(2015, 2, 1)] = None
    summary = rolling_year_summary(series, date(2015, 9, 1))
    assert summary.change is None and summary.pct_change is None
    assert summary.change_per_day is None and not summary.complete
    assert summary.comparison.change_undefined_reason == "current_incomplete"
    assert summary.comparison.pct_text() == "undefined"
    assert summary.previous_total == 9410

    series = all_crime_series()
    del series[date(2013, 10, 1)]
    assert (
        rolling_year_summary(series, date(2015, 9, 1)).comparison.change_undefined_reason
        == "previous_incomplete"
    )


def test_latest_month_missing_gives_no_latest_value():
    series = all_crime_series()
    series[date(2015, 9, 1)] = None
    summary = rolling_year_summary(series, date(2015, 9, 1))
    assert summary.latest_value is None and summary.total is None


# --- financial, calendar, custom periods -----------------------------------------------------


def test_financial_year_runs_april_to_march():
    series = monthly(date(2014, 4, 1), list(range(1, 25)))  # Apr 2014 .. Mar 2016
    fy = financial_year(2015)
    assert (fy.start, fy.end, fy.month_count) == (date(2015, 4, 1), date(2016, 3, 1), 12)
    assert financial_year_total(series, 2014).total == sum(range(1, 13))
    assert financial_year_total(series, 2015).total == sum(range(13, 25))
    comparison = compare_financial_years(series, 2015)
    assert comparison.change == 144 and comparison.days == 366  # includes 29 Feb 2016
    assert financial_year_of(date(2016, 3, 31)) == 2015
    assert financial_year_of(date(2016, 4, 1)) == 2016


def test_calendar_year_totals_and_comparison():
    series = monthly(date(2021, 1, 1), [10] * 12 + [12] * 12)
    assert calendar_year_total(series, 2021).total == 120
    comparison = compare_calendar_years(series, 2022)
    assert (comparison.current_total, comparison.previous_total) == (144, 120)
    assert comparison.pct_text() == "20.0"
    assert calendar_year_total(series, 2020).total is None


def test_custom_pair_of_periods_gives_the_same_change_fields():
    series = monthly(date(2014, 1, 1), [10] * 12 + [8] * 12)
    comparison = compare_periods(
        series,
        (date(2015, 1, 1), date(2015, 6, 1)),
        (date(2014, 1, 1), date(2014, 6, 1)),
    )
    assert (comparison.current_total, comparison.previous_total) == (48, 60)
    assert comparison.change == -12 and comparison.pct_text() == "-20.0"
    assert comparison.days == 181  # Jan-Jun 2015
    assert comparison.per_day_text() == "0.07 fewer crimes per day"
    assert comparison.current is not None and comparison.current.period.month_count == 6


def test_rolling_year_containing_29_february_has_366_days():
    assert rolling_year(date(2016, 2, 1)).days == 366
    assert rolling_year(date(2015, 9, 1)).days == 365


def test_period_helpers():
    assert Period(date(2015, 9, 20), date(2015, 9, 3)).label == "Sep 2015"
    with pytest.raises(ValueError):
        Period(date(2015, 9, 1), date(2015, 8, 1))
    assert parse_month("2021-04") == date(2021, 4, 1)
    with pytest.raises(ValueError):
        parse_month("2021-13")
    assert Period(date(2015, 1, 1), date(2015, 3, 1)).previous() == Period(
        date(2014, 10, 1), date(2014, 12, 1)
    )


def test_series_keys_are_normalised_to_month_starts_and_duplicates_rejected():
    series = {date(2015, 1, 15): 3, date(2015, 2, 28): 4}
    assert period_total(series, (date(2015, 1, 1), date(2015, 2, 1))).total == 7
    with pytest.raises(ValueError):
        period_total({date(2015, 1, 1): 1, date(2015, 1, 9): 2}, (date(2015, 1, 1),) * 2)


def test_month_values_feed_a_chart_with_gaps_and_latest_month():
    series = {date(2021, 3, 1): 38, date(2021, 5, 1): 14}
    assert month_values(series, (date(2021, 3, 1), date(2021, 5, 1))) == [38, None, 14]
    assert latest_month(series) == date(2021, 5, 1)
    assert latest_month({}) is None


# --- rounding for display --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.05, "0.1"),
        (-0.05, "-0.1"),
        (2.25, "2.3"),
        (2.45, "2.5"),
        (-2.45, "-2.5"),
        (-2.465, "-2.5"),
        (0.15, "0.2"),  # round(0.15, 1) is 0.1 in Python: the float trap
        (-0.04, "0.0"),  # no negative zero
        (12, "12.0"),
        (Fraction(-23200, 9410), "-2.5"),
        (Fraction(1, 20), "0.1"),
        (Decimal("-0.25"), "-0.3"),
    ],
)
def test_format_pct_rounds_half_away_from_zero(value, text):
    assert format_pct(value) == text


def test_format_pct_options():
    assert format_pct(2.45, signed=True) == "+2.5"
    assert format_pct(-2.45, signed=True) == "-2.5"
    assert format_pct(None) == "undefined"
    assert format_pct(1.234, places=2) == "1.23"
    assert format_decimal(None) == "n/a"
    assert round_half_away(Fraction(-1, 8), 2) == Decimal("-0.13")


def test_per_day_phrases():
    assert per_day_phrase(-232 / 365) == "0.64 fewer crimes per day"
    assert per_day_phrase(Fraction(100, 365)) == "0.27 more crimes per day"
    assert per_day_phrase(0.001, noun="incidents") == "less than 0.01 more incidents per day"
    assert per_day_phrase(0) == "no change in crimes per day"
    assert per_day_phrase(None) == "change per day not available"


def test_non_finite_values_cannot_be_formatted():
    with pytest.raises(ValueError):
        format_pct(float("nan"))
