"""Monthly counts: roll source-level counts up the area tree and category tree and
replace the stored ``MonthlyCount`` rows of some months in one go.

The roll-up is done in NumPy (one pass per level of the area tree), and the rows
reach PostgreSQL by binary COPY into a temporary table followed by one
INSERT … SELECT; SQLite (development, demo) gets ``executemany``. Both run inside
the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection

from datasets.models import Area, AreaLevel, Category, MonthlyCount

EPOCH = dt.date(1970, 1, 1)
EPOCH_ORDINAL = EPOCH.toordinal()


@dataclass
class Counts:
    """Parallel arrays: area id, category id, month (date ordinal), count."""

    area: np.ndarray
    category: np.ndarray
    month: np.ndarray
    value: np.ndarray

    @classmethod
    def empty(cls) -> Counts:
        z = np.empty(0, dtype=np.int64)
        return cls(z, z, z, z)

    @classmethod
    def from_rows(cls, rows) -> Counts:
        """From (area id, category id, month date, count) tuples."""
        rows = list(rows)
        if not rows:
            return cls.empty()
        area, category, month, value = zip(*rows, strict=True)
        return cls(
            np.array(area, dtype=np.int64), np.array(category, dtype=np.int64),
            np.array([_as_date(m).toordinal() for m in month], dtype=np.int64),
            np.array(value, dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.value)


def _as_date(value) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _tree(ids_and_parents: list[tuple[int, int | None]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted ids and, per id, the position of its parent (-1 for none)."""
    ids = np.array(sorted(i for i, _ in ids_and_parents), dtype=np.int64)
    parent_of = dict(ids_and_parents)
    parents = np.array([parent_of[int(i)] if parent_of[int(i)] is not None else -1 for i in ids],
                       dtype=np.int64)
    parent_pos = np.full(len(ids), -1, dtype=np.int64)
    has = parents >= 0
    if has.any():
        parent_pos[has] = np.searchsorted(ids, parents[has])
    return ids, parent_pos


