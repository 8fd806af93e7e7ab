"""Factories and helpers for trend tests: areas, categories, monthly counts, indicators.

The import path is built elsewhere, so these tests write MonthlyCount and
IndicatorValue rows directly.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

from datasets.models import (
    Area,
    Category,
    IndicatorSeries,
    IndicatorValue,
    MonthlyCount,
    Source,
)
from datasets.models.trends import add_months
from smp.demo import demo_dir
from tests.datasets.factories import (  # noqa: F401 - re-exported for the trends tests
    AreaFactory,
    CategoryFactory,
    IndicatorSeriesFactory,
    PopulationFactory,
)


def add_counts(
    *,
    area: Area,
    category: Category,
    start: dt.date,
    values: list[int | None],
    source: str = Source.POLICE_UK,
) -> list[MonthlyCount]:
    """One MonthlyCount per non-None value from ``start`` (None = no row = a gap)."""
    rows = [
        MonthlyCount(
            partnership_id=area.partnership_id, source=source, area=area, category=category,
            month=add_months(start, i), count=value,
        )
        for i, value in enumerate(values)
        if value is not None
    ]
    return MonthlyCount.objects.bulk_create(rows)


def add_indicator_values(series: IndicatorSeries, start: dt.date, values: list) -> None:
    step = {"month": 1, "quarter": 3}.get(series.period_kind, 12)
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                series=series, period_start=add_months(start, i * step),
                period_end=add_months(start, (i + 1) * step) - dt.timedelta(days=1),
                label=f"{add_months(start, i * step):%Y-%m}", value=Decimal(str(value)),
            )
            for i, value in enumerate(values)
            if value is not None
        ]
    )


def needle_finds() -> tuple[dt.date, list[int | None]]:
    """The real needle finds per month (demo CSV), with its 2021-04 gap as None."""
    with open(demo_dir() / "needle_finds_monthly.csv", newline="") as handle:
        rows = [
            (dt.date.fromisoformat(r["month"] + "-01"), r["needle_finds"])
            for r in csv.DictReader(handle)
        ]
    start = rows[0][0]
    by_month = {m: int(v) for m, v in rows if v not in ("", None)}
    end = rows[-1][0]
    n = (end.year - start.year) * 12 + end.month - start.month + 1
    return start, [by_month.get(add_months(start, i)) for i in range(n)]
