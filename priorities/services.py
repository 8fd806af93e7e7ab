"""Multi-step changes to priorities. Audit history is written by simple-history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from priorities.models import PlanPeriod, Priority, PriorityLead, PriorityLink, PriorityStatus
from smp.models import Agency, Membership, Role


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
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def priority_lead_add(*, priority: Priority, user, agency: Agency) -> PriorityLead:
    """Make ``user`` a lead of ``priority`` and give them the lead role if they lack it."""
    if not Membership.objects.filter(user=user, partnership=priority.partnership).exists():
        raise ValidationError("Only members of the partnership can lead its priorities.")
    lead = PriorityLead(priority=priority, user=user, agency=agency)
    lead.full_clean()
    lead.save()
    Membership.objects.get_or_create(
        user=user, partnership=priority.partnership, role=Role.LEAD, defaults={"agency": agency}
    )
    return lead


@transaction.atomic
def priority_carry_forward(
    *, priority: Priority, plan: PlanPeriod, kind: str, title: str | None = None, note: str = ""
) -> Priority:
    """Start ``priority`` again in ``plan`` (continued, or demoted to a theme), keeping
    its leads and recording the lineage link so the history stays visible."""
    if plan.partnership_id != priority.partnership_id:
        raise ValidationError("The plan belongs to another partnership.")
    new_kind = Priority.Kind.THEME if kind == PriorityLink.Kind.DEMOTED else priority.kind
    successor = Priority(
        partnership=priority.partnership,
        plan=plan,
        title=title or priority.title,
        aim=priority.aim,
        kind=new_kind,
        order=priority.order,
        subgroup=priority.subgroup,
    )
    successor.full_clean()
    successor.save()
    # With history, so the audit trail shows how the successor got its leads.
    bulk_create_with_history(
        [
            PriorityLead(priority=successor, user_id=lead.user_id, agency_id=lead.agency_id)
            for lead in priority.leads.all()
        ],
        PriorityLead,
    )
    link = PriorityLink(source=priority, target=successor, kind=kind, note=note)
    link.full_clean()
    link.save()
    return successor