def roll_up(partnership_id: int, counts: Counts) -> tuple[Counts, np.ndarray]:
    """Counts for every ancestor area (LSOA → ward → cluster → district → …) and
    every category's group, summed. Also returns the level of each row's area."""
    if not len(counts):
        return Counts.empty(), np.empty(0, dtype=object)
    area_rows = list(Area.objects.filter(partnership_id=partnership_id)
                     .values_list("id", "parent_id", "level"))
    area_ids, area_parent = _tree([(a, p) for a, p, _ in area_rows])
    level_of = dict((a, lvl) for a, _, lvl in area_rows)
    cat_ids, cat_parent = _tree(list(Category.objects.filter(partnership_id=partnership_id)
                                     .values_list("id", "parent_id")))
    ncat = len(cat_ids)
    base = int(counts.month.min())
    span = int(counts.month.max()) - base + 1
    # Level by level: sum into the parent area, so each step is as small as the
    # level above (memory stays near the size of the LSOA-level counts).
    a_pos = np.searchsorted(area_ids, counts.area)
    c_pos = np.searchsorted(cat_ids, counts.category)
    key = (a_pos * ncat + c_pos) * span + (counts.month - base)
    value = counts.value
    keys, values = [], []
    while len(key):
        key, value = _sum_by_key(key, value)
        keys.append(key), values.append(value)
        parent = area_parent[key // span // ncat]
        keep = parent >= 0
        key = (parent[keep] * ncat + (key[keep] // span) % ncat) * span + key[keep] % span
        value = value[keep]
    key, value = np.concatenate(keys), np.concatenate(values)
    group = cat_parent[(key // span) % ncat]
    has_group = group >= 0
    group_key = ((key[has_group] // span // ncat) * ncat + group[has_group]) * span \
        + key[has_group] % span
    group_key, group_value = _sum_by_key(group_key, value[has_group])
    key, sums = np.concatenate([key, group_key]), np.concatenate([value, group_value])
    key, sums = _sum_by_key(key, sums)  # a category that is itself a group
    month = key % span + base
    rest = key // span
    area = area_ids[rest // ncat]
    category = cat_ids[rest % ncat]
    present = np.unique(area)
    levels = np.array([level_of[int(a)] for a in present], dtype=object)
    level_by_row = levels[np.searchsorted(present, area)]
    return Counts(area, category, month, sums), level_by_row


def _sum_by_key(key: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, inverse = np.unique(key, return_inverse=True)
    return unique, np.bincount(inverse, weights=value, minlength=len(unique)).astype(np.int64)


def counts_replace(
    *, partnership_id: int, source: str, months: list[dt.date], counts: Counts
) -> dict:
    """Replace the stored counts of ``months`` (for this partnership and source) by
    ``counts`` rolled up. Returns figures for the upload summary: how many counts of
    wards and larger areas are small numbers (below ``SMP_SMALL_NUMBER_THRESHOLD``)."""
    rolled, levels = roll_up(partnership_id, counts)
    if connection.vendor == "postgresql":
        _copy_counts(partnership_id, source, months, rolled)
    else:
        MonthlyCount.objects.filter(
            partnership_id=partnership_id, source=source, month__in=months
        ).delete()
        if len(rolled):
            _insert_counts(partnership_id, source, rolled)
    above_lsoa = levels != AreaLevel.LSOA if len(rolled) else np.empty(0, dtype=bool)
    threshold = settings.SMP_SMALL_NUMBER_THRESHOLD
    small = int(((rolled.value < threshold) & above_lsoa).sum()) if len(rolled) else 0
    return {"count_rows": int(len(rolled)), "small_counts": small,
            "small_number_threshold": threshold,
            "count_cells_above_lsoa": int(above_lsoa.sum()) if len(rolled) else 0}


def _insert_counts(partnership_id: int, source: str, rolled: Counts) -> None:
    rows = [
        (partnership_id, source, a, c, dt.date.fromordinal(m).isoformat(), v)
        for a, c, m, v in zip(rolled.area.tolist(), rolled.category.tolist(),
                              rolled.month.tolist(), rolled.value.tolist(), strict=True)
    ]
    table = MonthlyCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (partnership_id, source, area_id, category_id, month, count) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s)", rows,
        )


BINARY_ROW = np.dtype([
    ("fields", ">i2"),
    ("l1", ">i4"), ("area", ">i8"),
    ("l2", ">i4"), ("category", ">i8"),
    ("l3", ">i4"), ("day", ">i4"),
    ("l4", ">i4"), ("count", ">i4"),
])


def binary_copy_payload(rolled: Counts) -> io.BytesIO:
    """PostgreSQL binary COPY of (int8, int8, int4, int4) built by NumPy at once."""
    rows = np.empty(len(rolled), dtype=BINARY_ROW)
    rows["fields"] = 4
    rows["l1"], rows["l2"], rows["l3"], rows["l4"] = 8, 8, 4, 4
    rows["area"] = rolled.area
    rows["category"] = rolled.category
    rows["day"] = rolled.month - EPOCH_ORDINAL
    rows["count"] = rolled.value
    buffer = io.BytesIO()
    buffer.write(b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8)
    buffer.write(rows.tobytes())
    buffer.write(b"\xff\xff")
    buffer.seek(0)
    return buffer


def _copy_counts(partnership_id: int, source: str, months: list[dt.date],
                 rolled: Counts) -> None:
    """Stage by binary COPY, delete only the counts that no longer exist, then
    upsert, writing only counts that changed: re-importing a month costs little
    more than reading it (unchanged rows are not rewritten, indexes untouched)."""
    table = MonthlyCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS smp_counts_stage (area_id int8, category_id int8, "
            "day int4, count int4) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE smp_counts_stage")
        cursor.copy_expert("COPY smp_counts_stage FROM STDIN WITH (FORMAT binary)",
                           binary_copy_payload(rolled))
        cursor.execute("ANALYZE smp_counts_stage")
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE partnership_id = %s AND source = %s "  # noqa: S608
            "AND month = ANY(%s))", [partnership_id, source, list(months)],
        )
        existing = cursor.fetchone()[0]
        if existing:
            cursor.execute(
                f"DELETE FROM {table} m WHERE m.partnership_id = %s AND m.source = %s "  # noqa: S608
                "AND m.month = ANY(%s) AND NOT EXISTS (SELECT 1 FROM smp_counts_stage s "
                "WHERE s.area_id = m.area_id AND s.category_id = m.category_id "
                "AND DATE '1970-01-01' + s.day = m.month)",
                [partnership_id, source, list(months)],
            )
        upsert = (" ON CONFLICT ON CONSTRAINT monthly_count_unique DO UPDATE SET "
                  "count = EXCLUDED.count WHERE m.count <> EXCLUDED.count") if existing else ""
        cursor.execute(
            f"INSERT INTO {table} AS m (partnership_id, source, area_id, category_id, month, "  # noqa: S608
            "count) SELECT %s, %s, area_id, category_id, DATE '1970-01-01' + day, count "
            f"FROM smp_counts_stage{upsert}",
            [partnership_id, source],
        )
        cursor.execute("TRUNCATE smp_counts_stage")
