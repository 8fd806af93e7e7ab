from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actionplans import periods
from actionplans.models import ActionPlan, Indicator, IndicatorSource, Target
from datasets import tasks as dataset_tasks
from datasets.models import IndicatorSeries, IndicatorValue

INDICATOR_FIELDS = ("outcome", "name", "definition", "unit", "kind", "source", "series",
                    "category", "area", "crime_source", "frequency", "direction",
                    "baseline_value", "baseline_period")


class ValueConflict(Exception):
    """The value for this period was entered or changed by someone else meanwhile."""

    def __init__(self, current: IndicatorValue):
        self.current = current
        user = current.entered_by
        self.who = (user.get_full_name() or user.username) if user else "someone else"
        super().__init__(f"{self.who} saved {current.value.normalize():f} for {current.label} "
                         f"at {timezone.localtime(current.updated_at):%d %b %Y %H:%M}.")


def _manual_series(plan: ActionPlan, name: str, unit: str, frequency: str) -> IndicatorSeries:
    partnership = plan.priority.partnership
    if IndicatorSeries.objects.filter(partnership=partnership, name=name).exists():
        raise ValidationError({"name": "A data series with this name already exists; choose "
                               "“Uploaded indicator series” to use it, or rename."})
    return IndicatorSeries.objects.create(
        partnership=partnership, name=name, unit=unit, period_kind=frequency,
        description=f"Entered by hand for the action plan of {plan.priority}.",
    )


@transaction.atomic
def indicator_create(*, plan: ActionPlan, data: dict[str, Any], targets: list[dict],
                     actor) -> Indicator:
    """Add an indicator; for manual entry, create the data series it owns."""
    indicator = Indicator(plan=plan, order=plan.indicators.count() + 1,
                          **{k: v for k, v in data.items() if k in INDICATOR_FIELDS})
    if indicator.source == IndicatorSource.MANUAL:
        indicator.series = _manual_series(plan, indicator.name, indicator.unit,
                                          indicator.frequency)
    if indicator.source != IndicatorSource.CRIME:
        indicator.category = indicator.area = None
        indicator.crime_source = ""
    indicator.full_clean()
    indicator._history_user = actor
    indicator.save()
    for target in targets:
        target_set(indicator=indicator, actor=actor, **target)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, expected_version: int, data: dict[str, Any],
                     actor) -> Indicator:
    """Edit the definition (not the source); version-checked like actions."""
    for name in ("outcome", "name", "definition", "unit", "kind", "direction",
                 "baseline_value", "baseline_period"):
        if name in data:
            setattr(indicator, name, data[name])
    indicator.full_clean()
    rows = Indicator.objects.filter(pk=indicator.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if rows == 0:
        raise ValidationError("Someone else changed this indicator after you opened it; "
                              "reload the page to see their change.")
    indicator.version = expected_version + 1
    indicator._history_user = actor
    indicator.save()
    return indicator


@transaction.atomic
def target_set(*, indicator: Indicator, comparator: str, value: Decimal | None,
               period_start: dt.date | None = None, actor) -> Target:
    """Set the target for one period (or the standing target when no period)."""
    if period_start is not None:
        period_start = periods.containing(indicator.frequency, period_start).start
    target = Target.objects.filter(indicator=indicator, period_start=period_start).first()
    target = target or Target(indicator=indicator, period_start=period_start)
    target.comparator, target.value = comparator, value
    target.full_clean()
    target._history_user = actor
    target.save()
    return target


@transaction.atomic
def indicator_value_save(*, indicator: Indicator, period_start: dt.date, value: Decimal,
                         note: str, actor,
                         expected_updated_at: dt.datetime | None = None) -> IndicatorValue:
    """Enter or correct the value of a manual indicator for one period.

    ``expected_updated_at`` is what the editor saw (None: they saw a gap); when the
    stored row differs, :class:`ValueConflict` is raised and nothing is written.
    The series' trend results are recalculated after commit.
    """
    if indicator.source != IndicatorSource.MANUAL:
        raise ValidationError("Values of this indicator come from uploaded data, "
                              "not from manual entry.")
    series = indicator.series
    period = periods.containing(series.period_kind, period_start)
    if period.start > timezone.localdate():
        raise ValidationError({"period_start": "That period has not started yet."})
    row = IndicatorValue.objects.select_for_update().filter(
        series=series, period_start=period.start
    ).first()
    if row is not None and row.updated_at != expected_updated_at:
        raise ValueConflict(row)
    if row is None and expected_updated_at is not None:
        raise ValidationError("The value you were editing has been removed; enter it again.")
    row = row or IndicatorValue(series=series, period_start=period.start)
    row.period_end, row.label = period.end, period.label
    row.value, row.note, row.entered_by = value, note.strip(), actor
    row.full_clean()
    row._history_user = actor
    row.save()
    transaction.on_commit(lambda: dataset_tasks.recalculate_indicator_series.delay(series.id))
    return row
