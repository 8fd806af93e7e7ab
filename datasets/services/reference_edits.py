"""Officers' edits of reference data in the browser (and the CSV import's moves):
save with the follow-up work a change needs, delete only what nothing stored uses.

* Moving an area to another parent, or a category to another group, changes what
  the larger areas (groups) count: the stored counts are recounted from the stored
  records in the background and the trends of the areas (groups) concerned marked
  touched (``reference_jobs``).
* A population change marks the area's trends touched (rates per 1,000 use it).
* A mapping change applies to uploads from then on: records keep the category they
  were imported with (upload the months again to re-map them).
* Deleting an area or category that stored records, counts, other reference data
  or action-plan indicators use is refused with a message saying what uses it.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import Collector, ProtectedError

from datasets.models import (
    AggregateRecord,
    Area,
    Category,
    MonthlyCount,
    PoliceRecord,
    Population,
    ReferenceJob,
)
from datasets.services.reference_jobs import reference_job_request


def _chain(model, pk: int | None) -> list[int]:
    """The node and every node above it: an area's larger areas (a category's group;
    categories nest one level, so that is at most the group)."""
    chain = []
    while pk is not None:
        chain.append(pk)
        pk = model.objects.filter(pk=pk).values_list("parent_id", flat=True).first()
    return chain


def _name(model, pk: int | None) -> str:
    return str(model.objects.filter(pk=pk).values_list("name", flat=True).first()) if pk \
        else "nothing (top level)"


def hierarchy_moved(*, partnership, moves: list[tuple[Area | Category, int | None]],
                    user) -> ReferenceJob | None:
    """Recount after areas changed parent or categories changed group: ``moves`` are
    (area or category, old parent id), all of one model. Only the old and new
    larger areas (groups) have different statistics; the moved node's own do not."""
    if not moves:
        return None
    model = type(moves[0][0])
    affected = {pk for node, old in moves
                for pk in [*_chain(model, old), *_chain(model, node.parent_id)]}
    if len(moves) == 1:
        node, old = moves[0]
        what = f"{node.name} moved from {_name(model, old)} to {_name(model, node.parent_id)}"
    else:
        what = f"{len(moves)} {model._meta.verbose_name_plural} moved"
    ids = {"area_ids" if model is Area else "category_ids": affected}
    return reference_job_request(partnership=partnership, description=what, recount=True,
                                 user=user, **ids)


def populations_changed(*, partnership, area_ids: set[int], user) -> ReferenceJob | None:
    """Rates per 1,000 of these areas change: recalculate their trends."""
    if not area_ids:
        return None
    names = list(Area.objects.filter(pk__in=area_ids).values_list("name", flat=True)[:3])
    what = "Population of " + ", ".join(names) + (" and others" if len(area_ids) > 3 else "")
    return reference_job_request(partnership=partnership, description=what, recount=False,
                                 area_ids=area_ids, user=user)


@transaction.atomic
def area_save(*, area: Area, user) -> ReferenceJob | None:
    """Create or edit an area (validated by the form); a new parent is recounted."""
    old_parent = (Area.objects.filter(pk=area.pk).values_list("parent_id", flat=True).first()
                  if area.pk else area.parent_id)
    area.save()
    if old_parent == area.parent_id:
        return None
    return hierarchy_moved(partnership=area.partnership, moves=[(area, old_parent)], user=user)


@transaction.atomic
def category_save(*, category: Category, user) -> ReferenceJob | None:
    """Create or edit a category or group; a new group is recounted."""
    old_group = (Category.objects.filter(pk=category.pk).values_list("parent_id", flat=True)
                 .first() if category.pk else category.parent_id)
    category.save()
    if old_group == category.parent_id:
        return None
    return hierarchy_moved(partnership=category.partnership, moves=[(category, old_group)],
                           user=user)


@transaction.atomic
def population_save(*, population: Population, user) -> ReferenceJob | None:
    """Create or edit a population estimate; the area's rates are recalculated."""
    old_area = (Population.objects.filter(pk=population.pk).values_list("area_id", flat=True)
                .first() if population.pk else None)
    population.save()
    areas = {population.area_id, old_area} - {None}
    return populations_changed(partnership=population.area.partnership, area_ids=areas,
                               user=user)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _protected_uses(instance: models.Model, skip: set[type]) -> list[str]:
    """What else refuses the deletion (PROTECT references, e.g. action-plan
    indicators), found the way Django's delete would find it."""
    try:
        Collector(using="default").collect([instance])
    except ProtectedError as exc:
        by_model: dict[type, list] = defaultdict(list)
        for obj in exc.protected_objects:
            if type(obj) not in skip:
                by_model[type(obj)].append(obj)
        phrases = []
        for model, objs in by_model.items():
            names = "”, “".join(str(o) for o in objs[:3]) + ("…" if len(objs) > 3 else "")
            meta = model._meta
            phrases.append(_plural(len(objs), f"{meta.verbose_name} (“{names}”) uses it",
                                   f"{meta.verbose_name_plural} (“{names}”) use it"))
        return phrases
    return []


def reference_uses(instance: models.Model) -> list[str]:
    """Why ``instance`` cannot be deleted, one phrase per kind of use; empty if it can."""
    uses: list[str] = []
    if isinstance(instance, Area):
        field = "area"
        inside = instance.children.count()
        if inside:
            uses.append(_plural(inside, "area sits inside it", "areas sit inside it"))
    elif isinstance(instance, Category):
        field = "category"
        inside = instance.children.count()
        if inside:
            uses.append(_plural(inside, "category is in it", "categories are in it"))
        mapped = instance.mappings.count()
        if mapped:
            uses.append(_plural(mapped, "source name is mapped to it",
                                "source names are mapped to it"))
    else:
        return uses
    records = (PoliceRecord.objects.filter(**{field: instance}).count()
               + AggregateRecord.objects.filter(**{field: instance}).count())
    if records:
        uses.append(_plural(records, "stored record uses it", "stored records use it"))
    counts = MonthlyCount.objects.filter(**{field: instance}).count()
    if counts:
        uses.append(_plural(counts, "monthly count uses it", "monthly counts use it"))
    return uses + _protected_uses(instance, skip={Area, Category})


def reference_delete(*, instance: models.Model, user) -> ReferenceJob | None:
    """Delete an area, population, category or mapping, unless something uses it
    (``ValidationError`` saying what). An area's populations go with it."""
    uses = reference_uses(instance)
    if uses:
        fix = ("Move or delete what is inside it, change the mappings, and roll back the "
               "uploads that use it first." if isinstance(instance, Category) else
               "Move or delete the areas inside it and roll back the uploads that use it first.")
        raise ValidationError(f"“{instance}” cannot be deleted: {'; '.join(uses)}. {fix}")
    with transaction.atomic():
        job = None
        if isinstance(instance, Population):
            job = populations_changed(partnership=instance.area.partnership,
                                      area_ids={instance.area_id}, user=user)
        try:
            instance.delete()
        except ProtectedError as exc:  # a use created since the check above
            raise ValidationError(f"“{instance}” is in use and cannot be deleted.") from exc
    return job

