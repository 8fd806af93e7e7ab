"""Writing the figures of every period end (``TrendPeriodResult``) in bulk.

PostgreSQL: binary ``COPY`` of fixed-width rows (NaN, 0 or a sentinel for "none", small
codes for the texts) into a temporary table, then one ``INSERT … ON CONFLICT DO UPDATE …
WHERE changed``: stale period ends are deleted and unchanged rows are not rewritten.
SQLite (development, demo, tests): the same statement through ``executemany``.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
from django.db import connection

from datasets.models import TrendPeriodResult
from datasets.services import trend_periods
from datasets.services.trend_store import delete_where_in
from datasets.stats.rolling_table import REASONS

PERIOD_FIELDS = [
    "latest_value", "rolling_total", "previous_total", "change", "pct_change",
    "pct_change_reason", "change_per_day", "small_numbers", "population_year", "rate",
    "previous_rate", "rank", "rank_of", "rank_change",
]

#: Binary COPY row of the period stage: every column fixed width, "none" as NaN (floats),
#: 0 (ranks, years) or NO_RANK_CHANGE, a code for the text (REASONS).
_F8, _I4, _I2 = (">i4", ">f8"), (">i4", ">i4"), (">i4", ">i2")
_STAGE = [
    ("series_id", (">i4", ">i8")), ("month", _I4), ("latest_value", _F8),
    ("rolling_total", _F8), ("previous_total", _F8), ("change", _F8), ("pct_change", _F8),
    ("reason", _I2), ("change_per_day", _F8), ("small", _I2), ("population_year", _I4),
    ("rate", _F8), ("previous_rate", _F8), ("rank", _I4), ("rank_of", _I4),
    ("rank_change", _I4),
]
_STAGE_SQL = {">i8": "int8", ">i4": "int4", ">f8": "float8", ">i2": "int2"}
PERIOD_STAGE_DTYPE = np.dtype(
    [("fields", ">i2")]
    + [item for name, (length, kind) in _STAGE for item in ((f"{name}_n", length), (name, kind))]
)


def _period_arrays(figures_by_id: dict[int, trend_periods.PeriodFigures]) -> dict[str, np.ndarray]:
    """The period rows of every series as parallel arrays (the stage's columns)."""
    parts: dict[str, list[np.ndarray]] = {name: [] for name, _ in _STAGE}
    for series_id, fig in figures_by_id.items():
        n = len(fig)
        table = fig.table
        nan = np.full(n, np.nan)
        cols = {
            "series_id": np.full(n, series_id, dtype=np.int64),
            "month": fig.ends,
            "latest_value": fig.latest,
            "rolling_total": table.total if table else nan,
            "previous_total": table.previous_total if table else nan,
            "change": table.change if table else nan,
            "pct_change": table.pct_change if table else nan,
            "reason": table.reason if table else np.zeros(n, dtype=np.int8),
            "change_per_day": table.change_per_day if table else nan,
            "small": table.small_numbers if table else np.zeros(n, dtype=bool),
            "population_year": fig.population_year,
            "rate": fig.rate,
            "previous_rate": fig.previous_rate,
            "rank": fig.rank if fig.rank is not None else np.zeros(n, dtype=np.int64),
            "rank_of": fig.rank_of if fig.rank_of is not None else np.zeros(n, dtype=np.int64),
            "rank_change": fig.rank_change if fig.rank_change is not None
            else np.full(n, trend_periods.NO_RANK_CHANGE, dtype=np.int64),
        }
        for name, values in cols.items():
            parts[name].append(np.asarray(values))
    return {name: (np.concatenate(v) if v else np.empty(0)) for name, v in parts.items()}


def replace_periods(
    figures_by_id: dict[int, trend_periods.PeriodFigures | None], calculated_at: dt.datetime,
    *, since: int | None = None,
) -> None:
    """Make the stored period rows of these series match ``figures_by_id`` (an empty
    series keeps none): stale period ends are deleted, changed rows rewritten, unchanged
    rows left alone.

    ``since`` (a month int): only period ends from that month were recomputed; rows
    before it are kept, except ends that are no longer stored (a former latest month
    that is not a quarter end)."""
    if not figures_by_id:
        return
    present = {i: f for i, f in figures_by_id.items() if f is not None and len(f)}
    empty = [i for i in figures_by_id if i not in present]
    delete_where_in(TrendPeriodResult._meta.db_table, "series_id", empty)
    if not present:
        return
    arrays = _period_arrays(present)
    if connection.vendor == "postgresql":
        _replace_periods_copy(arrays, calculated_at, since)
    else:
        _replace_periods_sql(present, arrays, calculated_at, since)


def _is_stale(series_id: int, end: int, wanted: set, since: int | None) -> bool:
    if since is None or end >= since:
        return (series_id, end) not in wanted
    return end % 3 != 2  # before ``since`` only quarter ends are kept


def _replace_periods_copy(
    arrays: dict[str, np.ndarray], calculated_at: dt.datetime, since: int | None
) -> None:
    rows = np.empty(len(arrays["month"]), dtype=PERIOD_STAGE_DTYPE)
    rows["fields"] = len(_STAGE)
    for name, (_, kind) in _STAGE:
        rows[f"{name}_n"] = np.dtype(kind).itemsize
        rows[name] = arrays[name]
    payload = io.BytesIO()
    payload.write(b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8)
    payload.write(rows.tobytes())
    payload.write(b"\xff\xff")
    payload.seek(0)
    table = TrendPeriodResult._meta.db_table
    stage_columns = ", ".join(f"{name} {_STAGE_SQL[kind]}" for name, (_, kind) in _STAGE)
    texts = {"pct_change_reason": ("reason", REASONS)}
    select = {
        "latest_value": "NULLIF(latest_value, 'NaN')",
        "rolling_total": "NULLIF(rolling_total, 'NaN')",
        "previous_total": "NULLIF(previous_total, 'NaN')",
        "change": "NULLIF(change, 'NaN')",
        "pct_change": "NULLIF(pct_change, 'NaN')",
        "change_per_day": "NULLIF(change_per_day, 'NaN')",
        "small_numbers": "small <> 0",
        "population_year": "NULLIF(population_year, 0)",
        "rate": "NULLIF(rate, 'NaN')",
        "previous_rate": "NULLIF(previous_rate, 'NaN')",
        "rank": "NULLIF(rank, 0)",
        "rank_of": "NULLIF(rank_of, 0)",
        "rank_change": f"NULLIF(rank_change, {trend_periods.NO_RANK_CHANGE})",
        **{field: f"(%s::text[])[{code} + 1]" for field, (code, _) in texts.items()},
    }
    params = [list(values) for _, values in texts.values()]
    columns = ", ".join(PERIOD_FIELDS)
    changed = " OR ".join(f"p.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in PERIOD_FIELDS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*PERIOD_FIELDS, "calculated_at"])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE period_stage ({stage_columns}) ON COMMIT DROP")
        cursor.cursor.copy_expert("COPY period_stage FROM STDIN WITH (FORMAT binary)", payload)
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE series_id IN "  # noqa: S608
            "(SELECT DISTINCT series_id FROM period_stage))"
        )
        (existing,) = cursor.fetchone()
        upsert = ""
        if existing:  # replace: drop the ends that no longer exist, rewrite changed rows
            cursor.execute("ANALYZE period_stage")
            cutoff = dt.date(1, 1, 1) if since is None else trend_periods.int_month(since)
            cursor.execute(
                f"DELETE FROM {table} p WHERE p.series_id IN "  # noqa: S608
                # NOT IN over the stage is one hashed lookup per row (NOT EXISTS against
                # the unindexed stage scanned it for every stored row).
                "(SELECT DISTINCT series_id FROM period_stage) AND ((p.period_end >= %s "
                "AND (p.series_id, p.period_end) NOT IN (SELECT series_id, "
                "make_date(month / 12, month %% 12 + 1, 1) FROM period_stage)) "
                "OR (p.period_end < %s AND EXTRACT(MONTH FROM p.period_end)::int %% 3 <> 0))",
                [cutoff, cutoff],
            )
            upsert = (f" ON CONFLICT (series_id, period_end) DO UPDATE SET {updates} "
                      f"WHERE {changed}")
        cursor.execute(
            f"INSERT INTO {table} AS p (series_id, period_end, {columns}, calculated_at) "  # noqa: S608
            "SELECT series_id, make_date(month / 12, month %% 12 + 1, 1), "
            + ", ".join(select[c] for c in PERIOD_FIELDS)
            + f", %s FROM period_stage{upsert}",
            [*_text_params(select, texts, params), calculated_at],
        )
        cursor.execute("DROP TABLE period_stage")


