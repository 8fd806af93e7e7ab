"""Helpers for the site layout (templates/base.html) and the sign-in pages."""

from __future__ import annotations

import datetime as dt

from django import template

from smp import permissions as perms
from smp.models import Partnership

register = template.Library()


@register.simple_tag
def may_read_uploads(user, partnership: Partnership | None) -> bool:
    """Whether the header shows the "Data" link: only to those the uploads page admits."""
    return partnership is not None and perms.can_read_uploads(user, partnership)


@register.simple_tag
def may_manage_partnership(user, partnership: Partnership | None) -> bool:
    """Whether the header shows the "Administration" link."""
    return partnership is not None and perms.can_manage_partnership(user, partnership)


@register.filter
def minutes(value: dt.timedelta) -> str:
    """A lock-out time in words: timedelta(minutes=15) -> '15 minutes'."""
    count = max(1, round(value.total_seconds() / 60))
    return f"{count} minute{'s' if count != 1 else ''}"
