"""Fetching action-plan records through the tenancy and role rules.

Reads: any member who can see the priority (committee members: published plans
only); otherwise 404. Writes: ``smp.permissions.can_edit_plan`` (co-chairs,
officers, admins: all plans; a lead: the plans of priorities they lead), else 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from actionplans.models import Action, ActionPlan, Indicator
from smp import permissions as perms
from smp.models import Partnership


def plan_for(user, partnership: Partnership, pk: int) -> ActionPlan:
    plans = ActionPlan.objects.visible_to(user, partnership).select_related(
        "priority__plan", "priority__partnership", "priority__subgroup"
    )
    return get_object_or_404(plans, pk=pk)


def action_for(user, partnership: Partnership, pk: int) -> Action:
    actions = Action.objects.filter(
        plan__in=ActionPlan.objects.visible_to(user, partnership)
    ).select_related("plan__priority__partnership", "lead_agency", "owner")
    return get_object_or_404(actions, pk=pk)


def indicator_for(user, partnership: Partnership, pk: int) -> Indicator:
    indicators = Indicator.objects.filter(
        plan__in=ActionPlan.objects.visible_to(user, partnership)
    ).select_related("plan__priority__partnership", "series", "category", "area", "outcome")
    return get_object_or_404(indicators.prefetch_related("targets"), pk=pk)


def require_edit(user, priority) -> None:
    if not perms.can_edit_plan(user, priority):
        raise PermissionDenied