def _text_params(select, texts, params):
    """The text-array parameters in the order their placeholders appear in PERIOD_FIELDS."""
    order = [field for field in PERIOD_FIELDS if field in texts]
    by_field = dict(zip(texts, params, strict=True))
    return [by_field[field] for field in order]


def _replace_periods_sql(
    present: dict[int, trend_periods.PeriodFigures], arrays: dict[str, np.ndarray],
    calculated_at: dt.datetime, since: int | None,
) -> None:
    """SQLite (development, demo, tests): delete the stale ends, then one
    ``INSERT … ON CONFLICT DO UPDATE … WHERE changed`` through ``executemany``."""
    table = TrendPeriodResult._meta.db_table
    months = arrays["month"].tolist()
    ids = arrays["series_id"].tolist()
    wanted = set(zip(ids, months, strict=True))
    stale = [
        pk for pk, series_id, end in TrendPeriodResult.objects.filter(
            series_id__in=list(present)).values_list("pk", "series_id", "period_end")
        if _is_stale(series_id, end.year * 12 + end.month - 1, wanted, since)
    ]
    delete_where_in(table, "id", stale)

    def floats(name: str) -> list[float | None]:
        return [None if v != v else v for v in arrays[name].tolist()]  # NaN → None

    def codes(name: str, texts: tuple[str, ...]) -> list[str]:
        return [texts[int(c)] for c in arrays[name].tolist()]

    def ints(name: str) -> list[int | None]:
        return [int(v) or None for v in arrays[name].tolist()]

    columns = {
        "latest_value": floats("latest_value"), "rolling_total": floats("rolling_total"),
        "previous_total": floats("previous_total"), "change": floats("change"),
        "pct_change": floats("pct_change"), "pct_change_reason": codes("reason", REASONS),
        "change_per_day": floats("change_per_day"),
        "small_numbers": [bool(v) for v in arrays["small"].tolist()],
        "population_year": ints("population_year"), "rate": floats("rate"),
        "previous_rate": floats("previous_rate"), "rank": ints("rank"),
        "rank_of": ints("rank_of"),
        "rank_change": [None if v == trend_periods.NO_RANK_CHANGE else int(v)
                        for v in arrays["rank_change"].tolist()],
    }
    ends = [dt.date(m // 12, m % 12 + 1, 1).isoformat() for m in months]
    stamp = connection.ops.adapt_datetimefield_value(calculated_at)
    rows = list(zip(ids, ends, *(columns[c] for c in PERIOD_FIELDS), strict=True))
    names = ", ".join(PERIOD_FIELDS)
    changed = " OR ".join(f"{table}.{c} IS NOT excluded.{c}" for c in PERIOD_FIELDS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*PERIOD_FIELDS, "calculated_at"])
    placeholders = ", ".join(["%s"] * (len(PERIOD_FIELDS) + 3))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (series_id, period_end, {names}, calculated_at) "  # noqa: S608
            f"VALUES ({placeholders}) ON CONFLICT (series_id, period_end) DO UPDATE SET "
            f"{updates} WHERE {changed}",
            [(*row, stamp) for row in rows],
        )


