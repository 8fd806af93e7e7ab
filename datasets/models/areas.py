from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smp.models import Partnership


class AreaLevel(models.TextChoices):
    """Areas nest: LSOA → ward → ward cluster → district → division → force → county."""

    LSOA = "lsoa", "LSOA"
    WARD = "ward", "Ward"
    CLUSTER = "cluster", "Ward cluster"
    DISTRICT = "district", "District"
    DIVISION = "division", "Police division"
    FORCE = "force", "Police force"
    COUNTY = "county", "County"


LEVEL_ORDER = [level.value for level in AreaLevel]


class AreaQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> AreaQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class Area(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    level = models.CharField(max_length=10, choices=AreaLevel.choices)
    code = models.CharField(
        max_length=20,
        help_text="ONS code where one exists (LSOA E01…, ward E05…, district E07…); "
        "otherwise a local code such as CL1 for a ward cluster.",
    )
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    is_urban = models.BooleanField(null=True, blank=True, help_text="Urban or rural (clusters).")
    is_demo_code = models.BooleanField(
        default=False, help_text="A made-up code used by the demo, not an ONS code."
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="area_unique_code"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="area_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "The validity cannot end before it starts."
        if self.level in LEVEL_ORDER and self.pk:
            smaller = LEVEL_ORDER[:LEVEL_ORDER.index(self.level)]
            inside = self.children.exclude(level__in=smaller).first()
            if inside is not None:
                errors["level"] = (f"{inside} sits inside this area, so it must stay larger "
                                   f"than a {inside.get_level_display()}.")
        if self.parent_id is not None and self.level in LEVEL_ORDER:
            if self.parent.partnership_id != self.partnership_id:
                errors["parent"] = "The parent area belongs to another partnership."
            elif LEVEL_ORDER.index(self.parent.level) <= LEVEL_ORDER.index(self.level):
                errors["parent"] = f"A {self.get_level_display()} must sit inside a larger area."
        if errors:
            raise ValidationError(errors)

    def ancestors(self) -> list[Area]:
        """Parent, grandparent, … (one query per level; fine for single records)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Population(models.Model):
    """Mid-year population estimate of an area (ONS), used for rates per 1,000."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveIntegerField()
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True, help_text="e.g. ONS mid-2021 estimate")

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="population_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} {self.year}: {self.population:,}"
