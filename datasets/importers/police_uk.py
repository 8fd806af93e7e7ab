"""The police.uk street-level CSV: one row per crime or ASB incident.

Quirks honoured (they are in every real file): ASB rows have an empty Crime ID and
outcome, and identical ASB rows are separate incidents; ``Location`` may be "On or
near " with no street; coordinates may be empty; ``Context`` is usually empty; a
force-wide file contains LSOAs of other districts (counted and reported, not
errors); rows with no LSOA (no location) are counted and reported.

Bounds are checked so the database never refuses a row: Crime ID at most 100
characters, Location and Last outcome category at most 255, coordinates plain
finite decimals in range. An LSOA with a validity period (``Area.valid_from`` /
``valid_to``) only accepts rows for months inside it.

Speed: one tight loop per row with dict look-ups (months, LSOAs and categories
resolved once), bounds checked by length and comparison only (validity only for
the few LSOAs that have one), accepted rows written straight to a COPY-ready sink, counts
kept as int64 keys in an ``array`` (8 bytes a row) and summed with NumPy at the
end, Crime ID duplicates found by sorting 64-bit hashes. Memory stays flat
whatever the file size.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from datasets.importers.common import (
    FORMULA_START,
    FileRejected,
    MonthLimits,
    Problems,
    ProgressCallback,
    check_formulas,
    check_header,
    is_number,
    open_rows,
    outside_validity,
    parse_month,
)

HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]
LSOA_RE = re.compile(r"^[EW]01\d{6}$")
MONTH_BITS = 12  # month index in the low bits of a count key
CATEGORY_BITS = 20
PROGRESS_EVERY = 50_000
NULL = "\\N"
# Column widths of PoliceRecord (characters).
MAX_CRIME_ID, MAX_LOCATION, MAX_OUTCOME = 100, 255, 255


@dataclass
class PoliceResult:
    rows_read: int = 0
    accepted: int = 0
    months: list[dt.date] = field(default_factory=list)
    # (area id, category id, month) → count, as parallel NumPy arrays
    count_area: np.ndarray | None = None
    count_category: np.ndarray | None = None
    count_month: np.ndarray | None = None
    count_value: np.ndarray | None = None
    outside_area: Counter = field(default_factory=Counter)
    no_location: int = 0
    unmapped: Counter = field(default_factory=Counter)
    areas_covered: int = 0
    records_path: str = ""


def validate(
    stream: BinaryIO,
    *,
    lsoa_ids: dict[str, int],
    category_ids: dict[str, int],
    problems: Problems,
    lsoa_limits: dict[int, MonthLimits] | None = None,
    sink=None,
    prefix: tuple = (),
    progress: ProgressCallback | None = None,
) -> PoliceResult:
    """Check every row; write accepted rows to ``sink`` (a text file) as lines in
    PostgreSQL's COPY text format: ``prefix + (month, area id, category id, crime
    id, longitude, latitude, location, outcome, context)``. Rows go to the sink even
    when problems were found elsewhere: the caller discards the sink if
    ``problems`` is non-empty. ``lsoa_limits``: area id → first and last month the
    LSOA is valid for, only for LSOAs that have a validity period."""
    result = PoliceResult()
    try:
        source = open_rows(stream, allow_xlsx=False)
    except FileRejected as exc:
        problems.add(1, "", str(exc))
        return result
    header = source.header
    if not check_header(header, HEADER, problems):
        return result

    months: dict[str, int] = {}  # "2023-01" → index in month_list
    month_list: list[dt.date] = []
    keys = array("q")
    hashes = array("q")
    hash_rows = array("q")
    outside = result.outside_area
    unmapped = result.unmapped
    write = sink.write if sink is not None else None
    head = "\t".join(str(p) for p in prefix) + "\t" if prefix else ""
    month_heads: list[str] = []
    formula_start = FORMULA_START
    no_location = 0
    rows_read = 0
    lsoa_get = lsoa_ids.get
    cat_get = category_ids.get
    month_get = months.get
    limits = lsoa_limits or {}

    try:
        for number, row in source.rows:
            rows_read += 1
            if rows_read % PROGRESS_EVERY == 0 and progress:
                progress(rows_read, source.fraction_read())
            if len(row) != 12:
                if not any(row):
                    continue
                problems.add(number, "", f"expected 12 columns, found {len(row)}")
                continue
            (crime_id, month_text, _reported, _falls, lon, lat, location, lsoa, _lsoa_name,
             crime_type, outcome, context) = row
            for cell in row:
                if cell and cell[0] in formula_start:
                    check_formulas(row, header, number, problems)
                    break
            month_index = month_get(month_text)
            if month_index is None:
                month = parse_month(month_text)
                if month is None:
                    problems.add(number, "Month", f"“{month_text}” is not a month "
                                 "(expected YYYY-MM)")
                    continue
                month_index = len(month_list)
                month_list.append(month)
                month_heads.append(f"{head}{month.isoformat()}\t")
                months[month_text] = month_index
            if lon or lat:
                try:
                    x, y = float(lon), float(lat)
                except ValueError:
                    problems.add(number, "Longitude" if not _is_float(lon) else "Latitude",
                                 "coordinates must be numbers (or both empty)")
                    continue
                if not (-180.0 <= x <= 180.0 and -90.0 <= y <= 90.0):
                    _bad_coordinates(number, lon, lat, problems)
                    continue
                both = lon + lat  # float() also reads 1_0, 1e-999 and non-ASCII digits
                if "_" in both or "e" in both or "E" in both or not both.isascii():
                    _bad_coordinates(number, lon, lat, problems)
                    continue
            area = lsoa_get(lsoa)
            if area is None:
                if not lsoa:
                    no_location += 1
                elif LSOA_RE.match(lsoa):
                    outside[lsoa] += 1
                else:
                    problems.add(number, "LSOA code", f"“{lsoa}” is not an LSOA code "
                                 "(E01… or W01…)")
                continue
            if limits and area in limits:
                reason = outside_validity(lsoa, month_list[month_index], limits[area])
                if reason:
                    problems.add(number, "LSOA code", reason)
                    continue
            category = cat_get(crime_type)
            if category is None:
                if not crime_type:
                    problems.add(number, "Crime type", "empty crime type")
                else:
                    unmapped[crime_type] += 1
                continue
            if len(crime_id) > MAX_CRIME_ID or len(location) > MAX_LOCATION \
                    or len(outcome) > MAX_OUTCOME:
                _too_long(number, crime_id, location, outcome, problems)
                continue
            if crime_id:
                hashes.append(hash(crime_id))
                hash_rows.append(number)
            keys.append((area << (CATEGORY_BITS + MONTH_BITS)) | (category << MONTH_BITS)
                        | month_index)
            if write is not None:
                text = (f"{crime_id}\t{lon or NULL}\t{lat or NULL}\t{location}\t{outcome}"
                        f"\t{context}")
                if text.count("\t") != 5 or "\\" in text or "\n" in text or "\r" in text:
                    text = "\t".join((copy_escape(crime_id), lon or NULL, lat or NULL,
                                      copy_escape(location), copy_escape(outcome),
                                      copy_escape(context)))
                write(f"{month_heads[month_index]}{area}\t{category}\t{text}\n")
    except FileRejected as exc:
        problems.add(0, "", str(exc))
    result.rows_read = rows_read
    if progress:
        progress(rows_read, source.fraction_read())
    if rows_read == 0 and not problems:
        problems.add(2, "", "The file has a header but no data rows.")
    _find_duplicates(hashes, hash_rows, problems)
    result.no_location = no_location
    result.accepted = len(keys)
    result.months = sorted(month_list[i] for i in set(_month_indexes(keys)))
    _sum_counts(result, keys, month_list)
    return result


def copy_escape(text: str) -> str:
    """A value in PostgreSQL's COPY text format."""
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def copy_unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _bad_coordinates(number: int, lon: str, lat: str, problems: Problems) -> None:
    """Rare path: say which coordinate is wrong and why."""
    for column, text, bound in (("Longitude", lon, 180.0), ("Latitude", lat, 90.0)):
        if not is_number(text) or "e" in text.lower():
            problems.add(number, column, f"“{text}” is not a plain decimal number (e.g. 0.5221)")
            return
        if abs(float(text)) > bound:
            problems.add(number, column, f"{column.lower()} {text} is out of range "
                         f"(−{bound:g} to {bound:g})")
            return


