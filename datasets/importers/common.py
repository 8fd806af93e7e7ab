"""Shared parsing: rows from CSV or XLSX, problems, months and periods, formula cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

MAX_ERRORS_KEPT = 200
FORMULA_START = frozenset("=+-@")
XLSX_MAGIC = b"PK\x03\x04"
# (data rows read, fraction of the file read from 0 to 1; 0 when unknown)
ProgressCallback = Callable[[int, float], None]
# Largest count the database stores (PostgreSQL ``integer``).
MAX_COUNT = 2_147_483_647


class FileRejected(Exception):
    """The file cannot be read at all (encoding, format, no header)."""


@dataclass(frozen=True)
class Problem:
    row: int  # file row; the header is row 1
    column: str
    reason: str


@dataclass
class Problems:
    """Every problem found; the first ``MAX_ERRORS_KEPT`` are kept in memory, the
    rest only counted and (optionally) streamed to ``spill`` (a CSV writer)."""

    spill: object | None = None
    kept: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, reason: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_ERRORS_KEPT:
            self.kept.append(Problem(row, column, reason))
        if self.spill is not None:
            self.spill.writerow((row, column, reason))

    def __bool__(self) -> bool:
        return self.count > 0


def is_number(text: str) -> bool:
    """A finite number written plainly: ``-0.5``, ``1e3``. Not ``nan``, ``-inf``,
    ``1_000`` or non-ASCII digits (Python's ``float`` accepts them; spreadsheets and
    PostgreSQL do not)."""
    if "_" in text or not text.isascii():
        return False
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def looks_like_formula(text: str) -> bool:
    """A text cell that a spreadsheet would run: starts with = + - @ and is not a
    number (a longitude of -0.5 is fine)."""
    return bool(text) and text[0] in FORMULA_START and not is_number(text)


def check_formulas(row: list[str], header: list[str], row_number: int, problems: Problems) -> bool:
    ok = True
    for index, cell in enumerate(row):
        if looks_like_formula(cell):
            column = header[index] if index < len(header) else f"column {index + 1}"
            problems.add(row_number, column, "looks like a spreadsheet formula; remove the "
                         "leading = + - or @")
            ok = False
    return ok


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> dt.date | None:
    """``YYYY-MM`` → first day of the month, else None."""
    match = MONTH_RE.match(text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class Hierarchy:
    """A tree of reference data passed in as plain dicts (importers stay ORM-free):
    id → parent id (None at the top) and id → how to name it in a message."""

    parent: dict[int, int | None]
    label: dict[int, str]

    def ancestors(self, node: int) -> list[int]:
        """Parent, grandparent, … of ``node`` (nearest first)."""
        chain, seen = [], {node}
        parent = self.parent.get(node)
        while parent is not None and parent not in seen:  # a cycle cannot loop forever
            chain.append(parent)
            seen.add(parent)
            parent = self.parent.get(parent)
        return chain


# First and last month (first days) an area is valid for; None: open-ended.
MonthLimits = tuple[dt.date | None, dt.date | None]


def month_limits(valid_from: dt.date | None, valid_to: dt.date | None) -> MonthLimits:
    """The months an area with this validity period takes data for: every month it
    is valid on at least one day of (a ward created on 2 May 2019 takes May 2019)."""
    return (valid_from.replace(day=1) if valid_from else None,
            valid_to.replace(day=1) if valid_to else None)


def outside_validity(code: str, month: dt.date, limits: MonthLimits) -> str | None:
    """Why a row for ``month`` cannot count towards area ``code``, or None."""
    first, last = limits
    if (first is None or month >= first) and (last is None or month <= last):
        return None
    span = (f"from {first:%Y-%m}" if first else "") + (" " if first and last else "") \
        + (f"until {last:%Y-%m}" if last else "")
    return (f"area {code} is valid {span}; this row is for {month:%Y-%m} (give the area "
            "that covered this place then, or correct the validity under Reference data)")


def month_end(day: dt.date) -> dt.date:
    nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str  # a datasets.models.PeriodKind value
    start: dt.date
    end: dt.date
    label: str


FY_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def parse_period(text: str) -> Period | None:
    """YYYY-MM (month), YYYY (calendar year), YYYY-YY (financial year April–March,
    e.g. 2015-16), YYYY-Qn (calendar quarter)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return Period("calendar_year", dt.date(year, 1, 1), dt.date(year, 12, 31), text)
    match = QUARTER_RE.match(text)
    if match:
        year, quarter = int(match.group(1)), int(match.group(2))
        start = dt.date(year, 3 * quarter - 2, 1)
        return Period("quarter", start, month_end(dt.date(year, 3 * quarter, 1)),
                      f"{year}-Q{quarter}")
    match = FY_RE.match(text)
    if match:
        year, tail = int(match.group(1)), int(match.group(2))
        if tail == (year + 1) % 100:
            return Period("financial_year", dt.date(year, 4, 1), dt.date(year + 1, 3, 31), text)
        month = parse_month(text)
        if month:
            return Period("month", month, month_end(month), text)
    return None


