from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from smp.models import Partnership


class Source(models.TextChoices):
    """Where counts come from. Category names differ between sources."""

    POLICE_UK = "police_uk", "police.uk street-level file"
    AGGREGATE = "aggregate", "Aggregated extract (county unit)"


class Category(models.Model):
    """The partnership's reporting categories, as a tree.

    Groups (no parent) such as "Victim Based Crime", "Crimes Against Society" and
    "Anti-social behaviour" hold categories such as "Violence against the person".
    ASB is counted as incidents, not crimes: ``is_crime`` is False for it.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    is_crime = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.parent_id is None

    def clean(self) -> None:
        if self.parent_id and self.parent.partnership_id != self.partnership_id:
            raise ValidationError({"parent": "The group belongs to another partnership."})
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Categories nest one level: group → category."})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError({"parent": "This is a group with categories in it; a group "
                                   "cannot itself sit inside a group."})


class CategoryMapping(models.Model):
    """Maps a source's category name (e.g. police.uk "Violence and sexual offences")
    to one of the partnership's categories. Reference data, not code."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="category_mappings"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    source_name = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="mappings")

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "source_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source", "source_name"], name="category_mapping_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.source_name} → {self.category}"

    def clean(self) -> None:
        if self.category_id and self.category.partnership_id != self.partnership_id:
            raise ValidationError({"category": "The category belongs to another partnership."})