def _too_long(number: int, crime_id: str, location: str, outcome: str,
              problems: Problems) -> None:
    for column, text, limit in (("Crime ID", crime_id, MAX_CRIME_ID),
                                ("Location", location, MAX_LOCATION),
                                ("Last outcome category", outcome, MAX_OUTCOME)):
        if len(text) > limit:
            problems.add(number, column, f"{len(text):,} characters; at most {limit} fit")


def _month_indexes(keys: array) -> np.ndarray:
    if not keys:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.frombuffer(keys, dtype=np.int64) & ((1 << MONTH_BITS) - 1))


def _sum_counts(result: PoliceResult, keys: array, month_list: list[dt.date]) -> None:
    values = np.frombuffer(keys, dtype=np.int64) if keys else np.empty(0, dtype=np.int64)
    unique, counts = np.unique(values, return_counts=True)
    result.count_area = unique >> (CATEGORY_BITS + MONTH_BITS)
    result.count_category = (unique >> MONTH_BITS) & ((1 << CATEGORY_BITS) - 1)
    month_index = unique & ((1 << MONTH_BITS) - 1)
    ordinals = np.array([m.toordinal() for m in month_list], dtype=np.int64)
    result.count_month = ordinals[month_index] if len(unique) else month_index
    result.count_value = counts.astype(np.int64)
    result.areas_covered = int(len(np.unique(result.count_area)))


def _find_duplicates(hashes: array, rows: array, problems: Problems) -> None:
    """Two rows with the same (non-empty) Crime ID. Identical ASB rows have no ID
    and are separate incidents, so they never count as duplicates."""
    if len(hashes) < 2:
        return
    values = np.frombuffer(hashes, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    dup = np.nonzero(ordered[1:] == ordered[:-1])[0]
    if not len(dup):
        return
    numbers = np.frombuffer(rows, dtype=np.int64)
    for i in dup[:1000]:
        first, again = numbers[order[i]], numbers[order[i + 1]]
        problems.add(int(again), "Crime ID", f"duplicate of the Crime ID on row {int(first)}")
    for _ in dup[1000:]:
        problems.add(0, "Crime ID", "duplicate Crime ID")
