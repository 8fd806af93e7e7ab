"""The vectorised rolling-year table agrees with rolling_year_summary at every period end."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from datasets.stats import add_months, rolling_year_summary
from datasets.stats.rolling_table import REASONS, rolling_year_table


def _nan_to_none(x: float) -> float | None:
    return None if math.isnan(x) else x


def _assert_matches_scalar(values, first, threshold=20):
    table = rolling_year_table(values, first, small_number_threshold=threshold)
    assert len(table) == len(values)
    series = {add_months(first, i): v for i, v in enumerate(values)}
    for i in range(len(values)):
        end = add_months(first, i)
        s = rolling_year_summary(series, end, small_number_threshold=threshold)
        got = (
            _nan_to_none(table.total[i]), _nan_to_none(table.previous_total[i]),
            _nan_to_none(table.change[i]), _nan_to_none(table.pct_change[i]),
            _nan_to_none(table.change_per_day[i]), bool(table.small_numbers[i]),
            REASONS[table.reason[i]] or None,
        )
        want = (s.total, s.previous_total, s.change, s.pct_change, s.change_per_day,
                s.small_numbers, s.comparison.pct_change_undefined_reason)
        for g, w in zip(got, want, strict=True):
            if isinstance(w, float) and g is not None:
                assert g == pytest.approx(w, rel=1e-12, abs=1e-12), (i, got, want)
            else:
                assert g == w, (i, got, want)
        assert table.days[i] == s.comparison.days


@pytest.mark.parametrize("seed", range(25))
def test_random_integer_series_with_gaps_match_the_scalar_rules_exactly(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 60)
    values = [None if rng.random() < 0.08 else rng.randint(0, 30) for _ in range(n)]
    first = date(rng.randint(2010, 2022), rng.randint(1, 12), 1)
    _assert_matches_scalar(values, first)
    table = rolling_year_table(values, first)
    # integers: exact, not merely close
    for i in range(n):
        if not math.isnan(table.pct_change[i]):
            s = rolling_year_summary({add_months(first, k): v for k, v in enumerate(values)},
                                     add_months(first, i))
            assert table.pct_change[i] == s.pct_change


@pytest.mark.parametrize("seed", range(10))
def test_random_fractional_measures_match_to_rounding(seed):
    rng = random.Random(100 + seed)
    values = [None if rng.random() < 0.05 else round(rng.uniform(0, 90), 1)
              for _ in range(rng.randint(24, 50))]
    _assert_matches_scalar(values, date(2015, 4, 1))


def test_the_papers_rolling_year_to_september_2015():
    # 12 months of 9,410 / 12 then 12 months summing to 9,178 (Oct 2013 - Sep 2015).
    values = [784] * 11 + [786] + [764] * 11 + [774]
    table = rolling_year_table(values, date(2013, 10, 1))
    assert (table.total[-1], table.previous_total[-1], table.change[-1]) == (9178, 9410, -232)
    assert round(table.change_per_day[-1], 2) == -0.64
    assert table.days[-1] == 365


def test_a_leap_year_has_366_days_and_a_zero_base_says_so():
    values = [0] * 12 + [3] * 12
    table = rolling_year_table(values, date(2019, 2, 1))  # current year Feb 2020 - Jan 2021
    assert table.days[-1] == 366
    assert math.isnan(table.pct_change[-1]) and REASONS[table.reason[-1]] == "base_zero"
    assert table.small_numbers[-1]


def test_short_series_have_no_totals_and_say_which_year_is_incomplete():
    table = rolling_year_table([5] * 13, date(2020, 1, 1))
    assert [REASONS[r] for r in table.reason] == ["current_incomplete"] * 11 + [
        "previous_incomplete"] * 2
    assert table.total[11] == 60 and math.isnan(table.previous_total[12])


def test_an_empty_series_gives_an_empty_table():
    assert len(rolling_year_table([], date(2020, 1, 1))) == 0


@pytest.mark.parametrize("seed", range(10))
def test_the_rolling_year_ending_in_march_is_the_financial_year(seed):
    from datasets.stats import compare_calendar_years, compare_financial_years

    rng = random.Random(seed)
    values = [None if rng.random() < 0.05 else rng.randint(0, 40) for _ in range(60)]
    first = date(2015, 1, 1)
    series = {add_months(first, i): v for i, v in enumerate(values)}
    table = rolling_year_table(values, first)
    for i in range(len(values)):
        month = add_months(first, i)
        if month.month not in (3, 12):
            continue
        compare = compare_financial_years if month.month == 3 else compare_calendar_years
        c = compare(series, month.year - 1 if month.month == 3 else month.year)
        assert (_nan_to_none(table.total[i]), _nan_to_none(table.change[i])) == (
            c.current_total, c.change)
