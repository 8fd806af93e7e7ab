"""Who may do what. Every view fetches through these helpers.

Rules (per partnership):

* any member may read the partnership home and its priorities, except committee
  members, who read only published plan periods;
* co-chairs and administrators create and edit priorities, subgroups and leads and
  set a priority's yearly status;
* a priority lead edits only the priorities they lead (title, aim, subgroup);
* officers upload data and keep reference data; every member but a committee
  member reads the uploads;
* administrators manage the partnership's memberships, agencies and plan periods;
* partners and committee members never write.

A user outside a partnership gets 404, not 403, so that partnership slugs and
record ids do not leak between tenants.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from smp.models import Partnership, Role

WRITE_PRIORITIES = {Role.CO_CHAIR, Role.ADMIN}
SET_STATUS = {Role.CO_CHAIR, Role.ADMIN}
MANAGE_DATA = {Role.OFFICER, Role.ADMIN}
EDIT_ALL_PLANS = {Role.CO_CHAIR, Role.OFFICER, Role.ADMIN}
MANAGE_PARTNERSHIP = {Role.ADMIN}
# Mirrors datasets.views.uploads.VIEW_UPLOADS (asserted by a test), for the header.
READ_UPLOADS = {Role.CO_CHAIR, Role.LEAD, Role.OFFICER, Role.PARTNER, Role.ADMIN}


def roles_for(user, partnership: Partnership) -> set[str]:
    """The user's roles in the partnership, cached on the user object per request."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_smp_roles", {})
    if partnership.pk not in cache:
        cache[partnership.pk] = set(
            user.memberships.filter(partnership=partnership).values_list("role", flat=True)
        )
    return cache[partnership.pk]


def has_any_role(user, partnership: Partnership, roles: Iterable[str]) -> bool:
    if user.is_superuser:
        return True
    return bool(roles_for(user, partnership) & set(roles))


def is_member(user, partnership: Partnership) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(roles_for(user, partnership)))


def reads_only_published(user, partnership: Partnership) -> bool:
    """Committee members (with no other role) see published plan periods only."""
    if user.is_superuser:
        return False
    return roles_for(user, partnership) == {Role.COMMITTEE}


def partnership_for(user, slug: str) -> Partnership:
    """The partnership the user may read, else 404."""
    partnership = get_object_or_404(Partnership, slug=slug)
    if not is_member(user, partnership):
        raise Http404("No such partnership")
    return partnership


def require(user, partnership: Partnership, roles: Iterable[str]) -> None:
    """Raise 403 unless the user holds one of ``roles`` in the partnership."""
    if not has_any_role(user, partnership, roles):
        raise PermissionDenied


def can_write_priorities(user, partnership: Partnership) -> bool:
    return has_any_role(user, partnership, WRITE_PRIORITIES)


def can_set_status(user, partnership: Partnership) -> bool:
    return has_any_role(user, partnership, SET_STATUS)


def can_manage_data(user, partnership: Partnership) -> bool:
    return has_any_role(user, partnership, MANAGE_DATA)


def can_manage_partnership(user, partnership: Partnership) -> bool:
    return has_any_role(user, partnership, MANAGE_PARTNERSHIP)


def can_read_uploads(user, partnership: Partnership) -> bool:
    return has_any_role(user, partnership, READ_UPLOADS)


def leads_priority(user, priority) -> bool:
    return user.is_authenticated and priority.leads.filter(user=user).exists()


def can_edit_priority(user, priority) -> bool:
    """Co-chairs and admins edit any priority; a lead only their own."""
    if can_write_priorities(user, priority.partnership):
        return True
    return has_any_role(user, priority.partnership, {Role.LEAD}) and leads_priority(
        user, priority
    )


def can_edit_plan(user, priority) -> bool:
    """Action plans: co-chairs, officers and admins all; a lead only their own."""
    if has_any_role(user, priority.partnership, EDIT_ALL_PLANS):
        return True
    return has_any_role(user, priority.partnership, {Role.LEAD}) and leads_priority(
        user, priority
    )
