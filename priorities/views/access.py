"""Fetching what a view shows through the permission rules (smp/permissions.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from priorities.models import Priority, Subgroup
from smp import permissions as perms
from smp.models import Partnership


def priority_for(user, partnership: Partnership, pk: int) -> Priority:
    """A priority the user may read (committee members: published plans only), else 404."""
    queryset = Priority.objects.visible_to(user, partnership).with_people().with_lineage()
    return get_object_or_404(queryset, pk=pk)


def priority_to_change(user, slug: str, pk: int, roles=perms.WRITE_PRIORITIES):
    """(partnership, priority) for a change only ``roles`` may make: 404 for those who
    may not read it, 403 for members without the role."""
    partnership = perms.partnership_for(user, slug)
    priority = priority_for(user, partnership, pk)
    perms.require(user, partnership, roles)
    return partnership, priority


def subgroup_for(user, slug: str, pk: int, roles=None) -> tuple[Partnership, Subgroup]:
    """(partnership, subgroup): 404 outside the partnership, 403 without ``roles``."""
    partnership = perms.partnership_for(user, slug)
    subgroup = get_object_or_404(Subgroup, pk=pk, partnership=partnership)
    if roles is not None:
        perms.require(user, partnership, roles)
    return partnership, subgroup
