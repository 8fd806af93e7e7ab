"""Benchmark: import a 1,000,000-row police.uk file into PostgreSQL end to end, and
time COPY of the same file into a bare unindexed table (the floor for writing the
data once). Then re-import the same file (every month replaced).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smp_bench \\
        python bench/import_police_uk.py [--rows 1000000] [--file FILE]

The database is created if missing and migrated; the benchmark partnership's
data is reset first. Prints both timings, the ratios and peak memory (max RSS of
this process, which includes Django itself).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")  # noqa: S105


def setup_reference():
    from bench.generate_police_uk import lsoa_codes
    from datasets.models import Area, AreaLevel, Category, CategoryMapping, Source
    from datasets.reference_defaults import REPORTING_GROUPS
    from smp.models import Partnership

    partnership, _ = Partnership.objects.get_or_create(slug="bench",
                                                       defaults={"name": "Benchmark"})
    if not Area.objects.filter(partnership=partnership).exists():
        district = Area.objects.create(partnership=partnership, level=AreaLevel.DISTRICT,
                                       code="E07999999", name="Bench district")
        clusters = [Area.objects.create(partnership=partnership, level=AreaLevel.CLUSTER,
                                        code=f"CL{i}", name=f"Cluster {i}", parent=district)
                    for i in range(8)]
        wards = [Area.objects.create(partnership=partnership, level=AreaLevel.WARD,
                                     code=f"E0599{i:04d}", name=f"Ward {i}",
                                     parent=clusters[i % 8]) for i in range(50)]
        Area.objects.bulk_create([
            Area(partnership=partnership, level=AreaLevel.LSOA, code=code, name=code,
                 parent=wards[i % 50]) for i, code in enumerate(lsoa_codes())
        ])
        for order, (group_name, is_crime, children) in enumerate(REPORTING_GROUPS):
            group = Category.objects.create(partnership=partnership, name=group_name,
                                            is_crime=is_crime, order=order)
            for child_name, names in children:
                child = Category.objects.create(partnership=partnership, name=child_name,
                                                parent=group, is_crime=is_crime)
                for name in names:
                    CategoryMapping.objects.create(partnership=partnership,
                                                   source=Source.POLICE_UK, source_name=name,
                                                   category=child)
    return partnership


def reset(partnership) -> None:
    from django.db import connection

    from datasets.models import (
        MonthlyCount,
        PoliceRecord,
        RecalculationRun,
        TrendSeries,
        TrendsTouched,
        Upload,
        UploadMonth,
    )

    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {PoliceRecord._meta.db_table}, {UploadMonth._meta.db_table}")
    MonthlyCount.objects.filter(partnership=partnership).delete()
    Upload.objects.filter(partnership=partnership).delete()
    # Stored trend results too, so the first recalculation computes every series.
    TrendSeries.objects.filter(partnership=partnership).delete()
    TrendsTouched.objects.filter(partnership=partnership).delete()
    RecalculationRun.objects.filter(partnership=partnership).delete()
    with connection.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {PoliceRecord._meta.db_table}")
        cur.execute(f"VACUUM ANALYZE {MonthlyCount._meta.db_table}")


def copy_floor(path: str) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy_floor")
        cur.execute("CREATE TABLE bench_copy_floor (crime_id text, month text, reported_by text, "
                    "falls_within text, longitude text, latitude text, location text, "
                    "lsoa_code text, lsoa_name text, crime_type text, outcome text, "
                    "context text)")
    start = time.perf_counter()
    with connection.cursor() as cur, open(path, encoding="utf-8") as f:
        cur.copy_expert("COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)", f)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_copy_floor")
    return elapsed


def run_import(partnership, path: str):
    """Time the import alone. The trend recalculation it enqueues on commit runs on a
    Celery worker in production, so it is held here and timed separately by
    ``run_recalculation`` (without a broker it would otherwise run inline)."""
    from unittest import mock

    from django.core.files import File

    from datasets import tasks
    from datasets.services.uploads import upload_create, upload_import

    with open(path, "rb") as f:
        upload = upload_create(partnership=partnership, kind="police_uk",
                               file=File(f, name=Path(path).name), user=None, enqueue=False)
    with mock.patch.object(tasks.recalculate_for_upload, "delay") as enqueued:
        start = time.perf_counter()
        upload_import(upload=upload)
        elapsed = time.perf_counter() - start
    if enqueued.call_args_list != [mock.call(upload.id)]:
        sys.exit(f"expected the recalculation to be enqueued once, got {enqueued.call_args_list}")
    upload.refresh_from_db()
    return elapsed, upload


def run_recalculation(upload) -> float:
    """What the worker does next: recalculate the series the upload touched."""
    from datasets.tasks import recalculate_for_upload

    start = time.perf_counter()
    recalculate_for_upload(upload.id)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="police.uk import benchmark")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", help="existing file (else generated under /tmp)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is created if missing).")
    from bench.common import ensure_database

    ensure_database(url)
    path = args.file or f"/tmp/smp_bench_police_{args.rows}.csv"
    if not os.path.exists(path):
        print(f"Generating {args.rows:,} rows into {path} …", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_police_uk.py"), path,
                        "--rows", str(args.rows)], check=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    partnership = setup_reference()
    reset(partnership)
    floor = copy_floor(path)
    first, upload = run_import(partnership, path)
    rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if upload.status != "succeeded":
        sys.exit(f"import {upload.status}: {upload.errors[:5]} {upload.error}")
    recalc_first = run_recalculation(upload)
    again, upload2 = run_import(partnership, path)
    recalc_again = run_recalculation(upload2)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = os.path.getsize(path) / 1e6
    print(f"file: {path} ({size_mb:,.0f} MB, {upload.summary['rows_read']:,} rows, "
          f"{upload.summary['count_rows']:,} monthly-count rows written)")
    print(f"COPY into a bare unindexed table: {floor:6.2f} s")
    print(f"end-to-end import:                {first:6.2f} s  ({first / floor:.2f}× COPY)")
    print(f"re-import (all months replaced):  {again:6.2f} s  ({again / first:.2f}× first "
          f"import; replaced {upload2.summary['replaced_records']:,} records)")
    print(f"then, on the worker: trend recalculation of the touched series {recalc_first:.2f} s "
          f"(first import), {recalc_again:.2f} s (re-import: unchanged series skipped)")
    print(f"phases (s): first {upload.summary.get('seconds')}, "
          f"re-import {upload2.summary.get('seconds')}")
    print(f"peak memory (max RSS of this process): {rss_first:,.0f} MB after the first "
          f"import, {rss:,.0f} MB at the end (including the recalculations)")


if __name__ == "__main__":
    main()
