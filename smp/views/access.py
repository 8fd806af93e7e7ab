"""The permission gate of the administration pages."""

from __future__ import annotations

from smp import permissions as perms
from smp.models import Partnership


def managed_partnership(user, slug: str) -> Partnership:
    """The partnership if the user administers it: 404 outside it, 403 without the role."""
    partnership = perms.partnership_for(user, slug)
    perms.require(user, partnership, perms.MANAGE_PARTNERSHIP)
    return partnership
