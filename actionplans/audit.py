"""Readable change history from django-simple-history records (who, when, before → after).

One save is one entry: django-simple-history writes one record for the save and one
more for each many-to-many change that follows it (an action's outcomes), so records
of one object with the same version by the same user a moment apart are merged. A
created record lists its values; a change lists each field before → after, outcome
links by their names.

Reads in a fixed number of queries however many records there are: the records
before the ones shown, the many-to-many rows and the names of related records are
all fetched in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Model, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from simple_history.utils import get_m2m_reverse_field_name

# Bookkeeping, not something a reader changed.
HIDDEN_FIELDS = {"id", "version", "updated_at", "updated_by", "last_activity_at",
                 "latest_update", "order", "carried_from", "created_at"}
# The parent record, already named by the entry's label.
CONTEXT_FIELDS = {"plan", "priority", "action", "indicator", "series", "period_start",
                  "period_end", "label", "entered_by", "author"}
SAME_SAVE = dt.timedelta(seconds=5)
# Records older than the ones shown that are read per object: enough for the record
# a change is compared with, behind a save's many-to-many records.
OLDER_PER_OBJECT = 4

Label = Callable[[Any], str]


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


@dataclass
class _Group:
    """The records of one save (oldest first) and the record before them."""

    records: list
    base: Any
    label: str

    @property
    def last(self):
        return self.records[-1]


def _same_save(earlier, later) -> bool:
    return (later.history_type == "~" and earlier.history_type != "-"
            and hasattr(later, "version") and later.version == earlier.version
            and later.history_user_id == earlier.history_user_id
            and later.history_date - earlier.history_date <= SAME_SAVE)


def _groups(records: Iterable, label: Label) -> list[_Group]:
    """Records of one object, oldest first, as saves."""
    groups: list[_Group] = []
    for record in records:
        if groups and _same_save(groups[-1].last, record):
            groups[-1].records.append(record)
        else:
            groups.append(_Group([record], groups[-1].last if groups else None, ""))
    for group in groups:
        group.label = label(group.last)
    return groups


def _fields(record) -> list:
    return [f for f in record.tracked_fields
            if f.name not in HIDDEN_FIELDS and f.name not in CONTEXT_FIELDS]


def _m2m_fields(record) -> list:
    return [f for f in getattr(record, "_history_m2m_fields", [])
            if f.name not in HIDDEN_FIELDS]


def _m2m_values(records: list) -> dict[tuple[int, str], frozenset]:
    """(history id, field name) → ids linked in that record, one query per field."""
    out: dict[tuple[int, str], frozenset] = {}
    by_model: dict[type, list] = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    for model, group in by_model.items():
        for m2m in _m2m_fields(group[0]):
            target = get_m2m_reverse_field_name(m2m)
            linked: dict[int, set] = defaultdict(set)
            rows = getattr(model, m2m.name).model.objects.filter(
                history_id__in=[r.history_id for r in group]
            ).values_list("history_id", target)
            for history_id, target_id in rows:
                linked[history_id].add(target_id)
            for record in group:
                out[(record.history_id, m2m.name)] = frozenset(linked[record.history_id])
    return out


class _Names:
    """Display names of related records, fetched in one query per related model."""

    def __init__(self) -> None:
        self.wanted: dict[type[Model], set] = defaultdict(set)
        self.found: dict[tuple[type[Model], Any], str] = {}

    def want(self, model_field, value) -> None:
        if value is None or value == "":
            return
        model = model_field.related_model
        self.wanted[model].update(value if isinstance(value, frozenset) else [value])

    def fetch(self) -> None:
        user_model = get_user_model()
        for model, pks in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=pks):
                if model is user_model:
                    name = obj.get_full_name() or obj.get_username()
                else:
                    name = str(obj)
                self.found[(model, obj.pk)] = name if len(name) <= 80 else name[:79] + "…"

    def name(self, model, pk) -> str:
        return self.found.get((model, pk), f"#{pk} (deleted)")


def _display(model_field, value, names: _Names) -> str:
    if value is None or value == "" or value == frozenset():
        return "—"
    if isinstance(value, frozenset):
        model = model_field.related_model
        return "; ".join(sorted(names.name(model, pk) for pk in value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.name(model_field.related_model, value)
    if isinstance(value, dt.date):
        return f"{value:%d %b %Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return str(value)


def _raw_changes(group: _Group, m2m: dict) -> list[tuple[Any, Any, Any]]:
    """(model field, old, new) of a save; old is None for every field of a created record."""
    last = group.last
    values = [(f, getattr(last, f.attname)) for f in _fields(last)]
    values += [(f, m2m[(last.history_id, f.name)]) for f in _m2m_fields(last)]
    if group.records[0].history_type == "+":
        return [(f, None, v) for f, v in values if v not in (None, "", frozenset())]
    if group.base is None:
        return []
    old = {f.name: getattr(group.base, f.attname) for f in _fields(group.base)}
    old.update({f.name: m2m[(group.base.history_id, f.name)] for f in _m2m_fields(group.base)})
    return [(f, old.get(f.name), v) for f, v in values if old.get(f.name) != v]


def _entries(groups: list[_Group], keep_empty: bool = False) -> list[Entry]:
    """Entries of these saves (same order); changes that show nothing are left out
    unless ``keep_empty``."""
    m2m = _m2m_values([r for g in groups for r in (g.last, g.base) if r is not None])
    names = _Names()
    raw = [_raw_changes(group, m2m) for group in groups]
    for changes in raw:
        for model_field, old, new in changes:
            if model_field.is_relation:
                names.want(model_field, old)
                names.want(model_field, new)
    names.fetch()
    out = []
    for group, changes in zip(groups, raw, strict=True):
        kind = {"+": "created", "~": "changed", "-": "deleted"}[group.records[0].history_type]
        if kind == "changed" and not changes and not keep_empty:
            continue
        user = group.last.history_user
        who = (user.get_full_name() or user.username) if user else "the system"
        entry = Entry(group.last.history_date, who, group.label, kind)
        for model_field, old, new in changes:
            name = str(model_field.verbose_name)
            entry.changes.append(Change(
                name, "" if kind == "created" else _display(model_field, old, names),
                _display(model_field, new, names)))
        out.append(entry)
    return out


def _with_older(heads: list, model) -> dict[Any, list]:
    """Object id → its records, oldest first: ``heads`` and up to
    OLDER_PER_OBJECT records before the oldest head of each object."""
    oldest: dict[Any, int] = {}
    for record in heads:
        oldest[record.id] = min(oldest.get(record.id, record.history_id), record.history_id)
    before = reduce(or_, (Q(id=pk, history_id__lt=hid) for pk, hid in oldest.items()))
    older = model.objects.filter(before).select_related("history_user").annotate(
        newest_first=Window(RowNumber(), partition_by=[F("id")],
                            order_by=F("history_id").desc())
    ).filter(newest_first__lte=OLDER_PER_OBJECT)
    by_object: dict[Any, list] = defaultdict(list)
    for record in [*older, *heads]:
        by_object[record.id].append(record)
    for records in by_object.values():
        records.sort(key=lambda r: r.history_id)
    return by_object


def history_of(queryset: QuerySet, label: Label, limit: int = 50) -> list[Entry]:
    """The newest ``limit`` saves among the records of ``queryset``, newest first."""
    heads = list(queryset.select_related("history_user")
                 .order_by("-history_date", "-history_id")[:limit])
    if not heads:
        return []
    shown = {r.history_id for r in heads}
    groups = [group for records in _with_older(heads, queryset.model).values()
              for group in _groups(records, label)
              if any(r.history_id in shown for r in group.records)]
    return sorted(_entries(groups), key=lambda e: e.when, reverse=True)


def changes_since(obj, version: int, label: Label) -> list[Entry]:
    """The saves of a versioned record after ``version`` (the one an editor saw),
    oldest first: who, when, each field before → after."""
    records = list(obj.history.filter(version__gte=version).select_related("history_user")
                   .order_by("history_id"))
    groups = [g for g in _groups(records, label) if g.last.version > version]
    return _entries(groups, keep_empty=True)


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

    action_ids = set(Action.history.filter(plan_id=plan.pk).values_list("id", flat=True))
    names: dict[int, str] = {}
    series: dict[int, str] = {}
    for pk, series_id, name in Indicator.history.filter(plan_id=plan.pk).order_by(
            "history_id").values_list("id", "series_id", "name"):
        names[pk] = name
        if series_id:
            series[series_id] = name
    sources = [
        (ActionPlan.history.filter(id=plan.pk), lambda r: "Plan"),
        (Outcome.history.filter(plan_id=plan.pk), lambda r: f"Outcome “{r.text[:60]}”"),
        (Action.history.filter(plan_id=plan.pk),
         lambda r: f"Action “{r.description[:60]}”"),
        (ProgressUpdate.history.filter(action_id__in=action_ids),
         lambda r: f"Progress note {r.date:%d %b %Y}: “{r.note[:60]}”"),
        (Indicator.history.filter(plan_id=plan.pk), lambda r: f"Indicator “{r.name[:60]}”"),
        (Target.history.filter(indicator_id__in=names),
         lambda r: f"Target of “{names[r.indicator_id][:60]}”"),
        (IndicatorValue.history.filter(series_id__in=series, entered_by__isnull=False),
         lambda r: f"Value of “{series[r.series_id][:60]}” for {r.label}"),
    ]
    entries = [entry for queryset, label in sources
               for entry in history_of(queryset, label, limit)]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
