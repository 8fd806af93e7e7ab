from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from actionplans import periods
from actionplans.models import Action, ActionPlan, Indicator, IndicatorSource, ReminderDigest
from actionplans.readings import missing_last_period
from priorities.models import PriorityLead
from smp.models import Partnership


@dataclass
class LeadWork:
    """What a lead should look at: the same lists feed "My work" and the digest."""

    overdue: list[Action] = field(default_factory=list)
    due_soon: list[Action] = field(default_factory=list)
    stale: list[Action] = field(default_factory=list)
    missing: list[tuple[Indicator, periods.Period]] = field(default_factory=list)

    @property
    def reminder_count(self) -> int:
        return len(self.overdue) + len(self.stale) + len(self.missing)


def lead_work(*, user, partnership: Partnership, today: dt.date | None = None,
              stale_days: int | None = None, due_within_days: int = 30) -> LeadWork:
    """Open work on the current plans of the priorities ``user`` leads."""
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
    indicators = Indicator.objects.filter(plan__in=plans).exclude(
        source=IndicatorSource.CRIME
    ).select_related("plan__priority", "series").prefetch_related("targets")
    for indicator in indicators:
        period = missing_last_period(indicator, today)
        if period is not None:
            work.missing.append((indicator, period))
    return work


def reminders_send(*, today: dt.date | None = None) -> int:
    """Email each lead one digest of overdue or stale actions and indicators missing
    a value for the period just closed. At most one digest per lead, partnership
    and day (a ReminderDigest row is the proof), so reruns send nothing."""
    today = today or timezone.localdate()
    sent = 0
    leads = PriorityLead.objects.values_list("user_id", "priority__partnership_id").distinct()
    for user_id, partnership_id in sorted(set(leads)):
        lead = PriorityLead.objects.select_related("user").filter(user_id=user_id).first()
        partnership = Partnership.objects.get(pk=partnership_id)
        if not lead.user.email or not lead.user.is_active:
            continue
        work = lead_work(user=lead.user, partnership=partnership, today=today)
        if not work.reminder_count:
            continue
        with transaction.atomic():
            digest, created = ReminderDigest.objects.get_or_create(
                user=lead.user, partnership=partnership, day=today,
                defaults={"items": work.reminder_count},
            )
            if not created:
                continue
            context = {"user": lead.user, "partnership": partnership, "work": work,
                       "today": today, "stale_days": settings.ACTIONPLANS_STALE_DAYS,
                       "base_url": settings.SMP_BASE_URL}
            send_mail(
                subject=f"{partnership.name}: {work.reminder_count} action plan item(s) "
                f"need you ({today:%d %b %Y})",
                message=render_to_string("actionplans/email/digest.txt", context),
                from_email=None,
                recipient_list=[lead.user.email],
            )
        sent += 1
    return sent
