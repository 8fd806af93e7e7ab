"""Reading the inputs of trend series in bulk (counts and indicator values).

One ordered query per source reads every count of the partnership (``COPY`` into NumPy
on PostgreSQL), so a full recalculation reads 600,000 rows in well under a second.
Months are handled as integers (``year * 12 + month - 1``) while reading.

Zero or gap: imports store a MonthlyCount row only where something was counted, and an
upload is the complete picture of the months it supplies (re-uploading a month replaces
the whole month). So in a month that a current upload of the source covers
(``UploadMonth``), an area × category with no row had **zero**; in a month that no upload
covers, the value is a **gap** (``None``), never a zero. Counts written without an upload
(tests, benchmarks) have no coverage and keep gaps for missing rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection

from datasets.models import (
    Area,
    Category,
    IndicatorSeries,
    IndicatorValue,
    PeriodKind,
    Population,
    SeriesChart,
    StepChange,
    TrendKind,
    TrendSeries,
    UploadMonth,
)

#: Bump when the computation changes so every stored series is recalculated.
#: 2: months covered by an upload with no row are zeros, not gaps. 3: equality in the
#: SPC rules judged to floating-point tolerance.
ENGINE_VERSION = "3"
#: Options every stored chart is computed with (Making Data Count defaults).
SPC_OPTIONS = {"preset": "mdc"}


def small_number_threshold() -> int:
    """Base below which a change is flagged "small numbers" (``SMP_SMALL_NUMBER_THRESHOLD``,
    the same setting as the upload summary's warning)."""
    return settings.SMP_SMALL_NUMBER_THRESHOLD
BATCH_SIZE = 2000

STEP_MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.CALENDAR_YEAR: 12,
    PeriodKind.FINANCIAL_YEAR: 12,
}

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
    #: every estimate of the area, (year, population): rates at earlier period ends
    populations: tuple[tuple[int, int], ...] = ()
    rebase_months: tuple[int, ...] = ()
    chart: str = "xmr"
    #: SPC target per point (indicator series set by an officer), for assurance
    target: float | None = None

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
                ENGINE_VERSION, SPC_OPTIONS, small_number_threshold(), self.label,
                self.improvement, self.step_months, self.first, self.values,
                self.population, self.population_year, self.populations,
                self.rebase_indexes(), self.chart, self.target,
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


def _chart_choices(partnership_id: int) -> dict[str, str]:
    rows = SeriesChart.objects.filter(series__partnership_id=partnership_id)
    return dict(rows.values_list("series__key", "kind"))


def _confirmed_rebases(partnership_id: int) -> dict[str, tuple[int, ...]]:
    rows = StepChange.objects.confirmed().filter(series__partnership_id=partnership_id)
    out: dict[str, list[int]] = defaultdict(list)
    for key, month in rows.values_list("series__key", "month"):
        out[key].append(month_int(month))
    return {key: tuple(sorted(months)) for key, months in out.items()}


def covered_months(partnership_id: int, source: str) -> list[int]:
    """The months (as month ints, ascending) that a current upload of ``source`` supplies:
    in these months a missing count is zero."""
    months = UploadMonth.objects.filter(
        partnership_id=partnership_id, source=source, superseded_by__isnull=True
    ).values_list("month", flat=True)
    return sorted({month_int(_as_date(m)) for m in months})


def period_ends(partnership_id: int, source: str | None = None) -> dict[str, int]:
    """Latest month of each source (the latest month with a count or covered by an
    upload): every count series of a source ends there."""
    with connection.cursor() as cursor:
        if source is not None:  # index lookups
            cursor.execute(
                "SELECT MAX(month) FROM datasets_monthlycount "
                "WHERE partnership_id = %s AND source = %s",
                [partnership_id, source],
            )
            rows = [(source, cursor.fetchone()[0])]
            cursor.execute(
                "SELECT MAX(month) FROM datasets_uploadmonth WHERE partnership_id = %s "
                "AND source = %s AND superseded_by_id IS NULL",
                [partnership_id, source],
            )
            rows.append((source, cursor.fetchone()[0]))
        else:
            cursor.execute(
                "SELECT source, MAX(month) FROM datasets_monthlycount "
                "WHERE partnership_id = %s GROUP BY source",
                [partnership_id],
            )
            rows = list(cursor.fetchall())
            cursor.execute(
                "SELECT source, MAX(month) FROM datasets_uploadmonth WHERE partnership_id = %s "
                "AND superseded_by_id IS NULL AND source IN "
                "(SELECT DISTINCT source FROM datasets_monthlycount WHERE partnership_id = %s) "
                "GROUP BY source",
                [partnership_id, partnership_id],
            )
            rows += list(cursor.fetchall())
    ends: dict[str, int] = {}
    for src, month in rows:
        if month:
            ends[src] = max(ends.get(src, 0), month_int(_as_date(month)))
    return ends


