"""The values of an indicator, read from the datasets store, and their summary
(latest value, target, met / not met, trend). Reads only: one query for the values
of one indicator; no statistics on the request path.

Monthly values summed into a yearly or quarterly frequency keep their coverage
("11 of 12 months"): a partial period shows its sum but is never judged against
the target.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from actionplans import periods, targets
from actionplans.models import Indicator, IndicatorSource, Target
from datasets.models import IndicatorValue, MonthlyCount


@dataclass
class Reading:
    period: periods.Period
    value: Decimal | None
    months: int = 0
    expected: int = 0
    note: str = ""
    entered_by: str = ""
    updated_at: dt.datetime | None = None
    value_id: int | None = None

    @property
    def complete(self) -> bool:
        return self.value is not None and self.months >= self.expected

    @property
    def coverage(self) -> str:
        if self.expected <= 1:
            return ""
        return f"{self.months} of {self.expected} months"


@dataclass
class Summary:
    latest: Reading | None
    previous: Reading | None
    target: Target | None
    result: targets.Result
    trend: targets.Trend
    readings: list[Reading] = field(default_factory=list)

    @property
    def result_label(self) -> str:
        return targets.RESULT_LABELS[self.result]

    @property
    def trend_label(self) -> str:
        return targets.TREND_LABELS[self.trend]


def _raw(indicator: Indicator) -> tuple[str, list[tuple[dt.date, Decimal, IndicatorValue | None]]]:
    """(period kind of the stored values, [(period start, value, row)])."""
    if indicator.source == IndicatorSource.CRIME:
        rows = MonthlyCount.objects.filter(
            area_id=indicator.area_id, category_id=indicator.category_id,
            source=indicator.crime_source,
        ).order_by("month").values_list("month", "count")
        return periods.MONTH, [(month, Decimal(count), None) for month, count in rows]
    if indicator.series_id is None:
        return indicator.frequency, []
    rows = IndicatorValue.objects.filter(series_id=indicator.series_id).select_related(
        "entered_by"
    ).order_by("period_start")
    return indicator.series.period_kind, [(r.period_start, r.value, r) for r in rows]


def readings(indicator: Indicator) -> list[Reading]:
    """One reading per period from the first stored value to the last, oldest first;
    periods without a value are gaps (value None), never zeros."""
    stored_kind, raw = _raw(indicator)
    if not raw:
        return []
    kind = indicator.frequency
    aggregate = stored_kind == periods.MONTH and kind != periods.MONTH
    buckets: OrderedDict[dt.date, Reading] = OrderedDict()
    for start, value, row in raw:
        period = periods.containing(kind if aggregate else stored_kind, start)
        reading = buckets.get(period.start)
        if reading is None:
            expected = periods.months_in(period) if aggregate else 1
            reading = buckets[period.start] = Reading(period, Decimal(0), 0, expected)
        reading.value += value
        reading.months += 1
        if row is not None and not aggregate:
            user = row.entered_by
            reading.note = row.note
            reading.entered_by = (user.get_full_name() or user.username) if user else ""
            reading.updated_at = row.updated_at
            reading.value_id = row.pk
    kind_used = kind if aggregate else stored_kind
    out, cursor = [], periods.containing(kind_used, raw[0][0])
    last = periods.containing(kind_used, raw[-1][0])
    while cursor.start <= last.start:
        expected = periods.months_in(cursor) if aggregate else 1
        out.append(buckets.get(cursor.start) or Reading(cursor, None, 0, expected))
        cursor = periods.containing(kind_used, cursor.end + dt.timedelta(days=1))
    return out


def target_for(indicator: Indicator, period: periods.Period) -> Target | None:
    """The target set for that period, else the standing target (uses prefetched targets)."""
    standing = None
    for target in indicator.targets.all():
        if target.period_start == period.start:
            return target
        if target.period_start is None:
            standing = target
    return standing


def summarise(indicator: Indicator) -> Summary:
    """Latest complete value, the value of the period before it, target and trend."""
    all_readings = readings(indicator)
    complete = [r for r in all_readings if r.complete]
    latest = complete[-1] if complete else None
    previous = None
    if latest is not None:
        index = all_readings.index(latest)
        candidate = all_readings[index - 1] if index > 0 else None
        previous = candidate if candidate is not None and candidate.complete else None
    if latest is not None:
        target = target_for(indicator, latest.period)
    else:
        target = next((t for t in indicator.targets.all() if t.period_start is None), None)
    result = targets.Result.NO_DATA
    if latest is not None and target is not None:
        result = targets.evaluate(
            target.comparator, value=latest.value, target=target.value,
            previous=previous.value if previous else None,
        )
    trend = targets.trend(latest.value if latest else None,
                          previous.value if previous else None, indicator.direction)
    return Summary(latest, previous, target, result, trend, all_readings)


def missing_last_period(
    indicator: Indicator, today: dt.date | None = None
) -> periods.Period | None:
    """The period just closed, if this indicator has no complete value for it."""
    today = today or timezone.localdate()
    closed = periods.last_closed(indicator.frequency, today)
    for reading in readings(indicator):
        if reading.period.start == closed.start and reading.complete:
            return None
    return closed
