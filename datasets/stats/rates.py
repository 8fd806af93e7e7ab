"""Rates per 1,000 population, ranks of areas, top/bottom five and rank changes.

Rules
    * Rate = count / population x 1,000 (crimes per 1,000 residents), a float.
      The population year used is carried in every result (``population_year``).
    * Population 0 or missing (``None``/NaN), or a missing count, gives ``rate=None`` and a
      ``reason``: ``"population_zero"``, ``"population_missing"``, ``"count_missing"``.
      A negative population is rejected with ``ValueError``.
    * Ranks: 1 = highest value. Ties share the *minimum* rank ("competition" or 'min'
      ranking: 10, 8, 8, 5 -> 1, 2, 2, 4). Areas whose value is ``None`` are not ranked
      (rank ``None``) and do not take a place.
    * Top five / bottom five include every area tied at the cut-off, so the list can be
      longer than five (a tie is never broken arbitrarily). Top is highest first; bottom
      is lowest first. Within equal values areas are listed by name.
    * Rank change between two periods = earlier rank - later rank: positive means the
      area moved up the table (towards rank 1, i.e. a higher rate than its peers);
      ``None`` when either rank is ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = [
    "RateResult",
    "RankedArea",
    "RankChange",
    "rate_per_thousand",
    "rates_for_areas",
    "rank_areas",
    "top_n",
    "bottom_n",
    "rank_changes",
]

Value = int | float | None


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class RateResult:
    """A count turned into a rate per 1,000 population for one area.

    ``rate`` is ``None`` when it cannot be computed; ``reason`` then says why.
    """

    area: str | None
    count: Value
    population: Value
    population_year: int | None
    rate: float | None
    reason: str | None = None


@dataclass(frozen=True)
class RankedArea:
    """One area in a ranking: its value and its 'min' rank (1 = highest value)."""

    area: str
    value: float
    rank: int


@dataclass(frozen=True)
class RankChange:
    """An area's rank in two periods; ``change`` = ``rank_before - rank_after``."""

    area: str
    rank_before: int | None
    rank_after: int | None
    change: int | None


def rate_per_thousand(
    count: Value,
    population: Value,
    *,
    population_year: int | None = None,
    area: str | None = None,
) -> RateResult:
    """Rate per 1,000 population: ``count / population * 1000``.

    Example: High Street ward, 3,530 crimes in 2022, population 11,930 -> 295.9 per 1,000.
    ``population`` 0 or missing, or ``count`` missing -> ``rate=None`` with a reason.
    Raises ``ValueError`` for a negative population or count.
    """
    if population is None or _missing(population):
        return RateResult(area, count, population, population_year, None, "population_missing")
    if count is None or _missing(count):
        return RateResult(area, count, population, population_year, None, "count_missing")
    if population < 0 or count < 0:
        raise ValueError("count and population must not be negative")
    if population == 0:
        return RateResult(area, count, population, population_year, None, "population_zero")
    return RateResult(area, count, population, population_year, count * 1000 / population)


def rates_for_areas(
    counts: Mapping[str, Value],
    populations: Mapping[str, Value],
    *,
    population_year: int | None = None,
) -> dict[str, RateResult]:
    """Rates per 1,000 for every area in ``counts`` (an area absent from
    ``populations`` gets ``reason="population_missing"``). Keeps the order of ``counts``."""
    return {
        area: rate_per_thousand(
            count, populations.get(area), population_year=population_year, area=area
        )
        for area, count in counts.items()
    }


