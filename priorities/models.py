"""Plan periods, priorities (and cross-cutting themes), subgroups, leads, yearly
status and lineage between plan years.

Plan years are financial years (April–March) named by the year they start in:
2022 means 2022–23. A plan period "2022–25" has start_year 2022 and end_year
2024, its last plan year.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smp.models import Agency, Partnership


def current_plan_year(today: dt.date | None = None) -> int:
    """The financial year (April–March) that ``today`` falls in, by its start year."""
    today = today or dt.date.today()
    return today.year if today.month >= 4 else today.year - 1


def year_label(year: int) -> str:
    """2022 -> '2022–23'."""
    return f"{year}–{(year + 1) % 100:02d}"


class PlanPeriodQuerySet(models.QuerySet):
    def published(self) -> PlanPeriodQuerySet:
        return self.filter(is_published=True)

    def covering(self, year: int) -> PlanPeriodQuerySet:
        return self.filter(start_year__lte=year, end_year__gte=year)


class PlanPeriod(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="plan_periods"
    )
    title = models.CharField(max_length=200)
    start_year = models.PositiveIntegerField(help_text="First plan year, e.g. 2022 for 2022–23")
    end_year = models.PositiveIntegerField(help_text="Last plan year, e.g. 2024 for 2024–25")
    is_published = models.BooleanField(
        default=False, help_text="Published plans are visible to committee members."
    )

    objects = PlanPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="plan_unique_title"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def label(self) -> str:
        return f"{self.start_year}–{(self.end_year + 1) % 100:02d}"


class Subgroup(models.Model):
    """A delivery group, e.g. Domestic Abuse Forum, Town Centre Task Force."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="subgroups"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="subgroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SubgroupMember(models.Model):
    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subgroup_memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True)
    is_chair = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_chair", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["subgroup", "user"], name="subgroup_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.subgroup}"


class PriorityQuerySet(models.QuerySet):
    def current(self, year: int | None = None) -> PriorityQuerySet:
        """Priorities of plans covering ``year`` (default: this plan year) not yet ended."""
        year = current_plan_year() if year is None else year
        return self.filter(plan__start_year__lte=year, plan__end_year__gte=year).filter(
            Q(ended_year__isnull=True) | Q(ended_year__gt=year)
        )

    def visible_to(self, user, partnership) -> PriorityQuerySet:
        from smp.permissions import reads_only_published

        qs = self.filter(partnership=partnership)
        if reads_only_published(user, partnership):
            qs = qs.filter(plan__is_published=True)
        return qs

    def with_people(self) -> PriorityQuerySet:
        statuses = PriorityStatus.objects.select_related("set_by")
        return self.select_related("plan", "subgroup").prefetch_related(
            "leads__user", "leads__agency", models.Prefetch("statuses", queryset=statuses)
        )


class Priority(models.Model):
    class Kind(models.TextChoices):
        PRIORITY = "priority", "Priority"
        THEME = "theme", "Cross-cutting theme"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="priorities"
    )
    plan = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=250)
    aim = models.TextField(blank=True, help_text="The aim statement: what the priority is for.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRIORITY)
    order = models.PositiveIntegerField(default=0)
    subgroup = models.ForeignKey(
        Subgroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="priorities"
    )
    ended_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="Plan year from which the priority no longer runs."
    )
    ended_reason = models.TextField(blank=True)

    objects = PriorityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "order", "title"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="priority_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.plan_id and self.partnership_id and self.plan.partnership_id != self.partnership_id:
            raise ValidationError({"plan": "The plan belongs to another partnership."})
        if (
            self.subgroup_id
            and self.partnership_id
            and self.subgroup.partnership_id != self.partnership_id
        ):
            raise ValidationError({"subgroup": "The subgroup belongs to another partnership."})
        if self.ended_year is not None and self.plan_id and not (
            self.plan.start_year <= self.ended_year <= self.plan.end_year + 1
        ):
            raise ValidationError({"ended_year": "Must fall within the plan period."})

    def status_for(self, year: int) -> PriorityStatus | None:
        """The status set for ``year`` (uses prefetched statuses when present)."""
        for status in self.statuses.all():
            if status.year == year:
                return status
        return None

    def latest_status(self) -> PriorityStatus | None:
        statuses = sorted(self.statuses.all(), key=lambda s: s.year, reverse=True)
        return statuses[0] if statuses else None


class PriorityLead(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="leads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="priority_leads"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="priority_leads")

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "user"], name="priority_lead_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user} ({self.agency})"

    def clean(self) -> None:
        if self.agency_id and self.priority_id and (
            self.agency.partnership_id != self.priority.partnership_id
        ):
            raise ValidationError({"agency": "The agency belongs to another partnership."})


class StatusChoice(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    EXCEEDING = "exceeding", "Exceeding expectations"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETED = "completed", "Completed"


class PriorityStatus(models.Model):
    """A co-chair's judgement of a priority for one plan year."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="statuses")
    year = models.PositiveIntegerField(help_text="Plan year by its start, e.g. 2023 for 2023–24")
    status = models.CharField(max_length=20, choices=StatusChoice.choices)
    commentary = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = "priority statuses"
        constraints = [
            models.UniqueConstraint(fields=["priority", "year"], name="priority_status_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {year_label(self.year)}: {self.get_status_display()}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    def clean(self) -> None:
        if self.priority_id and self.year not in self.priority.plan.years:
            raise ValidationError(
                {"year": f"{year_label(self.year)} is outside {self.priority.plan.label}."}
            )


class PriorityLink(models.Model):
    """Lineage: how a priority carried on into another (usually the next plan)."""

    class Kind(models.TextChoices):
        CONTINUED = "continued", "Continued as"
        SPLIT = "split", "Split into"
        MERGED = "merged", "Merged into"
        DEMOTED = "demoted", "Demoted to cross-cutting theme"

    source = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="successor_links")
    target = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="predecessor_links"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="priority_link_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="priority_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"

    def clean(self) -> None:
        if self.source_id and self.target_id:
            if self.source.partnership_id != self.target.partnership_id:
                raise ValidationError("Both priorities must belong to one partnership.")
            if self.kind == self.Kind.DEMOTED and self.target.kind != Priority.Kind.THEME:
                raise ValidationError({"kind": "A demotion must point at a cross-cutting theme."})
