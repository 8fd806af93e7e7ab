"""Recalculation of stored trend results: read in bulk, compute with datasets.stats,
write with bulk upserts.

Why this shape: a full recalculation of a force (about 5,000 series × 120 months)
must finish in seconds, so the counts are read with one ordered query
(:mod:`.trend_inputs`), each series is computed by the pure functions in
``datasets.stats`` and the results are written in bulk (:mod:`.trend_store`), never
with row-by-row saves. A series whose input fingerprint is unchanged is skipped. Runs of
one partnership are serialised with a PostgreSQL advisory lock; the upsert keyed by
series makes a repeated run harmless on any database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from datasets.models import TrendKind, TrendSeries
from datasets.models.trends import RULE_BITS, SIGNAL_LETTERS
from datasets.services import trend_period_store, trend_store
from datasets.services.trend_inputs import (  # noqa: F401 - re-exported for callers
    BATCH_SIZE,
    SPC_OPTIONS,
    SeriesInput,
    int_month,
    month_int,
    period_ends,
    read_count_series,
    read_indicator_series,
    small_number_threshold,
    sql_in,
)
from datasets.services.trend_periods import PeriodFigures, period_figures, rank_periods
from datasets.stats import c_chart, rank_changes, rate_per_thousand, xmr
from datasets.stats.rolling_table import REASONS, rolling_year_table

_LOCK_CLASS = 74110  # first key of pg_advisory_lock(int, int): "trends"

# --- computing ------------------------------------------------------------------------


_RULE_MASKS = {
    frozenset(name for bit, name in enumerate(RULE_BITS) if mask >> bit & 1): mask
    for mask in range(1 << len(RULE_BITS))
}


def _num(value: float | None) -> float | None:
    return None if value is None else float(value)


def compute_series(
    item: SeriesInput, now: dt.datetime, since: int | None = None
) -> tuple[TrendSeries, list[int], PeriodFigures | None]:
    """The unsaved result row of one series, the indexes where a rebase is suggested,
    and the figures of its stored period ends from ``since`` (a month int; None: all)
    (None for an empty series)."""
    row = TrendSeries(
        partnership_id=item.partnership_id, key=item.key, kind=item.kind, source=item.source,
        area_id=item.area_id, area_level=item.area_level, category_id=item.category_id,
        indicator_id=item.indicator_id, label=item.label, improvement=item.improvement,
        step_months=item.step_months, n_points=len(item.values),
        population=item.population, population_year=item.population_year,
        fingerprint=item.fingerprint(), calculated_at=now, spc={},
        small_numbers=False, pct_change_reason="", latest_signal="", variation_icon="",
        assurance="",
    )
    if not item.values:
        return row, [], None
    row.first_month = int_month(item.first)
    row.period_end = int_month(item.first + (len(item.values) - 1) * item.step_months)
    row.latest_value = _num(item.values[-1])
    table = None
    if item.step_months == 1:
        table = rolling_year_table(
            item.values, row.first_month, small_number_threshold=small_number_threshold()
        )
        row.rolling_total = _nan(table.total[-1])
        row.previous_total = _nan(table.previous_total[-1])
        row.change = _nan(table.change[-1])
        row.pct_change = _nan(table.pct_change[-1])
        row.pct_change_reason = REASONS[table.reason[-1]]
        row.change_per_day = _nan(table.change_per_day[-1])
        row.small_numbers = bool(table.small_numbers[-1])
        if item.kind == TrendKind.COUNT:
            row.rate = rate_per_thousand(row.rolling_total, item.population).rate
            row.previous_rate = rate_per_thousand(row.previous_total, item.population).rate
    chart = c_chart if item.chart == "c" else xmr
    result = chart(
        item.values, improvement=item.improvement, rebase_at=item.rebase_indexes(),
        target=item.target, **SPC_OPTIONS,
    )
    signals = "".join(SIGNAL_LETTERS[p.signal] for p in result.points)
    rules = [_RULE_MASKS[p.rules] for p in result.points]
    row.spc = {
        "chart": result.chart,
        "values": item.values,
        "signals": signals,
        "rules": rules,
        "segments": [
            [s.start, s.end, s.mean, s.lower, s.upper, s.lower_2s, s.upper_2s, s.n_points,
             s.short, s.limits_fixed]
            for s in result.segments
        ],
        "suggested": result.suggested_rebase,
        "shift_points": result.options.shift_points,
    }
    latest = result.latest
    row.latest_signal = (latest.signal or "") if latest else ""
    row.variation_icon = result.variation_icon or ""
    row.assurance = result.assurance or ""
    figures = period_figures(
        first=item.first, step_months=item.step_months, kind=item.kind, values=item.values,
        table=table, populations=item.populations, since=since,
    )
    return row, list(result.suggested_rebase), figures


def _nan(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _rank_groups(rows: list[dict]) -> list[dict]:
    """Set rank, rank_of and rank_change (by rate per 1,000) within each group; return
    the rows whose rank fields changed."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["group"]].append(row)
    changed = []
    for members in groups.values():
        before = {r["key"]: r["previous_rate"] for r in members}
        after = {r["key"]: r["rate"] for r in members}
        ranked = rank_changes(before, after)
        rank_of = sum(1 for r in members if r["rate"] is not None)
        for r in members:
            info = ranked[r["key"]]
            new = (info.rank_after, rank_of if info.rank_after else None, info.change)
            if new != (r["rank"], r["rank_of"], r["rank_change"]):
                r["rank"], r["rank_of"], r["rank_change"] = new
                changed.append(r)
    return changed


