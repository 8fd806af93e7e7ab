"""The figures of every period end of a series (``TrendPeriodResult``), computed in bulk.

For each computed series: the rolling-year table (:func:`datasets.stats.rolling_table`),
the rate per 1,000 with the population estimate of each period end's year, and each
point's signal, variation icon and assurance on the series' current chart. Ranks are
then set for every (source, category, area level, period end) table at once with
:func:`datasets.stats.rates.group_ranks`, including stored siblings that were not
recomputed, so every stored period row carries the rank it has among its areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import connection

from datasets.models import TrendKind
from datasets.services.trend_inputs import _as_date, int_month, month_int, sql_in
from datasets.stats import SpcResult
from datasets.stats.rates import group_ranks
from datasets.stats.rolling_table import RollingTable
from datasets.stats.spc_types import (
    ASSURANCE_VALUES,
    VARIATION_ICONS,
    assurance_for_limits,
    variation_icon,
)

#: Text of the small integer codes kept in the arrays (index 0 = "").
SIGNALS = ("", "common_cause", "improvement", "concern", "neutral")
ICONS = ("", *VARIATION_ICONS)
ASSURANCES = ("", *ASSURANCE_VALUES)
NO_RANK_CHANGE = np.iinfo(np.int32).min  # rank_change "none" (a real change may be < 0)
_SIGNAL_INDEX = {name: i for i, name in enumerate(SIGNALS)}
_ICON_INDEX = {name: i for i, name in enumerate(ICONS)}
_ASSURANCE_INDEX = {name: i for i, name in enumerate(ASSURANCES)}


@dataclass
class PeriodFigures:
    """One entry per point of a series (NaN / 0 / "" where undefined)."""

    ends: np.ndarray  # month ints (year * 12 + month - 1)
    table: RollingTable | None  # monthly series only
    latest: np.ndarray
    population_year: np.ndarray
    rate: np.ndarray
    previous_rate: np.ndarray
    signal: np.ndarray
    icon: np.ndarray
    assurance: np.ndarray
    rank: np.ndarray | None = None
    rank_of: np.ndarray | None = None
    rank_change: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ends)


def population_years(
    populations: tuple[tuple[int, int], ...], years: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(population, estimate year) for each year: the estimate for that year, else the
    latest before it, else the earliest after it (0, 0 without estimates)."""
    pop = np.zeros(len(years), dtype=np.float64)
    year_used = np.zeros(len(years), dtype=np.int64)
    if not populations or not len(years):
        return pop, year_used
    ordered = sorted(populations)
    for year in np.unique(years).tolist():
        before = [item for item in ordered if item[0] <= year]
        chosen_year, chosen = before[-1] if before else ordered[0]
        mask = years == year
        pop[mask], year_used[mask] = chosen, chosen_year
    return pop, year_used


