"""Priorities and cross-cutting themes of a plan, with their leads.

A priority runs from its ``start_year`` (its plan's first year unless it began
mid-plan, e.g. a successor) until the year before its ``ended_year`` (if any).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from priorities.models.plans import PlanPeriod, current_plan_year, year_label
from priorities.models.subgroups import Subgroup
from smp.models import Agency, Partnership

if TYPE_CHECKING:
    from priorities.models.statuses import PriorityStatus


class PriorityQuerySet(models.QuerySet):
    def running_in(self, year: int) -> PriorityQuerySet:
        """Priorities that run in ``year``: started (their own start year, which may be
        after their plan's first) and not yet ended. Their plan is not checked."""
        return self.filter(start_year__lte=year).filter(
            Q(ended_year__isnull=True) | Q(ended_year__gt=year)
        )

    def current(self, year: int | None = None) -> PriorityQuerySet:
        """Priorities of plans covering ``year`` (default: this plan year) that run in it."""
        year = current_plan_year() if year is None else year
        return self.filter(plan__start_year__lte=year, plan__end_year__gte=year).running_in(
            year
        )

    def visible_to(self, user, partnership) -> PriorityQuerySet:
        from smp.permissions import reads_only_published

        qs = self.filter(partnership=partnership)
        if reads_only_published(user, partnership):
            qs = qs.filter(plan__is_published=True)
        return qs

    def with_people(self) -> PriorityQuerySet:
        statuses = self.model.statuses.rel.related_model.objects.select_related("set_by")
        return self.select_related("plan", "subgroup").prefetch_related(
            "leads__user", "leads__agency", models.Prefetch("statuses", queryset=statuses)
        )

    def with_successors(self) -> PriorityQuerySet:
        """Prefetch what each priority carried on into (one query)."""
        links = self.model.successor_links.rel.related_model.objects
        return self.prefetch_related(
            models.Prefetch("successor_links", queryset=links.select_related("target__plan"))
        )

    def with_lineage(self) -> PriorityQuerySet:
        """Prefetch both directions of lineage with the linked priorities' plans."""
        links = self.model.successor_links.rel.related_model.objects
        return self.prefetch_related(
            models.Prefetch("successor_links", queryset=links.select_related("target__plan")),
            models.Prefetch("predecessor_links", queryset=links.select_related("source__plan")),
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
    start_year = models.PositiveIntegerField(
        blank=True,
        help_text="First plan year the priority runs in (default: the plan's first year).",
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
            models.CheckConstraint(
                condition=Q(ended_year__isnull=True) | Q(ended_year__gt=models.F("start_year")),
                name="priority_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.start_year is None and self.plan_id:
            self.start_year = self.plan.start_year
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.plan_id and self.partnership_id and self.plan.partnership_id != self.partnership_id:
            raise ValidationError({"plan": "The plan belongs to another partnership."})
        if (
            self.subgroup_id
            and self.partnership_id
            and self.subgroup.partnership_id != self.partnership_id
        ):
            raise ValidationError({"subgroup": "The subgroup belongs to another partnership."})
        if not self.plan_id:
            return
        plan = self.plan
        if self.start_year is None:
            self.start_year = plan.start_year
        if not plan.start_year <= self.start_year <= plan.end_year:
            raise ValidationError(
                {"start_year": f"Must be a year of the plan ({plan.label})."}
            )
        if self.ended_year is not None and not (
            self.start_year < self.ended_year <= plan.end_year + 1
        ):
            raise ValidationError(
                {"ended_year": f"Must be after {year_label(self.start_year)} and no later "
                 f"than {year_label(plan.end_year + 1)}, just after the plan."}
            )

    @property
    def years(self) -> list[int]:
        """The plan years the priority runs in (its start to its end, within the plan)."""
        last = self.plan.end_year if self.ended_year is None else self.ended_year - 1
        return list(range(self.start_year, last + 1))

    def runs_in(self, year: int) -> bool:
        return year in self.years

    @property
    def ends_with_plan(self) -> bool:
        """Ended exactly when its plan did (dropped or carried on at the next plan)."""
        return self.ended_year is not None and self.ended_year == self.plan.end_year + 1

    @property
    def start_label(self) -> str:
        return year_label(self.start_year)

    @property
    def last_year_label(self) -> str:
        """The last plan year it runs in, e.g. '2023–24'."""
        return year_label(self.years[-1]) if self.years else ""

    @property
    def ended_label(self) -> str:
        return year_label(self.ended_year) if self.ended_year is not None else ""

    def status_for(self, year: int) -> PriorityStatus | None:
        """The status set for ``year`` (uses prefetched statuses when present)."""
        for status in self.statuses.all():
            if status.year == year:
                return status
        return None



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
