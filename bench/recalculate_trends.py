"""Benchmark: full and incremental trend recalculation on a force-sized data set.

Builds 10 districts × 5 clusters × 6 wards (300 wards + 60 clusters/districts),
14 categories and 120 months of counts (5,040 series, 604,800 MonthlyCount rows,
inserted with COPY), then times, end to end (read, compute, store):

1. the first full recalculation (nothing stored yet),
2. a forced full recalculation (every series recomputed and upserted),
3. a full recalculation with nothing changed (every series skipped by fingerprint),
4. the incremental recalculation after one quarter's upload for one district: a
   district-sized partnership (1 district × 5 clusters × 6 wards, 504 series, 120 months)
   receives its next quarter. An upload is the complete picture of its months for its
   partnership (areas without rows had zero), so every series of that partnership moves
   to the new period end and is recalculated;
5. for scale, the same quarter arriving for the force-sized partnership (every one of its
   5,040 series moves on).

Usage (a benchmark, not a test; PostgreSQL only, because it loads with COPY)::

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_trends_bench \\
        .venv/bin/python bench/recalculate_trends.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

from bench.common import ensure_database  # noqa: E402

if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    ensure_database(os.environ["DATABASE_URL"])  # created if missing, migrated below
django.setup()

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from datasets.models import (  # noqa: E402
    Area,
    AreaLevel,
    Category,
    MonthlyCount,
    Population,
    TrendSeries,
    TrendsTouched,
)
from datasets.models.trends import add_months  # noqa: E402
from datasets.services.trends import (  # noqa: E402
    trends_recalculate_for_upload,
    trends_recalculate_partnership,
)
from smp.models import Partnership  # noqa: E402

SLUG = "bench-force"
DISTRICT_SLUG = "bench-district"
DISTRICTS, CLUSTERS, WARDS, CATEGORIES, MONTHS = 10, 5, 6, 14, 120
START = dt.date(2014, 1, 1)


def reset(slug: str) -> None:
    """Remove an earlier run's bench partnership (areas are PROTECTed: delete in order)."""
    old = Partnership.objects.filter(slug=slug).first()
    if old is None:
        return
    with connection.cursor() as cursor:
        for sql in (
            "DELETE FROM datasets_monthlycount WHERE partnership_id = %s",
            "DELETE FROM datasets_stepchange WHERE series_id IN "
            "(SELECT id FROM datasets_trendseries WHERE partnership_id = %s)",
            "DELETE FROM datasets_trendperiodresult WHERE series_id IN "
            "(SELECT id FROM datasets_trendseries WHERE partnership_id = %s)",
            "DELETE FROM datasets_trendseries WHERE partnership_id = %s",
            "DELETE FROM datasets_trendstouched WHERE partnership_id = %s",
            "DELETE FROM datasets_recalculationrun WHERE partnership_id = %s",
            "DELETE FROM datasets_population WHERE area_id IN "
            "(SELECT id FROM datasets_area WHERE partnership_id = %s)",
        ):
            cursor.execute(sql, [old.pk])
        for level in ("ward", "cluster", "district"):
            cursor.execute(
                "DELETE FROM datasets_area WHERE partnership_id = %s AND level = %s",
                [old.pk, level],
            )
        cursor.execute("DELETE FROM datasets_category WHERE partnership_id = %s", [old.pk])
    Partnership.objects.filter(pk=old.pk).delete()


