"""Aggregated extract (CSV or XLSX): category × area × month counts, as the county
unit sends them.

Columns: ``month, area_code, area_name, category, count`` (``area_name`` is for
people and is not checked). Areas may be at any level (LSOA, ward, …); higher
levels are summed from the rows given, so a file must give each count at one
level only: a row for a ward and a row for its district (or for a category and its
group) in the same month would count the same crimes twice, and is an error.
Unlike a police.uk file the extract is made for this partnership, so an unknown
area or category is an error, and so is a month outside an area's validity.
Counts must fit the database (at most 2,147,483,647, also once summed).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

from datasets.importers.common import (
    MAX_COUNT,
    FileRejected,
    Hierarchy,
    MonthLimits,
    Problems,
    ProgressCallback,
    check_formulas,
    check_header,
    formula_marker,
    open_rows,
    outside_validity,
    parse_count,
    parse_month,
)

HEADER = ["month", "area_code", "area_name", "category", "count"]


@dataclass(frozen=True)
class AggregateRow:
    month: dt.date
    area_id: int
    category_id: int
    count: int


@dataclass
class AggregateResult:
    rows_read: int = 0
    rows: list[AggregateRow] = field(default_factory=list)

    @property
    def months(self) -> list[dt.date]:
        return sorted({r.month for r in self.rows})


def validate(
    stream: BinaryIO,
    *,
    area_ids: dict[str, int],
    category_ids: dict[str, int],
    problems: Problems,
    area_tree: Hierarchy | None = None,
    category_tree: Hierarchy | None = None,
    area_limits: dict[int, MonthLimits] | None = None,
    progress: ProgressCallback | None = None,
) -> AggregateResult:
    """``category_ids`` maps the extract's category names (mapping first, then the
    partnership's own category names) to category ids. ``area_tree`` and
    ``category_tree`` find counts given at two levels; ``area_limits`` (area id →
    first and last month, only areas with a validity period) months outside it."""
    result = AggregateResult()
    try:
        source = open_rows(stream, allow_xlsx=True)
    except FileRejected as exc:
        problems.add(1, "", str(exc))
        return result
    if not check_header(source.header, HEADER, problems):
        return result
    seen: dict[tuple, int] = {}
    try:
        for number, row in source.rows:
            result.rows_read += 1
            if progress and result.rows_read % 10_000 == 0:
                progress(result.rows_read, source.fraction_read())
            where = formula_marker(row)
            if where:
                problems.add(number, where, "cell contains a formula; paste values only")
                continue
            if not any(row):
                continue
            row = row + [""] * (5 - len(row))
            if len(row) > 5:
                problems.add(number, "", f"expected 5 columns, found {len(row)}")
                continue
            if not check_formulas(row, HEADER, number, problems):
                continue
            month_text, code, _name, category_name, count_text = (c.strip() for c in row)
            ok = True
            month = parse_month(month_text)
            if month is None:
                problems.add(number, "month", f"“{month_text}” is not a month (YYYY-MM)")
                ok = False
            area = area_ids.get(code)
            if area is None:
                problems.add(number, "area_code", f"unknown area code “{code}”")
                ok = False
            category = category_ids.get(category_name)
            if category is None:
                problems.add(number, "category", f"unknown or unmapped category "
                             f"“{category_name}”")
                ok = False
            count = parse_count(count_text)
            if count is None:
                problems.add(number, "count", f"“{count_text}” is not a whole number ≥ 0")
                ok = False
            elif count > MAX_COUNT:
                problems.add(number, "count", f"{count:,} is larger than the largest count "
                             f"stored ({MAX_COUNT:,})")
                ok = False
            if ok and area_limits and area in area_limits:
                reason = outside_validity(code, month, area_limits[area])
                if reason:
                    problems.add(number, "area_code", reason)
                    ok = False
            if not ok:
                continue
            key = (month, area, category)
            if key in seen:
                problems.add(number, "", f"duplicate of row {seen[key]} (same month, area "
                             "and category)")
                continue
            seen[key] = number
            result.rows.append(AggregateRow(month, area, category, count))
    except FileRejected as exc:
        problems.add(0, "", str(exc))
    if result.rows_read == 0 and not problems:
        problems.add(2, "", "The file has a header but no data rows.")
    _check_one_level(seen, area_tree, category_tree, problems)
    _check_month_totals(result.rows, problems)
    if progress:
        progress(result.rows_read, source.fraction_read())
    return result


def _check_one_level(seen: dict[tuple, int], area_tree: Hierarchy | None,
                     category_tree: Hierarchy | None, problems: Problems) -> None:
    """A row whose area (or category) lies inside another row's area (or group), same
    month: the larger area's count already includes it, so the roll-up would count it
    twice. Reported on the inner row, naming the outer one."""
    areas = area_tree or Hierarchy({}, {})
    groups = category_tree or Hierarchy({}, {})
    area_chains: dict[int, list[int]] = {}
    group_chains: dict[int, list[int]] = {}
    for (month, area, category), number in sorted(seen.items(), key=lambda item: item[1]):
        outer_areas = [area, *area_chains.setdefault(area, areas.ancestors(area))]
        outer_groups = [category, *group_chains.setdefault(category, groups.ancestors(category))]
        for outer_area in outer_areas:
            for outer_group in outer_groups:
                if (outer_area, outer_group) == (area, category):
                    continue
                other = seen.get((month, outer_area, outer_group))
                if other is None:
                    continue
                parts = []
                if outer_area != area:
                    parts.append(f"{areas.label.get(area, area)} is inside "
                                 f"{areas.label.get(outer_area, outer_area)}")
                if outer_group != category:
                    parts.append(f"{groups.label.get(category, category)} is in "
                                 f"{groups.label.get(outer_group, outer_group)}")
                problems.add(number, "area_code" if outer_area != area else "category",
                             f"{' and '.join(parts)}, which row {other} also counts for "
                             f"{month:%Y-%m}: give counts at one level")


def _check_month_totals(rows: list[AggregateRow], problems: Problems) -> None:
    """The largest stored count (a district's group) is at most the month's total."""
    totals: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        totals[row.month] += row.count
    for month, total in sorted(totals.items()):
        if total > MAX_COUNT:
            problems.add(0, "count", f"the counts of {month:%Y-%m} add up to {total:,}, more "
                         f"than the largest count stored ({MAX_COUNT:,})")
