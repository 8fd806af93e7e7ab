"""Indicator values (CSV or XLSX) for the action plans' indicators.

Two shapes:

* long: ``indicator, period, value[, unit, note]`` (one series per indicator name);
* two columns: ``month, <value column>`` (``needle_finds_monthly.csv``), the series
  named on the upload form or derived from the value column's header.

Periods: ``YYYY-MM`` (month), ``YYYY`` (calendar year), ``YYYY-YY`` (financial
year, 2015-16), ``YYYY-Qn`` (quarter). An empty value is a gap, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from datasets.importers.common import (
    FileRejected,
    Period,
    Problems,
    ProgressCallback,
    check_formulas,
    formula_marker,
    open_rows,
    parse_decimal,
    parse_period,
)

LONG_HEADER = ["indicator", "period", "value", "unit", "note"]
# Column widths of IndicatorSeries (characters) and the largest value stored.
MAX_NAME, MAX_UNIT = 250, 60
MAX_VALUE = Decimal("1e10")


@dataclass(frozen=True)
class IndicatorRow:
    series: str
    period: Period
    value: Decimal
    unit: str
    note: str


@dataclass
class IndicatorResult:
    rows_read: int = 0
    rows: list[IndicatorRow] = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)  # (series, period label)
    period_kinds: dict[str, str] = field(default_factory=dict)


def series_name_from_header(column: str) -> str:
    """``needle_finds`` → ``Needle finds``."""
    text = column.strip().replace("_", " ")
    return text[:1].upper() + text[1:]


def validate(
    stream: BinaryIO,
    *,
    problems: Problems,
    series_name: str = "",
    existing_kinds: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> IndicatorResult:
    """``existing_kinds``: series name → period kind of series already stored (a
    series keeps one period kind)."""
    existing_kinds = existing_kinds or {}
    result = IndicatorResult()
    try:
        source = open_rows(stream, allow_xlsx=True)
    except FileRejected as exc:
        problems.add(1, "", str(exc))
        return result
    header = [h.strip() for h in source.header]
    lowered = [h.lower() for h in header]
    if lowered[:3] == LONG_HEADER[:3] and len(header) <= 5 and lowered == LONG_HEADER[
            : len(header)]:
        two_column = False
    elif len(header) == 2 and lowered[0] in {"month", "period"} and header[1]:
        two_column = True
        series_name = series_name.strip() or series_name_from_header(header[1])
        if len(series_name) > MAX_NAME:
            problems.add(1, header[1], f"the series name {_too_long(series_name, MAX_NAME)}")
            return result
    else:
        problems.add(1, "header", "Wrong header. Expected “indicator,period,value,unit,note” "
                     "or two columns “month,<value name>”.")
        return result
    seen: dict[tuple[str, object], int] = {}
    try:
        for number, row in source.rows:
            result.rows_read += 1
            if progress and result.rows_read % 1000 == 0:
                progress(result.rows_read, source.fraction_read())
            where = formula_marker(row)
            if where:
                problems.add(number, where, "cell contains a formula; paste values only")
                continue
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header):
                problems.add(number, "", f"expected {len(header)} columns, found {len(row)}")
                continue
            row = row + [""] * (len(header) - len(row))
            if not check_formulas(row, header, number, problems):
                continue
            if two_column:
                name, period_text, value_text, unit, note = series_name, row[0], row[1], "", ""
                value_column = header[1]
            else:
                name, period_text, value_text = row[0].strip(), row[1], row[2]
                unit = row[3].strip() if len(row) > 3 else ""
                note = row[4].strip() if len(row) > 4 else ""
                value_column = "value"
                if not name:
                    problems.add(number, "indicator", "empty indicator name")
                    continue
                if len(name) > MAX_NAME:
                    problems.add(number, "indicator", _too_long(name, MAX_NAME))
                    continue
                if len(unit) > MAX_UNIT:
                    problems.add(number, "unit", _too_long(unit, MAX_UNIT))
                    continue
            period = parse_period(period_text)
            if period is None:
                problems.add(number, header[0] if two_column else "period",
                             f"“{period_text}” is not a period (YYYY-MM, YYYY, YYYY-YY or "
                             "YYYY-Qn)")
                continue
            kind = result.period_kinds.setdefault(name, existing_kinds.get(name, period.kind))
            if kind != period.kind:
                problems.add(number, header[0] if two_column else "period",
                             f"“{name}” holds {kind.replace('_', ' ')} values; "
                             f"“{period_text}” is a {period.kind.replace('_', ' ')}")
                continue
            key = (name, period.start)
            if key in seen:
                problems.add(number, "", f"duplicate of row {seen[key]} (same indicator and "
                             "period)")
                continue
            seen[key] = number
            if not value_text.strip():
                result.gaps.append((name, period.label))
                continue
            value = parse_decimal(value_text)
            if value is None:
                problems.add(number, value_column, f"“{value_text}” is not a number")
                continue
            if abs(value) >= MAX_VALUE:
                problems.add(number, value_column, f"{value_text} is too large (values must be "
                             "below 10,000,000,000)")
                continue
            result.rows.append(IndicatorRow(name, period, value, unit, note))
    except FileRejected as exc:
        problems.add(0, "", str(exc))
    if result.rows_read == 0 and not problems:
        problems.add(2, "", "The file has a header but no data rows.")
    if progress:
        progress(result.rows_read, source.fraction_read())
    return result


def _too_long(text: str, limit: int) -> str:
    return f"is {len(text):,} characters long; at most {limit} fit"
