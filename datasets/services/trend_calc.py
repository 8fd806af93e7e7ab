"""Recalculation of stored trend results: read in bulk, compute with datasets.stats,
write with bulk upserts.

Why this shape: a full recalculation of a force (about 5,000 series × 120 months)
must finish in seconds, so the counts are read with one ordered query, each series
is computed by the pure functions in ``datasets.stats`` and the results are written
with ``INSERT … ON CONFLICT (key) DO UPDATE`` in batches (never row-by-row saves).
A series whose input fingerprint is unchanged is skipped. Runs of one partnership
are serialised with a PostgreSQL advisory lock; the upsert keyed by series makes a
repeated run harmless on any database.

Months are handled as integers (``year * 12 + month - 1``) while reading.
A month with no MonthlyCount row is a gap (``None``), never a zero.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from datasets.models import (
    Area,
    Category,
    IndicatorSeries,
    IndicatorValue,
    PeriodKind,
    Population,
    StepChange,
    StepChangeStatus,
    TrendKind,
    TrendPeriodResult,
    TrendSeries,
)
from datasets.models.trends import RULE_BITS, SIGNAL_LETTERS
from datasets.stats import rank_changes, rate_per_thousand, rolling_year_summary, xmr

#: Bump when the computation changes so every stored series is recalculated.
ENGINE_VERSION = "1"
#: Options every stored chart is computed with (Making Data Count defaults).
SPC_OPTIONS = {"preset": "mdc"}
SMALL_NUMBER_THRESHOLD = 20
BATCH_SIZE = 2000
_LOCK_CLASS = 74110  # first key of pg_advisory_lock(int, int): "trends"

STEP_MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.CALENDAR_YEAR: 12,
    PeriodKind.FINANCIAL_YEAR: 12,
}

UPDATE_FIELDS = [
    "partnership", "kind", "source", "area", "area_level", "category", "indicator", "label",
    "improvement", "step_months", "first_month", "period_end", "n_points", "latest_value",
    "rolling_total", "previous_total", "change", "pct_change", "pct_change_reason",
    "change_per_day", "small_numbers", "population", "population_year", "rate",
    "previous_rate", "rank", "rank_of", "rank_change", "latest_signal", "variation_icon",
    "assurance", "spc", "fingerprint", "calculated_at",
]


def month_int(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def int_month(value: int) -> dt.date:
    return dt.date(value // 12, value % 12 + 1, 1)


@dataclass
class SeriesInput:
    """Everything one series' statistics depend on (read once, computed once)."""

    key: str
    kind: str
    partnership_id: int
    label: str
    improvement: str
    step_months: int = 1
    source: str = ""
    area_id: int | None = None
    area_level: str = ""
    category_id: int | None = None
    indicator_id: int | None = None
    first: int | None = None  # month int of index 0
    values: list[float | int | None] = field(default_factory=list)
    population: int | None = None
    population_year: int | None = None
    rebase_months: tuple[int, ...] = ()

    @property
    def rank_group(self) -> tuple | None:
        if self.kind != TrendKind.COUNT:
            return None
        return (self.source, self.category_id, self.area_level)

    def rebase_indexes(self) -> list[int]:
        if self.first is None:
            return []
        out = []
        for month in self.rebase_months:
            offset = month - self.first
            if offset > 0 and offset % self.step_months == 0:
                index = offset // self.step_months
                if index < len(self.values):
                    out.append(index)
        return sorted(set(out))

    def fingerprint(self) -> str:
        payload = repr(
            (
                ENGINE_VERSION, SPC_OPTIONS, SMALL_NUMBER_THRESHOLD, self.label,
                self.improvement, self.step_months, self.first, self.values,
                self.population, self.population_year, self.rebase_indexes(),
            )
        )
        return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


# --- reading --------------------------------------------------------------------------


def sql_in(column: str, ids: Iterable[int] | None, params: list) -> str:
    """`` AND column IN (…)`` for ``ids`` (appending them to ``params``); "" for None."""
    if ids is None:
        return ""
    ids = sorted(set(ids))
    if not ids:
        return " AND 1 = 0"
    params.extend(ids)
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})"