@contextmanager
def partnership_lock(partnership_id: int):
    """Serialise recalculations of one partnership (PostgreSQL advisory lock; SQLite
    serialises writers itself)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_LOCK_CLASS, partnership_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, partnership_id])


@dataclass
class RecalcOutcome:
    total: int = 0
    computed: int = 0
    skipped: int = 0
    suggestions: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def recalculate_inputs(
    partnership_id: int,
    items: list[SeriesInput],
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    since: int | None = None,
) -> RecalcOutcome:
    """Compute and store ``items`` (skipping unchanged fingerprints unless ``force``),
    then refresh the ranks of every group the computed series belong to.

    ``since`` (a month int): the count series' data changed only from that month on (an
    upload), so their figures at earlier period ends are kept as stored."""
    outcome = RecalcOutcome(total=len(items))
    stored = {
        r["key"]: r
        for r in TrendSeries.objects.filter(partnership_id=partnership_id).values(
            "id", "key", "fingerprint", "kind", "source", "category_id", "area_level",
            "rate", "previous_rate", "rank", "rank_of", "rank_change",
        )
    }
    todo = [
        i for i in items
        if force or stored.get(i.key, {}).get("fingerprint") != i.fingerprint()
    ]
    outcome.skipped = len(items) - len(todo)
    now = timezone.now()
    computed: dict[str, TrendSeries] = {}
    figures: dict[str, PeriodFigures] = {}
    suggestions: dict[str, list[int]] = {}
    done = outcome.skipped
    for start in range(0, len(todo), BATCH_SIZE):
        batch = todo[start:start + BATCH_SIZE]
        for item in batch:
            item_since = since if item.kind == TrendKind.COUNT else None
            row, suggested, item_figures = compute_series(item, now, item_since)
            computed[item.key] = row
            suggestions[item.key] = suggested
            if item_figures is not None:
                figures[item.key] = item_figures
        done += len(batch)
        if progress:
            progress(done, len(items))
    outcome.computed = len(computed)
    if computed:
        _apply_ranks(stored, computed)
        sibling_period_ranks = _rank_period_ends(partnership_id, stored, computed, figures)
        with transaction.atomic():
            trend_store.upsert(list(computed.values()))
            ids = trend_store.series_ids(partnership_id)
            outcome.suggestions = trend_store.store_suggestions(
                partnership_id, computed, suggestions, ids
            )
            trend_store.update_sibling_ranks(stored, computed)
            counts = {key for key, row in computed.items() if row.kind == TrendKind.COUNT}
            trend_period_store.replace_periods(
                {ids[key]: figures.get(key) for key in counts}, now, since=since
            )
            trend_period_store.replace_periods(
                {ids[key]: figures.get(key) for key in computed if key not in counts}, now
            )
            trend_period_store.update_period_ranks(sibling_period_ranks)
    return outcome


def _rank_group(row) -> tuple:
    return (row["source"], row["category_id"], row["area_level"]) if isinstance(row, dict) \
        else (row.source, row.category_id, row.area_level)


def _rank_period_ends(
    partnership_id: int, stored: dict[str, dict], computed: dict[str, TrendSeries],
    figures: dict[str, PeriodFigures],
) -> list[tuple]:
    """Ranks at every period end of the computed count series, among all areas of their
    groups (stored siblings included); the siblings' rows whose ranks changed."""
    ranked = {
        key: (_rank_group(row), figures[key])
        for key, row in computed.items()
        if row.kind == TrendKind.COUNT and key in figures
    }
    groups = {group for group, _ in ranked.values()}
    siblings = {
        s["id"]: _rank_group(s)
        for key, s in stored.items()
        if key not in computed and s["kind"] == TrendKind.COUNT and _rank_group(s) in groups
    }
    return rank_periods(partnership_id, ranked, siblings)


def _apply_ranks(stored: dict[str, dict], computed: dict[str, TrendSeries]) -> None:
    groups = {
        (row.source, row.category_id, row.area_level)
        for row in computed.values() if row.kind == TrendKind.COUNT
    }
    rows: dict[str, dict] = {}
    for key, s in stored.items():
        group = (s["source"], s["category_id"], s["area_level"])
        if s["kind"] == TrendKind.COUNT and group in groups:
            rows[key] = {**s, "group": group, "stored": True}
    for key, row in computed.items():
        if row.kind != TrendKind.COUNT:
            continue
        previous = stored.get(key, {})
        rows[key] = {
            "key": key, "group": (row.source, row.category_id, row.area_level),
            "rate": row.rate, "previous_rate": row.previous_rate,
            "rank": previous.get("rank"), "rank_of": previous.get("rank_of"),
            "rank_change": previous.get("rank_change"), "stored": False,
        }
    _rank_groups(list(rows.values()))
    for key, row in computed.items():
        if key in rows:
            r = rows[key]
            row.rank, row.rank_of, row.rank_change = r["rank"], r["rank_of"], r["rank_change"]
    # remember sibling changes for _update_sibling_ranks
    for key, r in rows.items():
        if r["stored"] and key not in computed:
            stored[key]["new_rank"] = (r["rank"], r["rank_of"], r["rank_change"])
