"""Reference data from CSV: areas, populations, categories, category mappings.

Each import checks every row first and then writes all of them in one transaction
(or nothing), creating or updating by code/name, so a file can be uploaded again
after a correction. Saves go through the models (audit history is kept). The
format is the one the reference pages export (``datasets.reference_csv``). Areas
moved to another parent (categories to another group) and changed populations get
the same follow-up as an edit on the page (``reference_edits``): a recount and
the trends marked touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from datasets.importers.common import (
    FileRejected,
    Problem,
    Problems,
    check_formulas,
    check_header,
    open_rows,
)
from datasets.models import (
    Area,
    AreaLevel,
    Category,
    CategoryMapping,
    Population,
    ReferenceJob,
    Source,
)
from datasets.services import reference_edits
from smp.models import Partnership

HEADERS = {
    "areas": ["level", "code", "name", "parent_code", "is_urban", "valid_from", "valid_to"],
    "populations": ["area_code", "year", "population", "source"],
    "categories": ["group", "category", "is_crime", "order"],
    "mappings": ["source", "source_name", "category"],
}
LEVELS = {level.value for level in AreaLevel}
TRUE, FALSE = {"yes", "true", "1", "urban", "y"}, {"no", "false", "0", "rural", "n"}


@dataclass
class ReferenceResult:
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    job: ReferenceJob | None = None  # the recount or recalculation the changes need

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def _bool(text: str) -> bool | None:
    text = text.strip().lower()
    return True if text in TRUE else False if text in FALSE else None


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text.strip() else None


def reference_import(*, partnership: Partnership, kind: str, file,
                     user=None) -> ReferenceResult:
    """Validate every row, then create or update all of them (or nothing)."""
    problems = Problems()
    result = ReferenceResult()
    try:
        source = open_rows(file, allow_xlsx=False)
    except FileRejected as exc:
        problems.add(1, "", str(exc))
        source = None
    rows = []
    if source and check_header(source.header, HEADERS[kind], problems):
        try:
            for number, row in source.rows:
                if not any(row):
                    continue
                width = len(HEADERS[kind])
                row = ([c.strip() for c in row] + [""] * width)[:width]
                if check_formulas(row, HEADERS[kind], number, problems):
                    rows.append((number, row))
        except FileRejected as exc:
            problems.add(0, "", str(exc))
    if not problems:
        with transaction.atomic():
            writer = {"areas": _areas, "populations": _populations,
                      "categories": _categories, "mappings": _mappings}[kind]
            follow_up = writer(partnership, rows, problems, result)
            if problems:
                transaction.set_rollback(True)
                result.created = result.updated = 0
            else:
                result.job = follow_up(user) if follow_up else None
    result.problems, result.problem_count = problems.kept, problems.count
    return result


def _save(model, lookup: dict, values: dict, result: ReferenceResult):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        result.created += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.full_clean()
        obj.save()
        result.updated += 1
    return obj


def _run(number: int, problems: Problems, action) -> None:
    from django.core.exceptions import ValidationError

    try:
        action()
    except ValidationError as exc:
        problems.add(number, "", "; ".join(exc.messages))
    except ValueError as exc:
        problems.add(number, "", str(exc))


def _areas(partnership, rows, problems, result):
    moves: list[tuple[Area, int | None]] = []
    for number, (level, code, name, parent_code, urban, valid_from, valid_to) in rows:
        if level not in LEVELS:
            problems.add(number, "level", f"unknown level “{level}” ({', '.join(sorted(LEVELS))})")
            continue
        if not code or not name:
            problems.add(number, "code", "code and name are required")
            continue
        parent = None
        if parent_code:
            parent = Area.objects.filter(partnership=partnership, code=parent_code).first()
            if parent is None:
                problems.add(number, "parent_code", f"unknown parent area “{parent_code}” "
                             "(list parents before their children)")
                continue

        def save(level=level, code=code, name=name, parent=parent, urban=urban,
                 valid_from=valid_from, valid_to=valid_to):
            old = Area.objects.filter(partnership=partnership, code=code).first()
            area = _save(Area, {"partnership": partnership, "code": code},
                         {"level": level, "name": name, "parent": parent,
                          "is_urban": _bool(urban), "valid_from": _date(valid_from),
                          "valid_to": _date(valid_to)}, result)
            if old is not None and old.parent_id != area.parent_id:
                moves.append((area, old.parent_id))
        _run(number, problems, save)
    return lambda user: reference_edits.hierarchy_moved(partnership=partnership, moves=moves,
                                                        user=user)


def _populations(partnership, rows, problems, result):
    areas = dict(Area.objects.filter(partnership=partnership).values_list("code", "id"))
    changed: set[int] = set()
    for number, (code, year, population, source) in rows:
        if code not in areas:
            problems.add(number, "area_code", f"unknown area “{code}”")
            continue
        if not year.isdigit() or not population.isdigit():
            problems.add(number, "population", "year and population must be whole numbers")
            continue
        before = result.created + result.updated
        _run(number, problems, lambda c=code, y=year, p=population, s=source: _save(
            Population, {"area_id": areas[c], "year": int(y)},
            {"population": int(p), "source": s}, result))
        if result.created + result.updated > before:
            changed.add(areas[code])
    return lambda user: reference_edits.populations_changed(
        partnership=partnership, area_ids=changed, user=user)


def _categories(partnership, rows, problems, result):
    """A row with an empty ``category`` describes the group itself (its order)."""
    moves: list[tuple[Category, int | None]] = []
    for number, (group, category, is_crime, order) in rows:
        if not group:
            problems.add(number, "group", "group is required")
            continue
        crime = _bool(is_crime) if is_crime else True
        if crime is None:
            problems.add(number, "is_crime", "is_crime must be yes or no")
            continue

        def save(group=group, category=category, crime=crime, order=order):
            position = int(order) if order.isdigit() else 0
            # A category's row names its group; only the group's own row (or its
            # first mention) sets the group's is_crime, and only its own row its order.
            group_values = {"parent": None}
            if not category:
                group_values.update(is_crime=crime, order=position)
            elif not Category.objects.filter(partnership=partnership, name=group).exists():
                group_values["is_crime"] = crime
            parent = _save_category(partnership, group, group_values, result, moves)
            if category:
                _save_category(partnership, category, {"parent": parent, "is_crime": crime,
                                                       "order": position}, result, moves)
        _run(number, problems, save)
    return lambda user: reference_edits.hierarchy_moved(partnership=partnership, moves=moves,
                                                        user=user)


def _save_category(partnership, name: str, values: dict, result: ReferenceResult,
                   moves: list) -> Category:
    old = Category.objects.filter(partnership=partnership, name=name).first()
    saved = _save(Category, {"partnership": partnership, "name": name}, values, result)
    if old is not None and old.parent_id != saved.parent_id:
        moves.append((saved, old.parent_id))
    return saved


def _mappings(partnership, rows, problems, result):
    categories = dict(Category.objects.filter(partnership=partnership).values_list("name", "id"))
    sources = {s.value for s in Source}
    for number, (source, source_name, category) in rows:
        if source not in sources:
            problems.add(number, "source", f"unknown source “{source}” ({', '.join(sources)})")
            continue
        if category not in categories:
            problems.add(number, "category", f"unknown category “{category}”")
            continue
        _run(number, problems, lambda s=source, n=source_name, c=category: _save(
            CategoryMapping, {"partnership": partnership, "source": s, "source_name": n},
            {"category_id": categories[c]}, result))