def _populations(partnership_id: int) -> dict[int, list[tuple[int, int]]]:
    by_area: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = Population.objects.filter(area__partnership_id=partnership_id).values_list(
        "area_id", "year", "population"
    )
    for area_id, year, population in rows:
        by_area[area_id].append((year, population))
    return by_area


def _population_for(years: list[tuple[int, int]], year: int) -> tuple[int | None, int | None]:
    """The estimate for ``year``, else the latest before it, else the earliest after."""
    if not years:
        return None, None
    before = [item for item in years if item[0] <= year]
    chosen = max(before) if before else min(years)
    return chosen[1], chosen[0]


def _confirmed_rebases(partnership_id: int) -> dict[str, tuple[int, ...]]:
    rows = StepChange.objects.confirmed().filter(series__partnership_id=partnership_id)
    out: dict[str, list[int]] = defaultdict(list)
    for key, month in rows.values_list("series__key", "month"):
        out[key].append(month_int(month))
    return {key: tuple(sorted(months)) for key, months in out.items()}


def period_ends(partnership_id: int, source: str | None = None) -> dict[str, int]:
    """Latest month of each source: every count series of a source ends there."""
    with connection.cursor() as cursor:
        if source is not None:  # one index lookup
            cursor.execute(
                "SELECT MAX(month) FROM datasets_monthlycount "
                "WHERE partnership_id = %s AND source = %s",
                [partnership_id, source],
            )
            (month,) = cursor.fetchone()
            return {source: month_int(_as_date(month))} if month else {}
        cursor.execute(
            "SELECT source, MAX(month) FROM datasets_monthlycount WHERE partnership_id = %s "
            "GROUP BY source",
            [partnership_id],
        )
        return {source: month_int(_as_date(month)) for source, month in cursor.fetchall()}


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def read_count_series(
    partnership_id: int,
    *,
    source: str | None = None,
    area_ids: Iterable[int] | None = None,
    category_ids: Iterable[int] | None = None,
    pairs: set[tuple[str, int, int]] | None = None,
) -> list[SeriesInput]:
    """Every count series of the partnership (optionally narrowed), one query for counts.

    ``pairs`` keeps only the given (source, area, category) series.
    """
    ends = period_ends(partnership_id, source)
    areas = {
        a["id"]: a
        for a in Area.objects.filter(partnership_id=partnership_id).values("id", "name", "level")
    }
    categories = {
        c["id"]: c
        for c in Category.objects.filter(partnership_id=partnership_id).values(
            "id", "name", "is_crime"
        )
    }
    populations = _populations(partnership_id)
    rebases = _confirmed_rebases(partnership_id)
    read = _read_counts_copy if connection.vendor == "postgresql" else _read_counts_sql
    result = []
    for src, end in ends.items():
        for area_id, category_id, first, values in read(
            partnership_id, src, end, area_ids, category_ids
        ):
            if pairs is not None and (src, area_id, category_id) not in pairs:
                continue
            result.append((src, end, area_id, category_id, first, values))
    return [
        _count_input(partnership_id, row, areas, categories, populations, rebases)
        for row in result
    ]


def _count_input(partnership_id, row, areas, categories, populations, rebases) -> SeriesInput:
    src, end, area_id, category_id, first, values = row
    area, category = areas[area_id], categories[category_id]
    population, population_year = _population_for(
        populations.get(area_id, []), int_month(end).year
    )
    key = TrendSeries.count_key(src, area_id, category_id)
    return SeriesInput(
        key=key, kind=TrendKind.COUNT, partnership_id=partnership_id,
        label=f"{category['name']} – {area['name']}",
        improvement="decrease", source=src, area_id=area_id,
        area_level=area["level"], category_id=category_id, first=first,
        values=values, population=population, population_year=population_year,
        rebase_months=rebases.get(key, ()),
    )


SeriesRows = Iterable[tuple[int, int, int, list[int | None]]]


