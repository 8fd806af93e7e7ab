"""Readable change history from django-simple-history records (who, when, before → after)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HIDDEN_FIELDS = {"version", "updated_at", "updated_by", "last_activity_at", "latest_update",
                 "order", "carried_from"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: Any
    who: str
    what: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _display(model_field, value, cache: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):  # many-to-many: list of through rows
        return f"{len(value)} linked"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field is not None and model_field.is_relation and model_field.related_model:
        key = (model_field.related_model, value)
        if key not in cache:
            obj = model_field.related_model._default_manager.filter(pk=value).first()
            cache[key] = str(obj) if obj else f"#{value}"
        return cache[key]
    return str(value)


def entry_for(record, label: str, cache: dict | None = None) -> Entry:
    """One history record as an Entry, with field changes against the previous record."""
    cache = {} if cache is None else cache
    user = record.history_user
    who = (user.get_full_name() or user.username) if user else "the system"
    kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
    entry = Entry(record.history_date, who, label, kind)
    previous = record.prev_record if record.history_type == "~" else None
    if previous is not None:
        model = record.instance_type
        delta = record.diff_against(previous)
        for change in delta.changes:
            if change.field in HIDDEN_FIELDS:
                continue
            try:
                model_field = model._meta.get_field(change.field)
                name = str(model_field.verbose_name)
            except Exception:  # noqa: BLE001 - a field removed since
                model_field, name = None, change.field
            entry.changes.append(Change(name, _display(model_field, change.old, cache),
                                        _display(model_field, change.new, cache)))
    return entry


def plan_history(plan, limit: int = 50) -> list[Entry]:
    """The plan's audit trail across its records, newest first (deleted rows too)."""
    from actionplans.models import (
        Action,
        ActionPlan,
        Indicator,
        Outcome,
        ProgressUpdate,
        Target,
    )
    from datasets.models import IndicatorValue

    action_ids = list(Action.history.filter(plan_id=plan.pk).values_list("id", flat=True))
    indicators = list(Indicator.history.filter(plan_id=plan.pk).values_list("id", "series_id"))
    sources = [
        (ActionPlan.history.filter(id=plan.pk), lambda r: "Plan"),
        (Outcome.history.filter(plan_id=plan.pk), lambda r: f"Outcome “{r.text[:60]}”"),
        (Action.history.filter(plan_id=plan.pk),
         lambda r: f"Action “{r.description[:60]}”"),
        (ProgressUpdate.history.filter(action_id__in=action_ids),
         lambda r: f"Progress note {r.date:%d %b %Y}: “{r.note[:60]}”"),
        (Indicator.history.filter(plan_id=plan.pk), lambda r: f"Indicator “{r.name[:60]}”"),
        (Target.history.filter(indicator_id__in=[i for i, _ in indicators]),
         lambda r: "Target"),
        (IndicatorValue.history.filter(
            series_id__in=[s for _, s in indicators if s], entered_by__isnull=False),
         lambda r: f"Value for {r.label}: {r.value.normalize():f}"),
    ]
    records = []
    for queryset, label in sources:
        for record in queryset.select_related("history_user").order_by("-history_date")[:limit]:
            records.append((record, label))
    records.sort(key=lambda pair: pair[0].history_date, reverse=True)
    cache: dict = {}
    return [entry_for(record, label(record), cache) for record, label in records[:limit]]