def build(slug: str = SLUG, districts_n: int = DISTRICTS) -> tuple[Partnership, list[Area]]:
    """A fresh partnership with the area tree, categories, populations and counts."""
    reset(slug)
    partnership = Partnership.objects.create(name=f"Bench {slug}", slug=slug, district="Bench")
    categories = Category.objects.bulk_create(
        [Category(partnership=partnership, name=f"Category {i}") for i in range(CATEGORIES)]
    )
    districts = Area.objects.bulk_create(
        [Area(partnership=partnership, level=AreaLevel.DISTRICT, code=f"D{d}", name=f"District {d}")
         for d in range(districts_n)]
    )
    clusters = Area.objects.bulk_create(
        [Area(partnership=partnership, level=AreaLevel.CLUSTER, code=f"C{d}-{c}",
              name=f"Cluster {d}-{c}", parent=district)
         for d, district in enumerate(districts) for c in range(CLUSTERS)]
    )
    wards = Area.objects.bulk_create(
        [Area(partnership=partnership, level=AreaLevel.WARD, code=f"W{cluster.code}-{w}",
              name=f"Ward {cluster.code}-{w}", parent=cluster)
         for cluster in clusters for w in range(WARDS)]
    )
    Population.objects.bulk_create(
        [Population(area=area, year=year, population=8000 + 37 * i)
         for i, area in enumerate(wards) for year in (2020, 2022)]
    )
    rng = np.random.default_rng(4)
    ward_counts = rng.poisson(rng.uniform(2, 40, (len(wards), CATEGORIES, 1)),
                              (len(wards), CATEGORIES, MONTHS))
    counts = {ward.pk: ward_counts[i] for i, ward in enumerate(wards)}
    for cluster in clusters:
        counts[cluster.pk] = sum(counts[w.pk] for w in wards if w.parent_id == cluster.pk)
    for district in districts:
        counts[district.pk] = sum(
            counts[c.pk] for c in clusters if c.parent_id == district.pk
        )
    months = [add_months(START, m).isoformat() for m in range(MONTHS)]
    buffer = io.StringIO()
    for area_id, matrix in counts.items():
        for c, category in enumerate(categories):
            row = matrix[c]
            for m in range(MONTHS):
                buffer.write(
                    f"{partnership.pk}\tpolice_uk\t{area_id}\t{category.pk}\t{months[m]}\t{row[m]}\n"
                )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY datasets_monthlycount (partnership_id, source, area_id, category_id, month, "
            "count) FROM STDIN",
            buffer,
        )
        # Earlier runs deleted hundreds of thousands of rows: vacuum now so that
        # autovacuum does not run (and compete for the disk) during the timed steps.
        for table in ("datasets_monthlycount", "datasets_trendseries",
                      "datasets_trendperiodresult", "datasets_stepchange"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return partnership, districts


def upload_quarter(partnership: Partnership, district: Area) -> list[dt.date]:
    """One district's next quarter: three new months for the district, its clusters and
    wards (1 + 5 + 30 areas × 14 categories)."""
    areas = [district, *Area.objects.filter(parent=district)]
    areas += list(Area.objects.filter(parent__parent=district))
    months = [add_months(START, MONTHS + i) for i in range(3)]
    rows = [
        MonthlyCount(partnership=partnership, source="police_uk", area=area, category=category,
                     month=month, count=7)
        for area in areas
        for category in Category.objects.filter(partnership=partnership)
        for month in months
    ]
    MonthlyCount.objects.bulk_create(rows)
    return months


def timed(label: str, func):
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    print(f"{label:<58} {elapsed:6.2f} s")
    return result


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The benchmark loads with COPY: set DATABASE_URL to a PostgreSQL database.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    partnership, districts = timed("build (areas, populations, counts by COPY)", build)
    rows = MonthlyCount.objects.filter(partnership=partnership).count()
    print(f"  {rows:,} monthly counts")
    run = timed(
        "1. full recalculation, nothing stored yet",
        lambda: trends_recalculate_partnership(partnership_id=partnership.pk),
    )
    print(f"  {run.message}")
    run = timed(
        "2. full recalculation, forced (every series recomputed)",
        lambda: trends_recalculate_partnership(partnership_id=partnership.pk, force=True),
    )
    print(f"  {run.message}")
    run = timed(
        "3. full recalculation, nothing changed (all skipped)",
        lambda: trends_recalculate_partnership(partnership_id=partnership.pk),
    )
    print(f"  {run.message}")

    district_partnership, (district,) = build(DISTRICT_SLUG, 1)
    trends_recalculate_partnership(partnership_id=district_partnership.pk)
    quarter("4. one district's partnership (504 series) gets its next quarter:",
            district_partnership, [district], 999_001)
    quarter("5. the force-sized partnership (5,040 series) gets its next quarter:",
            partnership, districts, 999_002)
    print(f"  {TrendSeries.objects.filter(partnership=partnership).count():,} stored series")


def quarter(label: str, partnership: Partnership, districts: list[Area], upload_id: int) -> None:
    print(label)
    started = time.perf_counter()
    with transaction.atomic():
        for district in districts:
            months = upload_quarter(partnership, district)
        # what trends_mark_touched records; the task it enqueues is run below, in-process
        TrendsTouched.objects.create(
            upload_id=upload_id, partnership=partnership, source="police_uk",
            month_from=months[0], month_to=months[-1],
        )
    print(f"   (insert the quarter: {time.perf_counter() - started:.2f} s, not counted)")
    runs = timed(
        "   incremental recalculation (recalculate_for_upload)",
        lambda: trends_recalculate_for_upload(upload_id=upload_id),
    )
    print(f"  {runs[0].message}")


if __name__ == "__main__":
    main()
