"""CSV and XLSX exports of the actions table.

Spreadsheet programs execute cells that start with = + - @ as formulas, so
every text cell starting with one of those is prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

from actionplans.models import Action

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADERS = ["Priority", "Plan year", "Action", "Outcomes", "Lead agency", "Owner", "Due",
           "Status", "RAG", "4P strand", "Overdue", "Latest update date", "Latest update"]


def neutralise(value: object) -> object:
    """Make a text cell inert in Excel / LibreOffice (prefix with ')."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def action_rows(actions: Iterable[Action]) -> Iterable[list[object]]:
    for action in actions:
        latest = action.latest_update
        owner = action.owner.get_full_name() or action.owner.username if action.owner else ""
        row = [
            action.plan.priority.title, action.plan.year_label, action.description,
            "; ".join(o.text for o in action.outcomes.all()), str(action.lead_agency), owner,
            action.due_label, action.get_status_display(), action.rag_label,
            action.get_strand_display(), "yes" if action.is_overdue() else "no",
            latest.date.isoformat() if latest else "", latest.note if latest else "",
        ]
        yield [neutralise(cell) for cell in row]


def actions_csv(actions: Iterable[Action]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(action_rows(actions))
    return buffer.getvalue()


def actions_xlsx(actions: Iterable[Action]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Actions")
    sheet.append(HEADERS)
    for row in action_rows(actions):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
