"""The write half of an import, and its undo. Runs inside the caller's transaction.

Two small writers per table: COPY on PostgreSQL, ``executemany`` on SQLite; the
validation in front of them is the same code for both.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError

from datasets.importers.aggregate import AggregateResult
from datasets.importers.indicators import IndicatorResult
from datasets.importers.police_uk import NULL, PoliceResult, copy_unescape
from datasets.models import (
    AggregateRecord,
    IndicatorChange,
    IndicatorSeries,
    IndicatorValue,
    PoliceRecord,
    Upload,
    UploadKind,
    UploadMonth,
)
from datasets.services.counts import Counts, counts_replace

POLICE_COLUMNS = ["upload_id", "partnership_id", "month", "area_id", "category_id", "crime_id",
                  "longitude", "latitude", "location", "outcome", "context"]
POLICE_COPY_SQL = (f"COPY {PoliceRecord._meta.db_table} ({', '.join(POLICE_COLUMNS)}) "
                   "FROM STDIN WITH (FORMAT text)")
SQLITE_BATCH = 20_000


def write(upload: Upload, parsed) -> dict:
    if upload.kind == UploadKind.POLICE_UK:
        return _write_police(upload, parsed)
    if upload.kind == UploadKind.AGGREGATE:
        return _write_aggregate(upload, parsed)
    return _write_indicators(upload, parsed)


def _supersede(upload: Upload, months: list[dt.date], records: Counter) -> int:
    """Mark the months' current uploads superseded by this one; how many records
    that replaces."""
    current = UploadMonth.objects.filter(
        partnership_id=upload.partnership_id, source=upload.kind, month__in=months,
        superseded_by__isnull=True,
    )
    replaced = sum(current.values_list("records", flat=True))
    current.update(superseded_by=upload)
    UploadMonth.objects.bulk_create([
        UploadMonth(upload=upload, partnership_id=upload.partnership_id, source=upload.kind,
                    month=m, records=records.get(m, 0))
        for m in months
    ])
    return replaced


def _summary(rows_read: int, accepted: int, replaced: int, months: list[dt.date],
             areas: int, counts: dict, warnings: list[str]) -> dict:
    summary = {
        "rows_read": rows_read, "rows_accepted": accepted, "new_records": accepted,
        "replaced_records": replaced, "months": len(months),
        "period_start": months[0].isoformat() if months else None,
        "period_end": months[-1].isoformat() if months else None,
        "areas_covered": areas, **counts, "warnings": warnings,
    }
    if counts.get("small_counts"):
        warnings.append(
            f"{counts['small_counts']:,} of {counts['count_cells_above_lsoa']:,} monthly counts "
            f"for wards and larger areas are below {counts['small_number_threshold']}: "
            "percentage changes on them are unreliable (small numbers)."
        )
    return summary


def _write_police(upload: Upload, result: PoliceResult) -> dict:
    months = result.months
    per_month = Counter()
    if len(result.count_value):
        ordinals, sums = result.count_month, result.count_value
        for ordinal, value in zip(ordinals.tolist(), sums.tolist(), strict=True):
            per_month[dt.date.fromordinal(ordinal)] += value
    replaced = _supersede(upload, months, per_month)
    started = time.perf_counter()
    if not result.records_path:
        pass  # copied while the file was being checked (services.background_copy)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor, open(result.records_path, encoding="utf-8") as f:
            cursor.copy_expert(POLICE_COPY_SQL, f, 1 << 20)
    else:
        _insert_police_sqlite(result.records_path)
    copied = time.perf_counter()
    counts = counts_replace(
        partnership_id=upload.partnership_id, source=upload.kind, months=months,
        counts=Counts(result.count_area, result.count_category, result.count_month,
                      result.count_value),
    )
    warnings = []
    outside = sum(result.outside_area.values())
    if outside:
        top = ", ".join(code for code, _ in result.outside_area.most_common(5))
        warnings.append(f"{outside:,} rows are for {len(result.outside_area):,} LSOAs outside "
                        f"this partnership's areas (e.g. {top}); they were counted, not stored.")
    if result.no_location:
        warnings.append(f"{result.no_location:,} rows have no LSOA (no location); not stored.")
    for name, n in result.unmapped.most_common():
        warnings.append(f"{n:,} rows of crime type “{name}” have no category mapping; "
                        "add one under Reference data and upload again.")
    summary = _summary(result.rows_read, result.accepted, replaced, months,
                       result.areas_covered, counts, warnings)
    summary["seconds"] = {"records": round(copied - started, 2),
                          "counts": round(time.perf_counter() - copied, 2)}
    summary.update(outside_area_rows=outside, no_location_rows=result.no_location,
                   unmapped_rows=sum(result.unmapped.values()))
    return summary


def _insert_police_sqlite(path: str) -> None:
    table = PoliceRecord._meta.db_table
    sql = (f"INSERT INTO {table} ({', '.join(POLICE_COLUMNS)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(POLICE_COLUMNS))})")
    with connection.cursor() as cursor, open(path, encoding="utf-8", newline="\n") as f:
        batch = []
        for line in f:
            row = [None if v == NULL else copy_unescape(v) for v in line[:-1].split("\t")]
            row[6] = float(row[6]) if row[6] is not None else None
            row[7] = float(row[7]) if row[7] is not None else None
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _write_aggregate(upload: Upload, result: AggregateResult) -> dict:
    months = result.months
    per_month = Counter()
    for row in result.rows:
        per_month[row.month] += 1
    replaced = _supersede(upload, months, per_month)
    AggregateRecord.objects.bulk_create(
        [AggregateRecord(upload=upload, partnership_id=upload.partnership_id, month=r.month,
                         area_id=r.area_id, category_id=r.category_id, count=r.count)
         for r in result.rows], batch_size=5000,
    )
    counts = counts_replace(
        partnership_id=upload.partnership_id, source=upload.kind, months=months,
        counts=Counts.from_rows((r.area_id, r.category_id, r.month, r.count)
                                for r in result.rows),
    )
    areas = len({r.area_id for r in result.rows})
    return _summary(result.rows_read, len(result.rows), replaced, months, areas, counts, [])


def _write_indicators(upload: Upload, result: IndicatorResult) -> dict:
    series_by_name = {s.name: s for s in IndicatorSeries.objects.filter(
        partnership_id=upload.partnership_id, name__in={r.series for r in result.rows})}
    created = set()
    new = replaced = 0
    for row in result.rows:
        series = series_by_name.get(row.series)
        if series is None:
            series = IndicatorSeries.objects.create(
                partnership_id=upload.partnership_id, name=row.series, unit=row.unit,
                period_kind=row.period.kind,
            )
            series_by_name[row.series] = series
            created.add(series.pk)
        elif row.unit and not series.unit:
            series.unit = row.unit
            series.save(update_fields=["unit"])
        old = IndicatorValue.objects.filter(series=series, period_start=row.period.start).first()
        change = IndicatorChange(
            upload=upload, series=series, period_start=row.period.start,
            series_created=series.pk in created, had_value=old is not None,
            previous_value=old.value if old else None,
            previous_period_end=old.period_end if old else None,
            previous_label=old.label if old else "", previous_note=old.note if old else "",
        )
        value = old or IndicatorValue(series=series, period_start=row.period.start)
        value.period_end, value.label, value.value = row.period.end, row.period.label, row.value
        value.note, value.entered_by = row.note, upload.uploaded_by
        value.save()
        change.written_at = value.updated_at  # a later hand edit changes it
        change.save()
        if old is None:
            new += 1
        else:
            replaced += 1
    starts = sorted({r.period.start for r in result.rows})
    summary = _summary(result.rows_read, len(result.rows), replaced, starts,
                       0, {}, [])
    summary.update(
        new_records=new, series=sorted(series_by_name), series_created=len(created),
        gaps=[f"{name} {label}" for name, label in result.gaps],
        period_end=max(r.period.end for r in result.rows).isoformat() if result.rows else None,
    )
    if result.gaps:
        summary["warnings"].append(
            f"{len(result.gaps)} empty value(s) kept as gaps (no value, not zero): "
            + ", ".join(summary["gaps"][:10])
        )
    return summary


def unwrite(upload: Upload) -> dict:
    """Undo ``write``: delete the upload's rows, make what it superseded current again,
    recount the affected months."""
    if upload.kind == UploadKind.INDICATORS:
        return _unwrite_indicators(upload)
    months = list(upload.months.values_list("month", flat=True))
    UploadMonth.objects.filter(upload=upload).delete()
    restored = UploadMonth.objects.filter(superseded_by=upload).update(superseded_by=None)
    model = PoliceRecord if upload.kind == UploadKind.POLICE_UK else AggregateRecord
    deleted = model.objects.filter(upload=upload)._raw_delete(model.objects.db)
    counts = current_counts(upload.partnership_id, upload.kind, months)
    counts_replace(partnership_id=upload.partnership_id, source=upload.kind, months=months,
                   counts=counts)
    return {"records_removed": deleted, "months_restored": restored, "months": len(months)}


def current_counts(partnership_id: int, source: str, months: list[dt.date]) -> Counts:
    """Sum the records in force for ``months`` (set-based, in the database)."""
    if not months:
        return Counts.empty()
    if source == UploadKind.POLICE_UK:
        table, measure = PoliceRecord._meta.db_table, "COUNT(*)"
    else:
        table, measure = AggregateRecord._meta.db_table, "SUM(r.count)"
    placeholders = ", ".join(["%s"] * len(months))
    sql = (
        f"SELECT r.area_id, r.category_id, r.month, {measure} FROM {table} r "  # noqa: S608
        f"JOIN {UploadMonth._meta.db_table} m ON m.upload_id = r.upload_id AND m.month = r.month "
        f"WHERE m.partnership_id = %s AND m.source = %s AND m.superseded_by_id IS NULL "
        f"AND m.month IN ({placeholders}) GROUP BY r.area_id, r.category_id, r.month"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [partnership_id, source, *months])
        return Counts.from_rows(cursor.fetchall())


def _unwrite_indicators(upload: Upload) -> dict:
    """Restore what an indicator upload replaced and remove what it added, except
    values changed after it (a lead's hand entry or correction): those are kept and
    listed under ``kept``."""
    restored = removed = 0
    kept: list[dict] = []
    changes = list(upload.indicator_changes.select_related("series").order_by("-pk"))
    for change in changes:
        later = (IndicatorChange.objects.filter(
            series=change.series_id, period_start=change.period_start, upload__pk__gt=upload.pk,
            upload__status="succeeded",
        ).values_list("upload_id", flat=True).first())
        if later:
            raise ValidationError(
                f"Upload #{later} has since changed some of these values: roll it back first."
            )
    current = {(v.series_id, v.period_start): v for v in IndicatorValue.objects.filter(
        series__in={c.series_id for c in changes}).select_related("entered_by")}
    for change in changes:
        value = current.get((change.series_id, change.period_start))
        if value is None:
            if change.had_value:
                kept.append(_kept(change, None, "removed after this upload; not restored"))
            continue
        if _changed_since(change, value, upload):
            kept.append(_kept(change, value, "entered or corrected by hand after this "
                              "upload; kept, not overwritten"))
        elif change.had_value:
            value.value, value.period_end = change.previous_value, change.previous_period_end
            value.label, value.note = change.previous_label, change.previous_note
            value.save()
            restored += 1
        else:
            value.delete()
            removed += 1
    series_kept = []
    for series in {c.series_id: c.series for c in changes if c.series_created}.values():
        if series.values.exists():
            continue
        try:
            series.delete()
        except ProtectedError:
            series_kept.append(series.name)  # an action-plan indicator uses it
    return {"values_restored": restored, "values_removed": removed, "values_kept": len(kept),
            "kept": kept, "series_kept": series_kept}


def _changed_since(change: IndicatorChange, value: IndicatorValue, upload: Upload) -> bool:
    """Was the value saved again after the upload wrote it? Uploads before
    ``written_at`` was recorded fall back to the upload's finishing time."""
    if change.written_at is not None:
        return value.updated_at != change.written_at
    return upload.finished_at is not None and value.updated_at > upload.finished_at


def _kept(change: IndicatorChange, value: IndicatorValue | None, why: str) -> dict:
    who = value.entered_by if value is not None else None
    return {
        "series": change.series.name,
        "period": value.label if value is not None else change.previous_label,
        "value": f"{value.value.normalize():f}" if value is not None else "",
        "by": (who.get_full_name() or who.username) if who else "",
        "at": value.updated_at.isoformat() if value is not None else "",
        "reason": why,
    }
