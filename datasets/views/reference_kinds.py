"""The four kinds of reference data the pages edit, and what each page needs for
each kind: model, form, table, filter, the service that saves it, its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from datasets import forms_reference as forms
from datasets import tables_reference as tables
from datasets.models import Area, Category, CategoryMapping, Population, ReferenceJob
from datasets.services import reference_edits

MAPPING_NOTE = ("A mapping applies to uploads from the moment it is saved. Stored records "
                "keep the category they were imported with: to count past months under a "
                "new mapping, upload those months again.")
HIERARCHY_NOTE = ("Moving an area to another parent recounts the stored counts of the larger "
                  "areas from the stored records (in the background; progress is shown) and "
                  "then recalculates their trends.")
GROUP_NOTE = ("Moving a category to another group recounts the groups' stored counts from the "
              "stored records (in the background) and then recalculates their trends.")
POPULATION_NOTE = "Rates per 1,000 of an area are recalculated when its population changes."


def _save_mapping(instance: CategoryMapping, user) -> ReferenceJob | None:
    instance.save()
    return None


@dataclass(frozen=True)
class ReferenceKind:
    slug: str
    title: str
    singular: str
    model: type
    form: type
    table: type
    filter: type
    rows: Callable[..., QuerySet]  # partnership → its rows, ready for the table
    save: Callable[..., ReferenceJob | None]  # (instance, user)
    history_fields: tuple[str, ...]
    label: Callable  # (historical version, related names) → what it is, in words
    history_of: Callable[..., QuerySet]  # partnership → its historical rows
    note: str


KINDS = {k.slug: k for k in [
    ReferenceKind(
        "areas", "Areas", "area", Area, forms.AreaForm, tables.AreaTable, tables.AreaFilter,
        tables.areas_of, lambda instance, user: reference_edits.area_save(area=instance,
                                                                           user=user),
        ("level", "code", "name", "parent", "is_urban", "valid_from", "valid_to",
         "is_demo_code"),
        lambda v, names: f"{v.name} ({v.code})",
        lambda p: Area.history.filter(partnership=p), HIERARCHY_NOTE),
    ReferenceKind(
        "populations", "Populations", "population estimate", Population,
        forms.PopulationForm, tables.PopulationTable, tables.PopulationFilter,
        tables.populations_of,
        lambda instance, user: reference_edits.population_save(population=instance, user=user),
        ("area", "year", "population", "source"),
        lambda v, names: f"{names['area'].get(v.area_id, v.area_id)} {v.year}",
        lambda p: Population.history.filter(
            area_id__in=Area.history.filter(partnership=p).values("id")), POPULATION_NOTE),
    ReferenceKind(
        "categories", "Categories", "category", Category, forms.CategoryForm,
        tables.CategoryTable, tables.CategoryFilter, tables.categories_of,
        lambda instance, user: reference_edits.category_save(category=instance, user=user),
        ("name", "parent", "is_crime", "order"), lambda v, names: v.name,
        lambda p: Category.history.filter(partnership=p), GROUP_NOTE),
    ReferenceKind(
        "mappings", "Category mappings", "category mapping", CategoryMapping,
        forms.CategoryMappingForm, tables.MappingTable, tables.MappingFilter,
        tables.mappings_of, _save_mapping, ("source", "source_name", "category"),
        lambda v, names: f"{v.get_source_display()}: {v.source_name}",
        lambda p: CategoryMapping.history.filter(partnership=p), MAPPING_NOTE),
]}