def update_period_ranks(changes: list[tuple]) -> None:
    """Store new ranks of siblings' period rows: (series id, month int, rank, rank_of,
    rank change), one UPDATE … FROM (VALUES …) per 1,000 rows."""
    table = TrendPeriodResult._meta.db_table
    # SQLite stores dates as ISO text (and CAST(… AS DATE) would make a number of it).
    end = "CAST(v.period_end AS DATE)" if connection.vendor == "postgresql" else "v.period_end"
    with connection.cursor() as cursor:
        for start in range(0, len(changes), 1000):
            chunk = changes[start:start + 1000]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            params = []
            for series_id, month, rank, rank_of, change in chunk:
                params += [
                    series_id, dt.date(month // 12, month % 12 + 1, 1).isoformat(),
                    rank or None, rank_of or None,
                    None if change == trend_periods.NO_RANK_CHANGE else change,
                ]
            cursor.execute(
                f"WITH v(series_id, period_end, rank, rank_of, rank_change) AS "  # noqa: S608
                f"(VALUES {values}) UPDATE {table} SET rank = CAST(v.rank AS INTEGER), "
                "rank_of = CAST(v.rank_of AS INTEGER), "
                "rank_change = CAST(v.rank_change AS INTEGER) FROM v "
                f"WHERE {table}.series_id = CAST(v.series_id AS INTEGER) "
                f"AND {table}.period_end = {end}",
                params,
            )
