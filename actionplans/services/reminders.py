from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from actionplans import periods
from actionplans.models import Action, ActionPlan, Indicator, ReminderDigest
from actionplans.readings import load_values, missing_last_period
from priorities.models import PriorityLead
from smp.models import Partnership

logger = logging.getLogger(__name__)


@dataclass
class LeadWork:
    """What a lead should look at: the same lists feed "My work" and the digest.

    ``missing``: manual indicators without a value for the period just closed (the
    lead enters it); ``awaiting_upload``: indicators fed by uploaded or crime data
    without one (officers upload it, so the digest does not ask the lead)."""

    overdue: list[Action] = field(default_factory=list)
    due_soon: list[Action] = field(default_factory=list)
    stale: list[Action] = field(default_factory=list)
    missing: list[tuple[Indicator, periods.Period]] = field(default_factory=list)
    awaiting_upload: list[tuple[Indicator, periods.Period]] = field(default_factory=list)

    @property
    def reminder_count(self) -> int:
        return len(self.overdue) + len(self.stale) + len(self.missing)


def lead_work(*, user, partnership: Partnership, today: dt.date | None = None,
              stale_days: int | None = None, due_within_days: int = 30) -> LeadWork:
    """Open work on the current plans of the priorities ``user`` leads, in a fixed
    number of queries however many actions and indicators."""
    today = today or timezone.localdate()
    stale_days = settings.ACTIONPLANS_STALE_DAYS if stale_days is None else stale_days
    plans = ActionPlan.objects.filter(
        priority__partnership=partnership, priority__leads__user=user
    ).latest_per_priority()
    actions = Action.objects.filter(plan__in=plans).open().for_table().order_by("due_date", "id")
    work = LeadWork()
    cutoff = timezone.now() - dt.timedelta(days=stale_days)
    for action in actions:
        if action.is_overdue(today):
            work.overdue.append(action)
        elif action.due_date is not None and action.due_date <= today + dt.timedelta(
            days=due_within_days
        ):
            work.due_soon.append(action)
        if action.last_activity_at < cutoff:
            work.stale.append(action)
    indicators = list(Indicator.objects.filter(plan__in=plans).select_related(
        "plan__priority", "series").prefetch_related("targets"))
    values = load_values(indicators)
    for indicator in indicators:
        period = missing_last_period(indicator, today, values[indicator.pk])
        if period is not None:
            listed = work.missing if indicator.is_manual else work.awaiting_upload
            listed.append((indicator, period))
    return work


def reminders_send(*, today: dt.date | None = None) -> int:
    """Email each lead one digest a day of overdue or stale actions and manual
    indicators missing a value for the period just closed: one e-mail per person
    with a section per partnership they lead in. A ReminderDigest row per person and
    day is the proof, so reruns send nothing. A failure for one person (an SMTP
    error) is logged and does not stop the others; that person is not marked sent,
    so the next run tries again. Returns the number of digests sent."""
    today = today or timezone.localdate()
    leading: dict[int, set[int]] = {}
    for user_id, partnership_id in PriorityLead.objects.filter(
        user__is_active=True
    ).exclude(user__email="").values_list("user_id", "priority__partnership_id").distinct():
        leading.setdefault(user_id, set()).add(partnership_id)
    users = get_user_model().objects.in_bulk(leading)
    partnerships = Partnership.objects.in_bulk({p for ids in leading.values() for p in ids})
    sent = 0
    for user_id in sorted(leading):
        mine = sorted((partnerships[p] for p in leading[user_id]), key=lambda p: p.name)
        try:
            sent += digest_send(user=users[user_id], partnerships=mine, today=today)
        except SoftTimeLimitExceeded:
            raise
        except Exception:  # noqa: BLE001 - one lead's failure must not stop the others
            logger.exception("Reminder digest for user %s failed; the next run retries it.",
                             user_id)
    return sent


def digest_send(*, user, partnerships: list[Partnership], today: dt.date) -> bool:
    """Send ``user`` today's digest unless already sent or there is nothing to do."""
    if ReminderDigest.objects.filter(user=user, day=today).exists():
        return False
    sections = [(p, lead_work(user=user, partnership=p, today=today)) for p in partnerships]
    sections = [(p, work) for p, work in sections if work.reminder_count]
    if not sections:
        return False
    items = sum(work.reminder_count for _, work in sections)
    with transaction.atomic():  # the row is rolled back if sending fails
        _, created = ReminderDigest.objects.get_or_create(
            user=user, day=today, defaults={"items": items})
        if not created:
            return False
        where = sections[0][0].name if len(sections) == 1 else f"{len(sections)} partnerships"
        context = {"user": user, "sections": sections, "today": today,
                   "stale_days": settings.ACTIONPLANS_STALE_DAYS,
                   "base_url": settings.SMP_BASE_URL}
        send_mail(
            subject=f"{where}: {items} action plan item(s) need you ({today:%d %b %Y})",
            message=render_to_string("actionplans/email/digest.txt", context),
            from_email=None, recipient_list=[user.email],
        )
    return True