def period_figures(
    *, first: int, step_months: int, kind: str, values: list, table: RollingTable | None,
    populations: tuple[tuple[int, int], ...], result: SpcResult,
) -> PeriodFigures:
    """The figures at each point of one series (ranks are set later, in bulk)."""
    n = len(values)
    ends = first + np.arange(n, dtype=np.int64) * step_months
    latest = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    rate = np.full(n, np.nan)
    previous_rate = np.full(n, np.nan)
    year_used = np.zeros(n, dtype=np.int64)
    if kind == TrendKind.COUNT and table is not None and populations:
        pop, year_used = population_years(populations, ends // 12)
        with np.errstate(divide="ignore", invalid="ignore"):
            ok = pop > 0
            rate = np.where(ok, table.total * 1000.0 / np.where(ok, pop, 1.0), np.nan)
            previous_rate = np.where(
                ok, table.previous_total * 1000.0 / np.where(ok, pop, 1.0), np.nan
            )
        year_used = np.where(ok, year_used, 0)
    signal = np.zeros(n, dtype=np.int8)
    icon = np.zeros(n, dtype=np.int8)
    assurance = np.zeros(n, dtype=np.int8)
    improvement, target = result.options.improvement, result.options.target
    for seg in result.segments:
        sure = _ASSURANCE_INDEX[
            assurance_for_limits(seg.lower, seg.upper, target, improvement) or ""
        ]
        assurance[seg.start:seg.end + 1] = sure
    for point in result.points:
        signal[point.index] = _SIGNAL_INDEX[point.signal or ""]
        if point.value is not None and point.upper is not None:
            direction = 1 if point.value >= point.mean else -1
            icon[point.index] = _ICON_INDEX[variation_icon(point.signal, direction, improvement)]
    return PeriodFigures(ends, table, latest, year_used, rate, previous_rate, signal, icon,
                         assurance)


def rank_periods(
    partnership_id: int, computed: dict[str, tuple[tuple, PeriodFigures]],
    siblings: dict[int, tuple],
) -> list[tuple]:
    """Set rank, rank_of and rank_change of every computed count series' period rows,
    ranking them together with the stored rows of ``siblings`` (series id → rank group)
    at the same period ends. ``computed`` maps key → (rank group, figures). Returns the
    sibling rows whose ranks changed: (series id, month int, rank, rank_of, change)."""
    groups = sorted({g for g, _ in computed.values()} | set(siblings.values()))
    index = {g: i for i, g in enumerate(groups)}
    parts_key, parts_rate, parts_prev = [], [], []
    for group, fig in computed.values():
        parts_key.append(index[group] * (1 << 20) + fig.ends)
        parts_rate.append(fig.rate)
        parts_prev.append(fig.previous_rate)
    stored = _stored_sibling_rows(partnership_id, siblings, computed)
    if stored is not None:
        s_ids, s_ends, s_rate, s_prev, s_old = stored
        s_groups = np.array([index[siblings[int(i)]] for i in s_ids], dtype=np.int64)
        parts_key.append(s_groups * (1 << 20) + s_ends)
        parts_rate.append(s_rate)
        parts_prev.append(s_prev)
    if not parts_key:
        return []
    key = np.concatenate(parts_key)
    rank, rank_of = group_ranks(key, np.concatenate(parts_rate))
    before, _ = group_ranks(key, np.concatenate(parts_prev))
    change = np.where((rank > 0) & (before > 0), before - rank, NO_RANK_CHANGE)
    offset = 0
    for _, fig in computed.values():
        n = len(fig)
        fig.rank, fig.rank_of = rank[offset:offset + n], rank_of[offset:offset + n]
        fig.rank_change = change[offset:offset + n]
        offset += n
    if stored is None:
        return []
    new = np.stack([rank[offset:], rank_of[offset:], change[offset:]], axis=1)
    differs = np.flatnonzero((new != s_old).any(axis=1))
    return [
        (int(s_ids[i]), int(s_ends[i]), int(new[i, 0]), int(new[i, 1]), int(new[i, 2]))
        for i in differs
    ]


def _stored_sibling_rows(partnership_id, siblings, computed):
    """Stored period rows of ``siblings`` at the period ends the computed series have:
    (ids, month ints, rates, previous rates, [rank, rank_of, change] as now stored)."""
    if not siblings or not computed:
        return None
    low = min(int(fig.ends.min()) for _, fig in computed.values() if len(fig))
    high = max(int(fig.ends.max()) for _, fig in computed.values() if len(fig))
    ids = sorted(siblings)
    rows = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            params: list = [int_month(low), int_month(high)]
            cursor.execute(
                "SELECT series_id, period_end, rate, previous_rate, rank, rank_of, rank_change "
                "FROM datasets_trendperiodresult WHERE period_end >= %s AND period_end <= %s"
                + sql_in("series_id", chunk, params),
                params,
            )
            rows += cursor.fetchall()
    if not rows:
        return None
    ids_a = np.array([r[0] for r in rows], dtype=np.int64)
    ends = np.array([month_int(_as_date(r[1])) for r in rows], dtype=np.int64)
    rate = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=np.float64)
    prev = np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64)
    old = np.array(
        [[r[4] or 0, r[5] or 0, NO_RANK_CHANGE if r[6] is None else r[6]] for r in rows],
        dtype=np.int64,
    )
    return ids_a, ends, rate, prev, old
