"""Readable audit history of reference data (django-simple-history): who, when,
created / changed / deleted, and each field's value before → after.

Built for a page of history rows at once: every version of the objects on the page
is read in one query (to find each row's previous version) and related names in
one query per related model, so the page's query count does not grow with its rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class HistoryRow:
    when: dt.datetime
    who: str
    action: str
    record: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # field, before, after


def _related_names(model, fields: Sequence[str], versions) -> dict[str, dict]:
    """For each foreign key shown: id → name of the related object (current rows,
    else the latest historical version, so a deleted parent still has a name)."""
    names: dict[str, dict] = {}
    for name in fields:
        model_field = model._meta.get_field(name)
        if not model_field.is_relation:
            continue
        ids = {getattr(v, model_field.attname) for vs in versions for v in vs} - {None}
        related = model_field.related_model
        found = {obj.pk: str(obj) for obj in related.objects.filter(pk__in=ids)}
        missing = ids - set(found)
        if missing and hasattr(related, "history"):
            for old in related.history.filter(id__in=missing).order_by("history_date"):
                found[old.id] = f"{getattr(old, 'name', old.id)} (deleted)"
        names[name] = found
    return names


def _shown(model, name: str, version, names: dict[str, dict]) -> str:
    model_field = model._meta.get_field(name)
    value = getattr(version, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names[name].get(value, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def history_rows(model: type[models.Model], records: Sequence, fields: Sequence[str],
                 label) -> list[HistoryRow]:
    """``records``: historical rows of ``model`` (in the order to show them);
    ``fields``: the fields to compare; ``label(version, names)`` names the record."""
    by_id: dict[int, list] = defaultdict(list)
    for version in model.history.filter(id__in={r.id for r in records}).select_related(
            "history_user").order_by("history_date", "history_id"):
        by_id[version.id].append(version)
    names = _related_names(model, fields, by_id.values())
    verbose = {name: str(model._meta.get_field(name).verbose_name) for name in fields}
    rows = []
    for record in records:
        versions = by_id[record.id]
        index = next(i for i, v in enumerate(versions) if v.history_id == record.history_id)
        version = versions[index]
        user = version.history_user
        who = (user.get_full_name() or user.username) if user else "an import or the system"
        row = HistoryRow(version.history_date, who, ACTIONS[version.history_type],
                         label(version, names))
        previous = versions[index - 1] if index else None
        for name in fields:
            after = _shown(model, name, version, names)
            before = _shown(model, name, previous, names) if previous is not None else "—"
            if version.history_type == "+" and after != "—":
                row.changes.append((verbose[name], "—", after))
            elif version.history_type == "~" and before != after:
                row.changes.append((verbose[name], before, after))
        rows.append(row)
    return rows
