"""Rates per 1,000 population, 'min' ranks, top/bottom five and rank changes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from datasets.stats import (
    bottom_n,
    format_rate,
    rank_areas,
    rank_changes,
    rate_per_thousand,
    rates_for_areas,
    top_n,
)

# docs/demo/maidstone_ward_crime_2021_2022.csv (26 wards; approximate populations).
WARD_CSV = Path(__file__).resolve().parents[2] / "docs/demo/maidstone_ward_crime_2021_2022.csv"
ROWS = list(csv.DictReader(io.StringIO(WARD_CSV.read_text(encoding="utf-8"))))
POPULATION = {r["ward"]: int(r["approx_population"]) for r in ROWS}
CRIMES_2021 = {r["ward"]: int(r["crimes_2021"]) for r in ROWS}
CRIMES_2022 = {r["ward"]: int(r["crimes_2022"]) for r in ROWS}


def test_the_demo_file_has_the_26_wards():
    assert len(ROWS) == 26


def test_rate_is_count_per_thousand_population_with_the_year_carried():
    result = rate_per_thousand(3530, 11930, population_year=2022, area="High Street")
    assert result.rate == pytest.approx(295.893, abs=1e-3)
    assert format_rate(result.rate) == "295.9"
    assert (result.population_year, result.area, result.reason) == (2022, "High Street", None)


@pytest.mark.parametrize(
    ("count", "population", "reason"),
    [
        (10, 0, "population_zero"),
        (10, None, "population_missing"),
        (10, float("nan"), "population_missing"),
        (None, 1000, "count_missing"),
    ],
)
def test_rate_is_none_with_a_reason_when_it_cannot_be_computed(count, population, reason):
    result = rate_per_thousand(count, population, population_year=2021)
    assert result.rate is None and result.reason == reason
    assert result.population_year == 2021


def test_negative_population_is_rejected():
    with pytest.raises(ValueError):
        rate_per_thousand(1, -5)


def test_ward_rates_for_2022():
    rates = rates_for_areas(CRIMES_2022, POPULATION, population_year=2022)
    assert len(rates) == 26
    assert format_rate(rates["Bridge"].rate) == "119.0"
    assert format_rate(rates["Allington"].rate) == "31.0"
    assert all(r.population_year == 2022 for r in rates.values())


def test_area_without_a_population_is_unranked():
    rates = rates_for_areas({**CRIMES_2022, "Nowhere": 10}, POPULATION, population_year=2022)
    assert rates["Nowhere"].reason == "population_missing"
    ranks = rank_areas(rates)
    assert ranks["Nowhere"] is None
    assert sorted(r for r in ranks.values() if r is not None) == list(range(1, 27))


def test_ranks_put_the_highest_rate_first():
    ranks = rank_areas(rates_for_areas(CRIMES_2022, POPULATION))
    assert ranks["High Street"] == 1
    assert ranks["Park Wood"] == 2
    assert ranks["Allington"] == 26


def test_ties_share_the_minimum_rank():
    assert rank_areas({"a": 10, "b": 8, "c": 8, "d": 5}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    # Published rates are rounded to one decimal: Coxheath and Hunton and South both 52.0
    rounded = {
        ward: float(format_rate(r.rate))
        for ward, r in rates_for_areas(CRIMES_2022, POPULATION).items()
    }
    ranks = rank_areas(rounded)
    assert ranks["Coxheath and Hunton"] == ranks["South"] == 18
    assert ranks["Detling and Thurnham"] == 20


def test_top_five_wards_2022():
    top = top_n(rates_for_areas(CRIMES_2022, POPULATION))
    assert [(a.area, a.rank) for a in top] == [
        ("High Street", 1),
        ("Park Wood", 2),
        ("Bridge", 3),
        ("Heath", 4),
        ("Fant", 5),
    ]


def test_bottom_five_wards_2022_lowest_first_with_their_table_rank():
    bottom = bottom_n(rates_for_areas(CRIMES_2022, POPULATION))
    assert [(a.area, a.rank) for a in bottom] == [
        ("Allington", 26),
        ("Bearsted", 25),
        ("Barming", 24),
        ("Boughton Monchelsea and Chart Sutton", 23),
        ("Loose", 22),
    ]


def test_top_n_includes_every_area_tied_at_the_cut():
    top = top_n({"a": 10, "b": 8, "c": 8, "d": 5}, n=2)
    assert [(x.area, x.rank) for x in top] == [("a", 1), ("b", 2), ("c", 2)]
    bottom = bottom_n({"a": 10, "b": 8, "c": 8, "d": 5}, n=2)
    assert [x.area for x in bottom] == ["d", "b", "c"]
    assert top_n({"a": 1}, n=0) == []


def test_rank_change_between_2021_and_2022():
    changes = rank_changes(
        rates_for_areas(CRIMES_2021, POPULATION), rates_for_areas(CRIMES_2022, POPULATION)
    )
    boxley = changes["Boxley"]
    assert (boxley.rank_before, boxley.rank_after, boxley.change) == (15, 11, 4)  # moved up
    harrietsham = changes["Harrietsham and Lenham"]
    assert (harrietsham.rank_before, harrietsham.rank_after, harrietsham.change) == (9, 14, -5)
    assert changes["High Street"].change == 0
    assert sum(c.change for c in changes.values() if c.change is not None) == 0


def test_rank_change_is_none_for_an_area_missing_in_one_period():
    changes = rank_changes({"a": 3, "b": 2}, {"a": 1, "c": 5})
    assert changes["b"].rank_after is None and changes["b"].change is None
    assert changes["c"].rank_before is None and changes["c"].rank_after == 1
    a = changes["a"]  # highest of two, then lower of two: down one place
    assert (a.rank_before, a.rank_after, a.change) == (1, 2, -1)


@pytest.mark.parametrize("seed", range(20))
def test_group_ranks_equal_rank_areas_table_by_table(seed):
    import random

    import numpy as np

    from datasets.stats.rates import group_ranks

    rng = random.Random(seed)
    n = rng.randint(0, 80)
    groups = np.array([rng.randint(0, 5) for _ in range(n)], dtype=np.int64)
    values = np.array([np.nan if rng.random() < 0.15 else float(rng.randint(0, 8))
                       for _ in range(n)])
    rank, rank_of = group_ranks(groups, values)
    for g in set(groups.tolist()):
        members = [i for i in range(n) if groups[i] == g]
        expected = rank_areas({str(i): (None if np.isnan(values[i]) else values[i])
                               for i in members})
        for i in members:
            assert (rank[i] or None) == expected[str(i)]
            assert rank_of[i] == sum(1 for j in members if not np.isnan(values[j]))
