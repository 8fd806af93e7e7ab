"""A partnership's reference data as the plain dicts the importers take (they are
ORM-free): code → id look-ups, the area and category trees, validity periods."""

from __future__ import annotations

from django.db.models import Q

from datasets.importers.common import Hierarchy, MonthLimits, month_limits
from datasets.models import Area, AreaLevel, Category, CategoryMapping, Source


def lsoa_lookup(partnership_id: int) -> dict[str, int]:
    return dict(Area.objects.filter(partnership_id=partnership_id, level=AreaLevel.LSOA)
                .values_list("code", "id"))


def area_lookup(partnership_id: int) -> dict[str, int]:
    """Code → id of every area, at any level."""
    return dict(Area.objects.filter(partnership_id=partnership_id).values_list("code", "id"))


def category_lookup(partnership_id: int, source: str) -> dict[str, int]:
    """Source category name → category id: the mapping first, then (for extracts
    that already use the partnership's names) the category's own name."""
    names = {}
    if source != Source.POLICE_UK:
        names.update(Category.objects.filter(partnership_id=partnership_id)
                     .values_list("name", "id"))
    names.update(CategoryMapping.objects.filter(partnership_id=partnership_id, source=source)
                 .values_list("source_name", "category_id"))
    return names


def area_tree(partnership_id: int) -> Hierarchy:
    """Parents of every area, labelled like “ward E05000001 (High Street)”."""
    levels = dict(AreaLevel.choices)
    parent, label = {}, {}
    for pk, parent_id, level, code, name in Area.objects.filter(
            partnership_id=partnership_id).values_list("id", "parent_id", "level", "code", "name"):
        parent[pk] = parent_id
        label[pk] = f"{levels.get(level, level).lower()} {code} ({name})"
    return Hierarchy(parent, label)


def category_tree(partnership_id: int) -> Hierarchy:
    """Group of every category, labelled like “category Burglary” / “group …”."""
    rows = list(Category.objects.filter(partnership_id=partnership_id)
                .values_list("id", "parent_id", "name"))
    parent = {pk: parent_id for pk, parent_id, _ in rows}
    label = {pk: f"{'category' if parent_id else 'group'} “{name}”"
             for pk, parent_id, name in rows}
    return Hierarchy(parent, label)


def area_limits(partnership_id: int, level: str | None = None) -> dict[int, MonthLimits]:
    """Area id → first and last month it takes data for, only for the (few) areas
    with a validity period, so the importers' check costs nothing for the rest."""
    areas = Area.objects.filter(partnership_id=partnership_id).filter(
        Q(valid_from__isnull=False) | Q(valid_to__isnull=False))
    if level:
        areas = areas.filter(level=level)
    return {pk: month_limits(valid_from, valid_to)
            for pk, valid_from, valid_to in areas.values_list("id", "valid_from", "valid_to")}
