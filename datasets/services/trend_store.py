"""Writing trend results: bulk upserts of series, sibling ranks, suggestions (period-end
rows: :mod:`.trend_period_store`).

PostgreSQL gets ``COPY`` into a temporary table and one ``INSERT … ON CONFLICT``;
other databases use ``bulk_create(update_conflicts=True)``. Nothing here writes row by
row, and nothing computes statistics.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.db import connection

from datasets.models import StepChange, StepChangeStatus, TrendSeries


def delete_where_in(table: str, column: str, ids: list[int], chunk_size: int = 500) -> None:
    """``DELETE FROM table WHERE column IN (…)`` in chunks, without the ORM (no history
    rows, no per-row signals: for machine-written rows only)."""
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start:start + chunk_size]
            cursor.execute(
                f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )


UPDATE_FIELDS = [
    "partnership", "kind", "source", "area", "area_level", "category", "indicator", "label",
    "improvement", "step_months", "first_month", "period_end", "n_points", "latest_value",
    "rolling_total", "previous_total", "change", "pct_change", "pct_change_reason",
    "change_per_day", "small_numbers", "population", "population_year", "rate",
    "previous_rate", "rank", "rank_of", "rank_change", "latest_signal", "variation_icon",
    "assurance", "spc", "fingerprint", "calculated_at",
]


def series_ids(partnership_id: int) -> dict[str, int]:
    """Key → id of every stored series of the partnership."""
    return dict(
        TrendSeries.objects.filter(partnership_id=partnership_id).values_list("key", "id")
    )


def update_sibling_ranks(
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


def upsert(rows: list[TrendSeries]) -> None:
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


def store_suggestions(
    partnership_id: int, computed: dict[str, TrendSeries], suggestions: dict[str, list[int]],
    ids: dict[str, int],
) -> int:
    """Replace pending suggestions of the computed series; decided ones are kept and a
    rejected month is not suggested again. ``ids``: key → id of the stored series."""
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
    delete_where_in(StepChange._meta.db_table, "id", stale)
    new = [
        StepChange(series_id=series_id, month=month, status=StepChangeStatus.SUGGESTED,
                   suggested_reason=reason)
        for (series_id, month), reason in wanted.items()
        if (series_id, month) not in existing
    ]
    StepChange.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(wanted)
