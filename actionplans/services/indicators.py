from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans import periods
from actionplans.models import ActionPlan, Indicator, IndicatorSource, Target
from actionplans.services.conflicts import IndicatorConflict, version_claim
from datasets import tasks as dataset_tasks
from datasets.models import IndicatorSeries, IndicatorValue

INDICATOR_FIELDS = ("outcome", "name", "definition", "unit", "kind", "source", "series",
                    "category", "area", "crime_source", "frequency", "direction",
                    "baseline_value", "baseline_period")


@dataclass
class ValueSave:
    """One save of a value: who, when, what and their note."""

    who: str
    when: dt.datetime
    value: Decimal
    note: str


class ValueConflict(Exception):
    """The value for this period was entered or changed by someone else meanwhile.
    ``saves``: every save since the one the editor saw, oldest first."""

    def __init__(self, current: IndicatorValue, saves: list[ValueSave]):
        self.current = current
        self.saves = saves
        latest = saves[-1]
        super().__init__(f"{latest.who} saved {latest.value.normalize():f} for "
                         f"{current.label} at {timezone.localtime(latest.when):%d %b %Y %H:%M}.")


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else "someone else"


def _saves_since(row: IndicatorValue, seen: dt.datetime | None) -> list[ValueSave]:
    records = row.history.exclude(history_type="-").select_related("history_user")
    if seen is not None:
        records = records.filter(updated_at__gt=seen)
    saves = [ValueSave(_name(r.history_user or r.entered_by), r.updated_at, r.value, r.note)
             for r in records.order_by("history_id")]
    # An upload may write values without history: the row itself is then the change.
    return saves or [ValueSave(_name(row.entered_by), row.updated_at, row.value, row.note)]


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
    """Edit the definition (not the source); version-checked like actions: raise
    :class:`IndicatorConflict` (nothing written) when someone else saved in between."""
    for name in ("outcome", "name", "definition", "unit", "kind", "direction",
                 "baseline_value", "baseline_period"):
        if name in data:
            setattr(indicator, name, data[name])
    indicator.full_clean()
    version_claim(indicator, expected_version, IndicatorConflict)
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
        raise ValueConflict(row, _saves_since(row, expected_updated_at))
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
