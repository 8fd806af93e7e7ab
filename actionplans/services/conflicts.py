"""Optimistic locking of actions and indicators.

Every edit is ``UPDATE … SET version = version + 1 WHERE version = <the version the
editor saw>``; when no row matches, someone saved in between and the editor gets a
conflict naming every change saved since their version (who, when, each field
before → after), read from the audit history. Only edits bump the version, and each
bump writes a history record, so the history always explains a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import F, Model

from actionplans.audit import Entry, changes_since


@dataclass
class EditConflict(Exception):
    """``current``: the record as saved now; ``changes``: the saves since the
    editor's version, oldest first."""

    current: Any
    changes: list[Entry]
    noun: ClassVar[str] = "record"

    def __str__(self) -> str:
        people = sorted({entry.who for entry in self.changes}) or ["someone else"]
        return f"This {self.noun} was changed by {', '.join(people)} after you opened it."


class ActionConflict(EditConflict):
    noun = "action"


class IndicatorConflict(EditConflict):
    noun = "indicator"


def version_claim(obj: Model, expected_version: int, conflict: type[EditConflict],
                  **also: Any) -> None:
    """Bump ``obj``'s version if it is still ``expected_version`` (setting ``also``
    in the same UPDATE); else raise ``conflict`` and write nothing."""
    model = type(obj)
    rows = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **also
    )
    if rows == 0:
        current = model._default_manager.get(pk=obj.pk)
        noun = conflict.noun.capitalize()
        raise conflict(current, changes_since(current, expected_version, lambda r: noun))
    obj.version = expected_version + 1
    for name, value in also.items():
        setattr(obj, name, value)
