"""Setting a priority's status for a plan year."""

from __future__ import annotations

from django.db import transaction

from priorities.models import Priority, PriorityStatus


@transaction.atomic
def priority_set_status(
    *, priority: Priority, year: int, status: str, commentary: str, actor
) -> PriorityStatus:
    """Set (or change) a priority's status for a plan year; one row per year."""
    record = PriorityStatus.objects.filter(priority=priority, year=year).first() or PriorityStatus(
        priority=priority, year=year
    )
    record.status = status
    record.commentary = commentary
    record.set_by = actor
    record._history_user = actor
    record.full_clean()
    record.save()
    return record