def parse_decimal(text: str) -> Decimal | None:
    """A finite decimal (``1,234.5`` allowed), else None: never NaN or infinity, and
    not ``1_000`` (Python's Decimal reads underscores; people do not write them)."""
    text = text.strip().replace(",", "")
    if "_" in text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_count(text: str) -> int | None:
    """A non-negative whole number (``12`` or ``12.0``), else None."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    value = parse_decimal(text)
    if value is None or value < 0 or value != value.to_integral_value():
        return None
    return int(value)


# --- reading rows -------------------------------------------------------------------


@dataclass
class RowSource:
    """The header, an iterator of (file row number, cells) for the data rows, and how
    far through the file the iterator is (0 to 1: bytes for CSV, rows for XLSX)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    fraction_read: Callable[[], float]


class _CountingReader(io.RawIOBase):
    """Wraps a binary stream and counts bytes read (for progress by bytes)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def open_rows(stream: BinaryIO, *, allow_xlsx: bool) -> RowSource:
    """Rows of a CSV (UTF-8, with or without BOM) or, if allowed, an XLSX workbook."""
    head = stream.read(4)
    stream.seek(0)
    if not head:
        raise FileRejected("The file is empty.")
    if head == XLSX_MAGIC:
        if not allow_xlsx:
            raise FileRejected("This format must be a CSV file, not a spreadsheet.")
        return _xlsx_rows(stream)
    return _csv_rows(stream)


def _stream_size(stream: BinaryIO) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _csv_rows(stream: BinaryIO) -> RowSource:
    size = _stream_size(stream)
    counter = _CountingReader(stream)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 20), encoding="utf-8-sig",
                            errors="strict", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise FileRejected("The file is empty.") from None
    except UnicodeDecodeError:
        raise FileRejected("The file is not UTF-8 text (wrong encoding). Save it as "
                           "“CSV UTF-8” and upload it again.") from None
    except csv.Error as exc:
        raise FileRejected(f"Row 1: not a readable CSV file ({exc}).") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for row in reader:
                yield reader.line_num, row
        except UnicodeDecodeError:
            raise FileRejected(
                f"The file is not UTF-8 text (wrong encoding) from about row "
                f"{reader.line_num + 1}. Save it as “CSV UTF-8” and upload it again."
            ) from None
        except csv.Error as exc:
            raise FileRejected(f"Row {reader.line_num}: not a readable CSV row ({exc}).") from None

    return RowSource([h.strip() for h in header], rows(),
                     lambda: min(1.0, counter.count / size) if size else 0.0)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value).strip()


def _xlsx_rows(stream: BinaryIO) -> RowSource:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
        raise FileRejected(f"The spreadsheet cannot be read ({type(exc).__name__}).") from None
    if len(workbook.sheetnames) != 1:
        raise FileRejected(
            f"The workbook has {len(workbook.sheetnames)} sheets; upload a workbook with "
            "exactly one sheet."
        )
    sheet = workbook[workbook.sheetnames[0]]
    # The sheet's recorded dimension (Excel, LibreOffice and openpyxl write it) gives
    # the total for progress; without it progress shows rows read only.
    total_rows = sheet.max_row or 0
    iterator = sheet.iter_rows()
    formula_cells: list[tuple[int, str]] = []
    position = {"row": 1}

    def texts(cells, number: int) -> list[str]:
        out = []
        for cell in cells:
            if getattr(cell, "data_type", None) == "f":
                formula_cells.append((number, getattr(cell, "coordinate", "?")))
                out.append("")
            else:
                out.append(_cell_text(cell.value))
        while out and out[-1] == "":
            out.pop()
        return out

    try:
        header_cells = next(iterator)
    except StopIteration:
        workbook.close()
        raise FileRejected("The spreadsheet is empty.") from None
    header = texts(header_cells, 1)
    if formula_cells:
        raise FileRejected("Row 1: the header contains formulas; paste values only.")

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, cells in enumerate(iterator, start=2):
                position["row"] = number
                values = texts(cells, number)
                if formula_cells:
                    row, where = formula_cells.pop()
                    formula_cells.clear()
                    yield row, ["\x00formula", where]
                    continue
                if any(values):
                    yield number, values
        finally:
            workbook.close()

    def fraction() -> float:
        return min(1.0, position["row"] / total_rows) if total_rows else 0.0

    return RowSource(header, rows(), fraction)


def formula_marker(row: list[str]) -> str | None:
    """XLSX rows with a formula cell arrive as a marker (see ``_xlsx_rows``)."""
    if len(row) == 2 and row[0] == "\x00formula":
        return row[1]
    return None


def check_header(header: list[str], expected: list[str], problems: Problems) -> bool:
    """Exact expected columns (case-insensitive, surrounding spaces ignored)."""
    got = [h.strip().lower() for h in header]
    want = [e.lower() for e in expected]
    if got == want:
        return True
    missing = [e for e in expected if e.lower() not in got]
    extra = [h for h in header if h.strip().lower() not in want]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("unexpected " + ", ".join(extra))
    if not parts:
        parts.append("columns in the wrong order")
    problems.add(1, "header", f"Wrong header ({'; '.join(parts)}). Expected: "
                 + ",".join(expected))
    return False
