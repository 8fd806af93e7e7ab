"""Aggregated extract (CSV or XLSX): category × area × month counts, as the county
unit sends them.

Columns: ``month, area_code, area_name, category, count`` (``area_name`` is for
people and is not checked). Areas may be at any level (LSOA, ward, …); higher
levels are summed from the rows given. Unlike a police.uk file the extract is made
for this partnership, so an unknown area or category is an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import BinaryIO

from datasets.importers.common import (
    FileRejected,
    Problems,
    ProgressCallback,
    check_formulas,
    check_header,
    formula_marker,
    open_rows,
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
    progress: ProgressCallback | None = None,
) -> AggregateResult:
    """``category_ids`` maps the extract's category names (mapping first, then the
    partnership's own category names) to category ids."""
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
                progress(result.rows_read, source.bytes_read())
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
    if progress:
        progress(result.rows_read, source.bytes_read())
    return result
