"""Partnership administration: who belongs to a partnership and in which roles.

Every change is a Membership row created or deleted with its actor, so the audit
history (django-simple-history) says who gave or took away which role and when.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from smp.models import Agency, Membership, Partnership, Role


@dataclass(frozen=True)
class NewAccount:
    username: str
    email: str
    first_name: str
    last_name: str


@transaction.atomic
def membership_add(
    *,
    partnership: Partnership,
    roles: Collection[str],
    agency: Agency | None,
    actor,
    user=None,
    new_account: NewAccount | None = None,
) -> tuple[Any, bool]:
    """Give ``user`` (an existing account) or a new account ``roles`` in ``partnership``.

    An existing account keeps the roles it already holds. A new account has no
    password: its owner is e-mailed a link to choose one (the password-reset link,
    valid as long as those are). Returns the user and whether the account is new.
    """
    if user is None:
        return _account_create(partnership, new_account, roles, agency, actor), True
    held = set(
        Membership.objects.filter(user=user, partnership=partnership).values_list("role",
                                                                                   flat=True)
    )
    if not set(roles) - held:
        raise ValidationError({"roles": "They already hold every role chosen."})
    for role in roles:
        if role not in held:
            _grant(partnership, user, role, agency, actor)
    return user, False


def _account_create(partnership: Partnership, account: NewAccount | None,
                    roles: Collection[str], agency: Agency | None, actor):
    if account is None:
        raise ValueError("membership_add needs a user or a new account")
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=account.username).exists():
        raise ValidationError({"username": "This username is taken."})
    user = user_model(username=account.username, email=account.email,
                      first_name=account.first_name, last_name=account.last_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for role in roles:
        _grant(partnership, user, role, agency, actor)
    # Sent when the transaction commits: no e-mail for an account that was rolled back.
    transaction.on_commit(lambda: account_invite_send(user=user, partnership=partnership))
    return user


def account_invite_send(*, user, partnership: Partnership) -> None:
    """E-mail ``user`` a one-time link to choose their password."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    context = {"user": user, "partnership": partnership,
               "link": settings.SMP_BASE_URL.rstrip("/") + path}
    send_mail(
        subject=f"Your SMP account for {partnership.name}",
        message=render_to_string("smp/manage/account_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def membership_set_roles(
    *, partnership: Partnership, user, roles: Collection[str], agency: Agency | None, actor
) -> None:
    """Make ``user``'s roles in ``partnership`` exactly ``roles`` (at least one; use
    :func:`membership_remove` to take someone out), each with ``agency``."""
    roles = set(roles)
    if not roles:
        raise ValidationError({"roles": "Choose at least one role, or remove them instead."})
    current = {m.role: m for m in Membership.objects.filter(user=user, partnership=partnership)}
    _check_can_lose(partnership, user, set(current) - roles)
    for role, membership in current.items():
        membership._history_user = actor
        if role not in roles:
            membership.delete()
        elif membership.agency_id != (agency.pk if agency else None):
            membership.agency = agency
            membership.save(update_fields=["agency"])
    for role in roles - set(current):
        _grant(partnership, user, role, agency, actor)


@transaction.atomic
def membership_remove(*, partnership: Partnership, user, actor) -> None:
    """Take ``user`` out of ``partnership``: every role and subgroup seat. The account
    stays (it may belong to other partnerships)."""
    memberships = list(Membership.objects.filter(user=user, partnership=partnership))
    _check_can_lose(partnership, user, {m.role for m in memberships})
    for membership in memberships:
        membership._history_user = actor
        membership.delete()
    for seat in user.subgroup_memberships.filter(subgroup__partnership=partnership):
        seat._history_user = actor
        seat.delete()


def _grant(partnership: Partnership, user, role: str, agency: Agency | None,
           actor) -> Membership:
    membership = Membership(user=user, partnership=partnership, role=role, agency=agency)
    membership._history_user = actor
    membership.full_clean()
    membership.save()
    return membership


def _check_can_lose(partnership: Partnership, user, losing: set[str]) -> None:
    """Refuse changes that would leave someone shown as a lead without the lead role,
    or the partnership without an administrator (nobody could then manage it)."""
    if Role.LEAD in losing:
        led = user.priority_leads.filter(priority__partnership=partnership)
        titles = sorted(set(led.values_list("priority__title", flat=True)))
        if titles:
            raise ValidationError(
                {"roles": "They lead " + "; ".join(f"“{t}”" for t in titles)
                 + ". Remove them as lead of those priorities first."}
            )
    if Role.ADMIN in losing:
        others = Membership.objects.filter(partnership=partnership, role=Role.ADMIN).exclude(
            user=user)
        if not others.exists():
            raise ValidationError(
                {"roles": "They are the partnership's only administrator. Make someone "
                 "else an administrator first."}
            )
