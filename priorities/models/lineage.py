"""Lineage: how priorities carry on into later ones, so their history stays visible."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from priorities.models.plans import year_label
from priorities.models.priorities import Priority


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

    # How the link reads from the later priority's page: "Split from X".
    BACKWARD = {
        Kind.CONTINUED: "Continues",
        Kind.SPLIT: "Split from",
        Kind.MERGED: "Merged from",
        Kind.DEMOTED: "Demoted from the priority",
    }

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"

    @property
    def backward_label(self) -> str:
        return self.BACKWARD[self.kind]

    def clean(self) -> None:
        if self.source_id and self.target_id:
            if self.source.partnership_id != self.target.partnership_id:
                raise ValidationError("Both priorities must belong to one partnership.")
            if self.kind == self.Kind.DEMOTED and self.target.kind != Priority.Kind.THEME:
                raise ValidationError({"kind": "A demotion must point at a cross-cutting theme."})
            if self.kind == self.Kind.DEMOTED and self.source.kind != Priority.Kind.PRIORITY:
                raise ValidationError({"kind": "Only a named priority can be demoted."})
            if self.target.start_year <= self.source.start_year:
                raise ValidationError(
                    "A priority can only carry on into one that starts later "
                    f"(after {year_label(self.source.start_year)})."
                )