def _read_counts_sql(
    partnership_id: int, source: str, end: int, area_ids, category_ids
) -> SeriesRows:
    """(area, category, first month, values up to ``end`` with None gaps): portable SQL."""
    params: list = [partnership_id, source]
    sql = (
        "SELECT area_id, category_id, month, count FROM datasets_monthlycount "
        "WHERE partnership_id = %s AND source = %s"
    )
    sql += sql_in("area_id", area_ids, params)
    sql += sql_in("category_id", category_ids, params)
    sql += " ORDER BY area_id, category_id, month"
    grouped: dict[tuple[int, int], list[tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for area_id, category_id, month, count in cursor.fetchall():
            grouped.setdefault((area_id, category_id), []).append(
                (month_int(_as_date(month)), count)
            )
    for (area_id, category_id), rows in grouped.items():
        first = rows[0][0]
        values: list[int | None] = [None] * (end - first + 1)
        for month, count in rows:
            values[month - first] = count
        yield area_id, category_id, first, values


def _read_counts_copy(
    partnership_id: int, source: str, end: int, area_ids, category_ids
) -> SeriesRows:
    """The same as :func:`_read_counts_sql`, read with ``COPY … TO STDOUT`` as integers
    and split into series with NumPy (PostgreSQL): the fast path of a full recalculation."""
    params: list = [partnership_id, source]
    sql = (
        "SELECT area_id, category_id, "
        "(EXTRACT(YEAR FROM month)::int * 12 + EXTRACT(MONTH FROM month)::int - 1), count "
        "FROM datasets_monthlycount WHERE partnership_id = %s AND source = %s"
    )
    sql += sql_in("area_id", area_ids, params)
    sql += sql_in("category_id", category_ids, params)
    sql += " ORDER BY area_id, category_id, month"
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        query = raw.mogrify(sql, params).decode()
        raw.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
    text = buffer.getvalue()
    if not text:
        return
    data = np.fromstring(text, dtype=np.int64, sep=" ").reshape(-1, 4)
    series_key = data[:, 0] * (1 << 32) + data[:, 1]
    starts = np.flatnonzero(np.diff(series_key)) + 1
    bounds = zip([0, *starts.tolist()], [*starts.tolist(), len(data)], strict=True)
    months_all, counts_all = data[:, 2], data[:, 3]
    for s, e in bounds:
        months, counts = months_all[s:e], counts_all[s:e]
        first = int(months[0])
        length = end - first + 1
        if e - s == length:  # complete: no gaps
            values = counts.tolist()
        else:
            values = [None] * length
            for month, count in zip((months - first).tolist(), counts.tolist(), strict=True):
                values[month] = count
        yield int(data[s, 0]), int(data[s, 1]), first, values


def read_indicator_series(
    partnership_id: int, *, indicator_ids: Iterable[int] | None = None
) -> list[SeriesInput]:
    """Indicator series on a regular grid of their period kind; a missing period is a gap."""
    series_qs = IndicatorSeries.objects.filter(partnership_id=partnership_id)
    if indicator_ids is not None:
        series_qs = series_qs.filter(pk__in=list(indicator_ids))
    meta = {s.pk: s for s in series_qs}
    rebases = _confirmed_rebases(partnership_id)
    values_by: dict[int, list[tuple[int, float]]] = defaultdict(list)
    rows = IndicatorValue.objects.filter(series_id__in=list(meta)).order_by(
        "series_id", "period_start"
    )
    for series_id, start, value in rows.values_list("series_id", "period_start", "value"):
        values_by[series_id].append((month_int(start), float(value)))
    result = []
    for series_id, series in meta.items():
        step = STEP_MONTHS.get(series.period_kind, 1)
        rows_ = values_by.get(series_id, [])
        first = rows_[0][0] if rows_ else None
        values: list[float | None] = []
        if rows_:
            values = [None] * ((rows_[-1][0] - first) // step + 1)
            for month, value in rows_:
                offset = month - first
                values[offset // step] = int(value) if value.is_integer() else value
        key = TrendSeries.indicator_key(series_id)
        result.append(
            SeriesInput(
                key=key, kind=TrendKind.INDICATOR, partnership_id=partnership_id,
                label=series.name, improvement="neutral", step_months=step,
                indicator_id=series_id, first=first, values=values,
                rebase_months=rebases.get(key, ()),
            )
        )
    return result


# --- computing ------------------------------------------------------------------------


_RULE_MASKS = {
    frozenset(name for bit, name in enumerate(RULE_BITS) if mask >> bit & 1): mask
    for mask in range(1 << len(RULE_BITS))
}


def _num(value: float | None) -> float | None:
    return None if value is None else float(value)


def compute_series(item: SeriesInput, now: dt.datetime) -> tuple[TrendSeries, list[int]]:
    """The unsaved result row of one series and the indexes where a rebase is suggested."""
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
        return row, []
    row.first_month = int_month(item.first)
    row.period_end = int_month(item.first + (len(item.values) - 1) * item.step_months)
    row.latest_value = _num(item.values[-1])
    if item.step_months == 1:
        # only the 24 months the two rolling years need
        tail = max(0, len(item.values) - 24)
        series = {
            int_month(item.first + i): item.values[i]
            for i in range(tail, len(item.values))
            if item.values[i] is not None
        }
        summary = rolling_year_summary(
            series, row.period_end, small_number_threshold=SMALL_NUMBER_THRESHOLD
        )
        row.rolling_total = _num(summary.total)
        row.previous_total = _num(summary.previous_total)
        row.change = _num(summary.change)
        row.pct_change = summary.pct_change
        row.pct_change_reason = summary.comparison.pct_change_undefined_reason or ""
        row.change_per_day = summary.change_per_day
        row.small_numbers = summary.small_numbers
        if item.kind == TrendKind.COUNT:
            row.rate = rate_per_thousand(row.rolling_total, item.population).rate
            row.previous_rate = rate_per_thousand(row.previous_total, item.population).rate
    result = xmr(
        item.values, improvement=item.improvement, rebase_at=item.rebase_indexes(),
        **SPC_OPTIONS,
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
    return row, list(result.suggested_rebase)


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


# --- writing --------------------------------------------------------------------------


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
) -> RecalcOutcome:
    """Compute and store ``items`` (skipping unchanged fingerprints unless ``force``),
    then refresh the ranks of every group the computed series belong to."""
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
    suggestions: dict[str, list[int]] = {}
    done = outcome.skipped
    for start in range(0, len(todo), BATCH_SIZE):
        batch = todo[start:start + BATCH_SIZE]
        for item in batch:
            row, suggested = compute_series(item, now)
            computed[item.key] = row
            suggestions[item.key] = suggested
        done += len(batch)
        if progress:
            progress(done, len(items))
    outcome.computed = len(computed)
    if computed:
        _apply_ranks(stored, computed)
        with transaction.atomic():
            _upsert(list(computed.values()))
            outcome.suggestions = _store_suggestions(partnership_id, computed, suggestions)
            siblings = _update_sibling_ranks(stored, computed)
            _snapshot_period_ends(partnership_id, now, siblings)
    return outcome


PERIOD_COLUMNS = [
    "latest_value", "rolling_total", "previous_total", "change", "pct_change",
    "pct_change_reason", "change_per_day", "small_numbers", "rate", "rank", "rank_of",
    "latest_signal", "calculated_at",
]


def _snapshot_period_ends(
    partnership_id: int, calculated_at: dt.datetime, sibling_ids: list[int]
) -> None:
    """Copy the current figures of the series just computed (``calculated_at``) and of
    siblings whose rank changed to their (series, period end) rows, in SQL."""
    source, target = TrendSeries._meta.db_table, TrendPeriodResult._meta.db_table
    columns = ", ".join(PERIOD_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in PERIOD_COLUMNS)
    insert = (
        f"INSERT INTO {target} (series_id, period_end, {columns}) "  # noqa: S608
        f"SELECT id, period_end, {columns} FROM {source} "
        "WHERE partnership_id = %s AND period_end IS NOT NULL AND {where} "
        f"ON CONFLICT (series_id, period_end) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        stamp = connection.ops.adapt_datetimefield_value(calculated_at)
        cursor.execute(insert.format(where="calculated_at = %s"), [partnership_id, stamp])
        for start in range(0, len(sibling_ids), 1000):
            chunk = sibling_ids[start:start + 1000]
            where = f"id IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(insert.format(where=where), [partnership_id, *chunk])


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


def _update_sibling_ranks(
    stored: dict[str, dict], computed: dict[str, TrendSeries]
) -> list[int]:
    """Store the new ranks of stored siblings that were not recomputed; their ids."""
    changed = []
    for key, s in stored.items():
        new = s.pop("new_rank", None)
        if new is None or key in computed or new == (s["rank"], s["rank_of"], s["rank_change"]):
            continue
        changed.append((s["id"], *new))
    # One UPDATE … FROM (VALUES …) per 1,000 rows (PostgreSQL and SQLite >= 3.33);
    # Django's bulk_update builds a CASE per row and is far slower here.
    table = TrendSeries._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 1000):
            chunk = changed[start:start + 1000]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"WITH v(id, rank, rank_of, rank_change) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {table} SET rank = CAST(v.rank AS INTEGER), "
                "rank_of = CAST(v.rank_of AS INTEGER), "
                "rank_change = CAST(v.rank_change AS INTEGER) "
                f"FROM v WHERE {table}.id = CAST(v.id AS INTEGER)",
                [value for row in chunk for value in row],
            )
    return [row[0] for row in changed]


def _upsert(rows: list[TrendSeries]) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE of every row: through COPY into a temporary
    table on PostgreSQL (one statement for thousands of rows), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        _upsert_copy(rows)
        return
    for start in range(0, len(rows), 1000):
        TrendSeries.objects.bulk_create(
            rows[start:start + 1000],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=UPDATE_FIELDS,
        )


def _upsert_copy(rows: list[TrendSeries]) -> None:
    fields = [TrendSeries._meta.get_field(name) for name in ["key", *UPDATE_FIELDS]]
    columns = [f.column for f in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    for row in rows:
        out = []
        for model_field in fields:
            value = getattr(row, model_field.attname)
            if model_field.name == "spc":
                value = json.dumps(value, separators=(",", ":"))
            elif isinstance(value, dt.date):
                value = value.isoformat()
            out.append(value)
        writer.writerow(out)
    buffer.seek(0)
    table, column_list = TrendSeries._meta.db_table, ", ".join(columns)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "key")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE trend_upsert ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {column_list} FROM {table} WITH NO DATA"
        )
        # csv quotes None as "" under QUOTE_NONNUMERIC: read it as NULL in nullable
        # columns (none of them is text, so no real empty string is lost).
        nullable = ", ".join(f.column for f in fields if f.null)
        cursor.cursor.copy_expert(
            f"COPY trend_upsert ({column_list}) FROM STDIN "
            f"WITH (FORMAT csv, FORCE_NULL ({nullable}))",
            buffer,
        )
        cursor.execute(
            f"INSERT INTO {table} ({column_list}) SELECT {column_list} "  # noqa: S608
            f"FROM trend_upsert ON CONFLICT (key) DO UPDATE SET {updates}"
        )
        cursor.execute("DROP TABLE trend_upsert")


def _store_suggestions(
    partnership_id: int, computed: dict[str, TrendSeries], suggestions: dict[str, list[int]]
) -> int:
    """Replace pending suggestions of the computed series; decided ones are kept and a
    rejected month is not suggested again."""
    ids = dict(
        TrendSeries.objects.filter(partnership_id=partnership_id).values_list("key", "id")
    )
    computed_ids = {ids[key] for key in computed}
    existing = {
        (series_id, month): (pk, status)
        for pk, series_id, month, status in StepChange.objects.filter(
            series__partnership_id=partnership_id
        ).values_list("pk", "series_id", "month", "status")
        if series_id in computed_ids
    }
    wanted: dict[tuple[int, dt.date], str] = {}
    for key, indexes in suggestions.items():
        row = computed[key]
        shift = row.spc.get("shift_points")
        for index in indexes:
            month = row.month_at(index)
            wanted[(ids[key], month)] = (
                f"A shift of {shift} or more points starts in {month:%B %Y}"
            )
    stale = [
        pk for where, (pk, status) in existing.items()
        if status == StepChangeStatus.SUGGESTED and where not in wanted
    ]
    # Suggestions are the machine's, not a user's edit: removed without history rows.
    table = StepChange._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(stale), 500):
            chunk = stale[start:start + 500]
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )
    new = [
        StepChange(series_id=series_id, month=month, status=StepChangeStatus.SUGGESTED,
                   suggested_reason=reason)
        for (series_id, month), reason in wanted.items()
        if (series_id, month) not in existing
    ]
    StepChange.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(wanted)
