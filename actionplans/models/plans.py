from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from priorities.models import Priority, year_label
from smp.models import Agency


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETED = "completed", "Completed"
    DROPPED = "dropped", "Dropped"


CLOSED_STATUSES = {ActionStatus.COMPLETED, ActionStatus.DROPPED}
RAG = {
    ActionStatus.NOT_STARTED: ("grey", "Grey"),
    ActionStatus.ON_TRACK: ("green", "Green"),
    ActionStatus.AT_RISK: ("amber", "Amber"),
    ActionStatus.OFF_TRACK: ("red", "Red"),
    ActionStatus.COMPLETED: ("green", "Green"),
    ActionStatus.DROPPED: ("grey", "Grey"),
}


class Cadence(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    QUARTERLY = "quarterly", "Quarterly"
    MONTHLY = "monthly", "Monthly"


class Strand(models.TextChoices):
    PREVENT = "prevent", "Prevent"
    PURSUE = "pursue", "Pursue"
    PROTECT = "protect", "Protect"
    PREPARE = "prepare", "Prepare"


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user, partnership) -> ActionPlanQuerySet:
        return self.filter(priority__in=Priority.objects.visible_to(user, partnership))

    def latest_per_priority(self) -> ActionPlanQuerySet:
        """Each priority's newest plan year: the plan leads are working on."""
        newer = ActionPlan.objects.filter(priority=OuterRef("priority"), year__gt=OuterRef("year"))
        return self.exclude(Exists(newer))


class ActionPlan(models.Model):
    """One priority's OBA action plan for one plan year."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="action_plans")
    year = models.PositiveIntegerField(help_text="Plan year by its start, e.g. 2023 for 2023–24")
    aim = models.TextField(help_text="The aim statement: what the plan is for.")
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActionPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority__kind", "priority__order", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "year"], name="action_plan_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {self.year_label}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def partnership(self):
        return self.priority.partnership

    def clean(self) -> None:
        if self.priority_id and self.year not in self.priority.plan.years:
            raise ValidationError(
                {"year": f"{year_label(self.year)} is outside {self.priority.plan.label}."}
            )


class Outcome(models.Model):
    """What we aim to achieve."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="outcomes")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField("Outcome")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class ActionQuerySet(models.QuerySet):
    def open(self) -> ActionQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today: dt.date | None = None) -> ActionQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def due_by(self, day: dt.date) -> ActionQuerySet:
        return self.open().filter(due_date__lte=day)

    def stale(self, since: dt.datetime) -> ActionQuerySet:
        """Open actions whose last change or progress note is older than ``since``."""
        return self.open().filter(last_activity_at__lt=since)

    def led_by(self, user) -> ActionQuerySet:
        return self.filter(plan__priority__leads__user=user).distinct()

    def for_table(self) -> ActionQuerySet:
        return self.select_related(
            "plan__priority", "lead_agency", "owner", "latest_update__author"
        )


class Action(models.Model):
    """How we aim to do it. ``version`` is the optimistic lock: every update is
    ``UPDATE … WHERE version = <the version the editor saw>``."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField(default=0)
    description = models.TextField()
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="actions")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="Optional named owner.",
    )
    due_date = models.DateField(null=True, blank=True)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    strand = models.CharField(
        "4P strand", max_length=10, choices=Strand.choices, blank=True,
        help_text="Prevent, Pursue, Protect, Prepare – where the subgroup uses them.",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(
        default=timezone.now, help_text="Last edit or progress note (for reminders)."
    )
    latest_update = models.ForeignKey(
        "ProgressUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[outcomes], excluded_fields=["last_activity_at", "latest_update"]
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=False) | ~Q(cadence=""),
                name="action_has_due_date_or_cadence",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(cadence=""),
                name="action_due_date_xor_cadence",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        if self.due_date is None and not self.cadence:
            raise ValidationError({"due_date": "Give a due date or choose a cadence."})
        if self.due_date is not None and self.cadence:
            raise ValidationError(
                {"cadence": "Choose either a due date or a cadence, not both."}
            )
        if self.lead_agency_id and self.plan_id and (
            self.lead_agency.partnership_id != self.plan.priority.partnership_id
        ):
            raise ValidationError({"lead_agency": "The agency belongs to another partnership."})

    @property
    def due_label(self) -> str:
        return self.get_cadence_display() if self.cadence else f"{self.due_date:%d %b %Y}"

    @property
    def rag(self) -> str:
        return RAG[ActionStatus(self.status)][0]

    @property
    def rag_label(self) -> str:
        return RAG[ActionStatus(self.status)][1]

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


class ProgressUpdate(models.Model):
    """Dated commentary on an action, optionally with a new status. All kept."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    note = models.TextField()
    new_status = models.CharField(max_length=12, choices=ActionStatus.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at", "-id"]
        get_latest_by = ["date", "created_at"]

    def __str__(self) -> str:
        return f"{self.date}: {self.note[:60]}"
