"""CSV export of reference data in exactly the format the CSV import takes
(``datasets.services.reference.HEADERS``), so an exported file can be corrected
and imported again.

Areas are written larger levels first (the import needs parents before their
children); within a level, in the order the page shows. A cell a spreadsheet would
run as a formula gets a leading ' (the forms and the import never store one).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from datasets.importers.common import looks_like_formula
from datasets.models.areas import LEVEL_ORDER
from datasets.services.reference import HEADERS


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if looks_like_formula(text) else text


def _areas(areas) -> Iterable[list]:
    ordered = sorted(areas, key=lambda a: -LEVEL_ORDER.index(a.level))  # stable: keeps page order
    for a in ordered:
        urban = "" if a.is_urban is None else ("urban" if a.is_urban else "rural")
        yield [a.level, a.code, a.name, a.parent.code if a.parent_id else "", urban,
               a.valid_from, a.valid_to]


def _populations(populations) -> Iterable[list]:
    for p in populations:
        yield [p.area.code, p.year, p.population, p.source]


def _categories(categories) -> Iterable[list]:
    """A group's own row has an empty ``category`` (it carries the group's order)."""
    for c in categories:
        if c.parent_id:
            yield [c.parent.name, c.name, c.is_crime, c.order]
        else:
            yield [c.name, "", c.is_crime, c.order]


def _mappings(mappings) -> Iterable[list]:
    for m in mappings:
        yield [m.source, m.source_name, m.category.name]


ROWS = {"areas": _areas, "populations": _populations, "categories": _categories,
        "mappings": _mappings}


def reference_csv(kind: str, objects) -> str:
    """The CSV text (header + one row per object) for one kind of reference data."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS[kind])
    for row in ROWS[kind](objects):
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()
