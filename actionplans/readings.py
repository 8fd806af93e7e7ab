"""The values of an indicator, read from the datasets store, and their summary
(latest value, target, met / not met, trend). Reads only: the values of any number
of indicators in two queries (:func:`load_values`); no statistics on the request path.

Monthly values summed into a yearly or quarterly frequency keep their coverage
("11 of 12 months"): a partial period shows its sum but is never judged against
the target.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q
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


RawValues = tuple[str, list[tuple[dt.date, Decimal, IndicatorValue | None]]]


def load_values(indicators: Iterable[Indicator]) -> dict[int, RawValues]:
    """The stored values of many indicators in at most two queries: one for every
    indicator series, one for every crime series. Indicator pk → (period kind of the
    stored values, [(period start, value, row or None)] oldest first).

    ``indicator.series`` must be loaded with the indicator (``select_related``)."""
    indicators = list(indicators)
    crime = [i for i in indicators if i.source == IndicatorSource.CRIME]
    counts = _crime_counts({(i.area_id, i.category_id, i.crime_source) for i in crime})
    values = _series_values({i.series_id for i in indicators
                             if i.source != IndicatorSource.CRIME and i.series_id})
    out: dict[int, RawValues] = {}
    for indicator in indicators:
        if indicator.source == IndicatorSource.CRIME:
            key = (indicator.area_id, indicator.category_id, indicator.crime_source)
            out[indicator.pk] = (periods.MONTH, counts.get(key, []))
        elif indicator.series_id is None:
            out[indicator.pk] = (indicator.frequency, [])
        else:
            out[indicator.pk] = (indicator.series.period_kind,
                                 values.get(indicator.series_id, []))
    return out


def _series_values(series_ids: set[int]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    if series_ids:
        rows = IndicatorValue.objects.filter(series_id__in=series_ids).select_related(
            "entered_by").order_by("period_start")
        for row in rows:
            found[row.series_id].append((row.period_start, row.value, row))
    return found


def _crime_counts(keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], list]:
    """(area, category, source) → monthly counts, for every key in one query."""
    found: dict[tuple, list] = defaultdict(list)
    if keys:
        wanted = reduce(or_, (Q(area_id=a, category_id=c, source=s) for a, c, s in keys))
        rows = MonthlyCount.objects.filter(wanted).order_by("month").values_list(
            "area_id", "category_id", "source", "month", "count")
        for area_id, category_id, source, month, count in rows:
            found[(area_id, category_id, source)].append((month, Decimal(count), None))
    return found


def _raw(indicator: Indicator, raw: RawValues | None) -> RawValues:
    return raw if raw is not None else load_values([indicator])[indicator.pk]


def readings(indicator: Indicator, raw: RawValues | None = None) -> list[Reading]:
    """One reading per period from the first stored value to the last, oldest first;
    periods without a value are gaps (value None), never zeros. ``raw``: the
    indicator's entry of :func:`load_values` (read here when not given)."""
    stored_kind, raw = _raw(indicator, raw)
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


def summarise(indicator: Indicator, raw: RawValues | None = None) -> Summary:
    """Latest complete value, the value of the period before it, target and trend."""
    all_readings = readings(indicator, raw)
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


def summarise_all(indicators: Iterable[Indicator]) -> dict[int, Summary]:
    """:func:`summarise` for many indicators, reading their values in two queries
    (targets must be prefetched)."""
    indicators = list(indicators)
    raw = load_values(indicators)
    return {i.pk: summarise(i, raw[i.pk]) for i in indicators}


def missing_last_period(
    indicator: Indicator, today: dt.date | None = None, raw: RawValues | None = None
) -> periods.Period | None:
    """The period just closed, if this indicator has no complete value for it."""
    today = today or timezone.localdate()
    closed = periods.last_closed(indicator.frequency, today)
    for reading in readings(indicator, raw):
        if reading.period.start == closed.start and reading.complete:
            return None
    return closed