def _values(values: Mapping[str, Value] | Mapping[str, RateResult]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for area, value in values.items():
        raw = value.rate if isinstance(value, RateResult) else value
        out[area] = None if raw is None or _missing(raw) else float(raw)
    return out


def rank_areas(
    values: Mapping[str, Value] | Mapping[str, RateResult],
    *,
    descending: bool = True,
) -> dict[str, int | None]:
    """Rank areas by value with 'min' ties: 1 = highest (or lowest if not ``descending``).

    Accepts plain numbers or :class:`RateResult` objects (their ``rate`` is used).
    Areas with no value get rank ``None``.
    """
    clean = _values(values)
    ranked = sorted((v for v in clean.values() if v is not None), reverse=descending)
    first_position: dict[float, int] = {}
    for position, value in enumerate(ranked, start=1):
        first_position.setdefault(value, position)
    return {area: (None if v is None else first_position[v]) for area, v in clean.items()}


def _cut(
    values: Mapping[str, Value] | Mapping[str, RateResult], n: int, descending: bool
) -> list[RankedArea]:
    if n < 0:
        raise ValueError("n must be >= 0")
    clean = _values(values)
    ranks = rank_areas(clean, descending=descending)
    chosen = [
        RankedArea(area, value, rank)
        for area, value in clean.items()
        if value is not None and (rank := ranks[area]) is not None and rank <= n
    ]
    chosen.sort(key=lambda item: (item.rank, item.area))
    if not descending:
        # report the rank within the full table (1 = highest) for the bottom list too
        table = rank_areas(clean, descending=True)
        chosen = [RankedArea(a.area, a.value, table[a.area] or 0) for a in chosen]
    return chosen


def top_n(values: Mapping[str, Value] | Mapping[str, RateResult], n: int = 5) -> list[RankedArea]:
    """The ``n`` highest areas (highest first), plus any tied with the ``n``-th.

    ``rank`` is the area's 'min' rank in the whole table (1 = highest).
    """
    return _cut(values, n, descending=True)


def bottom_n(
    values: Mapping[str, Value] | Mapping[str, RateResult], n: int = 5
) -> list[RankedArea]:
    """The ``n`` lowest areas (lowest first), plus any tied with the ``n``-th lowest.

    ``rank`` is still the area's rank in the whole table (1 = highest), so the lowest of
    26 wards has rank 26.
    """
    return _cut(values, n, descending=False)


def rank_changes(
    before: Mapping[str, Value] | Mapping[str, RateResult],
    after: Mapping[str, Value] | Mapping[str, RateResult],
) -> dict[str, RankChange]:
    """Rank of every area (union of both mappings) in each period and the change.

    Each period is ranked on its own (1 = highest). ``change = rank_before - rank_after``:
    +3 means the area climbed three places towards rank 1. ``None`` if unranked in either.
    Areas are returned in the order first seen (``before``, then new areas in ``after``).
    """
    ranks_before = rank_areas(before)
    ranks_after = rank_areas(after)
    areas = list(dict.fromkeys([*ranks_before, *ranks_after]))
    result: dict[str, RankChange] = {}
    for area in areas:
        rb, ra = ranks_before.get(area), ranks_after.get(area)
        change = None if rb is None or ra is None else rb - ra
        result[area] = RankChange(area, rb, ra, change)
    return result


def group_ranks(groups: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`rank_areas` for many tables at once: ``groups[i]`` names the table of row
    ``i`` (e.g. one per category, area level and period end), ``values[i]`` its value
    (NaN = no value). Returns (rank, rank_of) per row: the 'min' rank, 1 = highest, 0 for
    a row without a value; and how many rows of its table have a value."""
    n = len(values)
    rank = np.zeros(n, dtype=np.int64)
    rank_of = np.zeros(n, dtype=np.int64)
    if not n:
        return rank, rank_of
    groups = np.asarray(groups)
    values = np.asarray(values, dtype=np.float64)
    has = ~np.isnan(values)
    if has.any():
        idx = np.flatnonzero(has)
        g, v = groups[idx], values[idx]
        order = np.lexsort((-v, g))
        g, v, idx = g[order], v[order], idx[order]
        pos = np.arange(len(idx))
        new_group = np.concatenate([[True], g[1:] != g[:-1]])
        new_value = new_group | np.concatenate([[True], v[1:] != v[:-1]])
        group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
        value_start = np.maximum.accumulate(np.where(new_value, pos, 0))
        rank[idx] = value_start - group_start + 1
    _, inverse = np.unique(groups, return_inverse=True)
    per_group = np.bincount(inverse, weights=has, minlength=inverse.max() + 1)
    rank_of[:] = per_group[inverse].astype(np.int64)
    return rank, rank_of