def _zero_template(covered: list[int], end: int) -> tuple[int, list[int | None]]:
    """(first covered month, values from it to ``end``: 0 where covered, None elsewhere)."""
    if not covered:
        return end + 1, []
    first = covered[0]
    template: list[int | None] = [None] * (end - first + 1)
    for month in covered:
        if month <= end:
            template[month - first] = 0
    return first, template


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
    charts = _chart_choices(partnership_id)
    read = _read_counts_copy if connection.vendor == "postgresql" else _read_counts_sql
    result = []
    for src, end in ends.items():
        zeros = _zero_template(covered_months(partnership_id, src), end)
        for area_id, category_id, first, values in read(
            partnership_id, src, end, area_ids, category_ids, zeros
        ):
            if pairs is not None and (src, area_id, category_id) not in pairs:
                continue
            result.append((src, end, area_id, category_id, first, values))
    return [
        _count_input(partnership_id, row, areas, categories, populations, rebases, charts)
        for row in result
    ]


def _count_input(
    partnership_id, row, areas, categories, populations, rebases, charts
) -> SeriesInput:
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
        populations=tuple(sorted(populations.get(area_id, []))),
        rebase_months=rebases.get(key, ()), chart=charts.get(key, "xmr"),
    )


SeriesRows = Iterable[tuple[int, int, int, list[int | None]]]


def _series_values(
    months: list[int], counts: list[int], end: int, zeros: tuple[int, list[int | None]]
) -> tuple[int, list[int | None]]:
    """(first month, values up to ``end``) of one series from its count rows (ascending
    months): zero in covered months without a row, None (a gap) elsewhere."""
    covered_first, template = zeros
    first = min(months[0], covered_first)
    length = end - first + 1
    if len(months) == length:  # complete: no gaps and no zeros to fill
        return first, list(counts)
    if first == covered_first:
        values = template[: length]
    else:  # counts before the first covered month (written without an upload)
        values = [None] * (covered_first - first) + template[: max(0, end - covered_first + 1)]
        values += [None] * (length - len(values))
    for month, count in zip(months, counts, strict=True):
        values[month - first] = count
    return first, values


def _read_counts_sql(
    partnership_id: int, source: str, end: int, area_ids, category_ids, zeros
) -> SeriesRows:
    """(area, category, first month, values up to ``end``): portable SQL."""
    params: list = [partnership_id, source]
    sql = (
        "SELECT area_id, category_id, month, count FROM datasets_monthlycount "
        "WHERE partnership_id = %s AND source = %s"
    )
    sql += sql_in("area_id", area_ids, params)
    sql += sql_in("category_id", category_ids, params)
    sql += " ORDER BY area_id, category_id, month"
    grouped: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for area_id, category_id, month, count in cursor.fetchall():
            months, counts = grouped.setdefault((area_id, category_id), ([], []))
            months.append(month_int(_as_date(month)))
            counts.append(count)
    for (area_id, category_id), (months, counts) in grouped.items():
        first, values = _series_values(months, counts, end, zeros)
        yield area_id, category_id, first, values


def _read_counts_copy(
    partnership_id: int, source: str, end: int, area_ids, category_ids, zeros
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
        first, values = _series_values(
            months_all[s:e].tolist(), counts_all[s:e].tolist(), end, zeros
        )
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
    charts = _chart_choices(partnership_id)
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
                label=series.name, improvement=series.improvement, step_months=step,
                indicator_id=series_id, first=first, values=values,
                rebase_months=rebases.get(key, ()), chart=charts.get(key, "xmr"),
                target=None if series.spc_target is None else float(series.spc_target),
            )
        )
    return result
