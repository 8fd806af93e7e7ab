"""The figures of a series at its period ends (``TrendPeriodResult``), computed in bulk.

Which period ends: every point of a quarterly or yearly series; for a monthly series
every quarter end (March, June, September, December: the quarters partnerships report
on, which include the financial and calendar year ends) and the latest month. Storing
every month as well would triple the rows a force-sized recalculation writes
(bench/TRENDS.md) for figures nobody quotes; any other pair of periods is compared on
the series page.

For each computed series: the rolling-year table (:func:`datasets.stats.rolling_table`)
and the rate per 1,000 with the population estimate of each period end's year. Ranks are
then set for every (source, category, area level, period end) table at once with
:func:`datasets.stats.rates.group_ranks`, including stored siblings that were not
recomputed, so every stored period row carries the rank it has among its areas.

A period end's figures depend only on the data up to it, so when only months from
``since`` on changed (an upload), period ends before it are neither recomputed nor
rewritten. (Each point's SPC signal depends on the whole chart, so it is read from the
series' stored chart, not copied into these rows.)
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from django.db import connection

from datasets.models import TrendKind
from datasets.services.trend_inputs import _as_date, int_month, month_int, sql_in  # noqa: F401 - int_month re-exported
from datasets.stats.rates import group_ranks
from datasets.stats.rolling_table import RollingTable

NO_RANK_CHANGE = np.iinfo(np.int32).min  # rank_change "none" (a real change may be < 0)


@dataclass
class PeriodFigures:
    """One entry per stored period end of a series (NaN / 0 where undefined)."""

    ends: np.ndarray  # month ints (year * 12 + month - 1)
    table: RollingTable | None  # monthly series only
    latest: np.ndarray
    population_year: np.ndarray
    rate: np.ndarray
    previous_rate: np.ndarray
    rank: np.ndarray | None = None
    rank_of: np.ndarray | None = None
    rank_change: np.ndarray | None = None
    #: the latest period end of the series (kept even when not a quarter end)
    last: int = 0

    def __len__(self) -> int:
        return len(self.ends)

    def subset(self, keep: np.ndarray) -> PeriodFigures:
        """Only the period ends where ``keep`` is true (before ranking)."""
        table = None if self.table is None else RollingTable(
            self.table.first_month,
            *(getattr(self.table, f.name)[keep] for f in fields(RollingTable)[1:]),
        )
        return PeriodFigures(
            self.ends[keep], table, self.latest[keep], self.population_year[keep],
            self.rate[keep], self.previous_rate[keep], last=self.last,
        )


def population_years(
    populations: tuple[tuple[int, int], ...], years: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(population, estimate year) for each year: the estimate for that year, else the
    latest before it, else the earliest after it (0, 0 without estimates)."""
    if not populations or not len(years):
        return np.zeros(len(years), dtype=np.float64), np.zeros(len(years), dtype=np.int64)
    ordered = sorted(populations)
    low, high = int(years.min()), int(years.max())
    chosen_pop, chosen_year = [], []
    for year in range(low, high + 1):  # a handful of years
        before = [item for item in ordered if item[0] <= year]
        y, pop = before[-1] if before else ordered[0]
        chosen_year.append(y)
        chosen_pop.append(pop)
    offset = years - low
    return (np.array(chosen_pop, dtype=np.float64)[offset],
            np.array(chosen_year, dtype=np.int64)[offset])


def period_figures(
    *, first: int, step_months: int, kind: str, values: list, table: RollingTable | None,
    populations: tuple[tuple[int, int], ...], since: int | None = None,
) -> PeriodFigures:
    """The figures at the stored period ends of one series from ``since`` (a month int;
    None: all of them). Ranks are set later, in bulk."""
    n = len(values)
    ends = first + np.arange(n, dtype=np.int64) * step_months
    latest = table.latest if table is not None else np.array(
        [np.nan if v is None else float(v) for v in values], dtype=np.float64)
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
    figures = PeriodFigures(ends, table, latest, year_used, rate, previous_rate,
                            last=int(ends[-1]) if n else 0)
    keep = np.ones(n, dtype=bool)
    if step_months == 1 and n:
        # Monthly series keep the quarter ends the partnership reports on, and the latest.
        keep = ends % 3 == 2  # March, June, September, December (month ints)
        keep[-1] = True
    if since is not None:
        keep &= ends >= since
    return figures if keep.all() else figures.subset(keep)


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
