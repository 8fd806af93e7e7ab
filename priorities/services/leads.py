"""Adding and removing a priority's leads, and the lead role that goes with leading."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from priorities.models import Priority, PriorityLead
from smp.models import Agency, Membership, Role


@transaction.atomic
def priority_lead_add(*, priority: Priority, user, agency: Agency, actor=None) -> PriorityLead:
    """Make ``user`` a lead of ``priority`` and give them the lead role if they lack it."""
    if not Membership.objects.filter(user=user, partnership=priority.partnership).exists():
        raise ValidationError("Only members of the partnership can lead its priorities.")
    lead = PriorityLead(priority=priority, user=user, agency=agency)
    lead._history_user = actor
    lead.full_clean()
    lead.save()
    if not Membership.objects.filter(
        user=user, partnership=priority.partnership, role=Role.LEAD
    ).exists():
        membership = Membership(
            user=user, partnership=priority.partnership, role=Role.LEAD, agency=agency
        )
        membership._history_user = actor
        membership.save()
    return lead


@transaction.atomic
def priority_lead_remove(*, lead: PriorityLead, actor=None) -> str:
    """Remove ``lead`` from their priority. When they lead no other priority of the
    partnership their lead role goes too; if it was their only role they stay a
    partner member (read only), so they are not shut out of the partnership.

    Returns what happened to the role: "kept", "removed" or "now_partner".
    """
    user, partnership = lead.user, lead.priority.partnership
    lead._history_user = actor
    lead.delete()
    if PriorityLead.objects.filter(user=user, priority__partnership=partnership).exists():
        return "kept"
    role = Membership.objects.filter(user=user, partnership=partnership, role=Role.LEAD).first()
    if role is None:
        return "kept"
    role._history_user = actor
    if Membership.objects.filter(user=user, partnership=partnership).count() > 1:
        role.delete()
        return "removed"
    role.role = Role.PARTNER
    role.save()
    return "now_partner"
