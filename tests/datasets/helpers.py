"""Helpers shared by the datasets tests."""

from __future__ import annotations

import io

from django.apps import apps
from openpyxl import Workbook

from datasets.models import Upload
from datasets.services.uploads import upload_create
from tests.datasets.factories import named_file


def table_counts() -> dict[str, int]:
    """Row count of every table of every installed app: history tables, many-to-many
    tables, sessions and auth included."""
    return {m._meta.label: m._base_manager.count()
            for m in apps.get_models(include_auto_created=True)}


def import_file(partnership, user, kind, name, content, capture, series_name="") -> Upload:
    with capture(execute=True):
        upload = upload_create(partnership=partnership, kind=kind, file=named_file(name, content),
                               user=user, series_name=series_name)
    upload.refresh_from_db()
    return upload


def xlsx_bytes(rows: list[list], *, sheets: int = 1) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for i in range(1, sheets):
        book.create_sheet(f"Sheet{i + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
