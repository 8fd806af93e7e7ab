"""Demo data of the datasets app for the Safer Maidstone Partnership.

Real figures (shared/demo): the 26 wards, their 8 clusters (urban/rural) and
approximate populations (derived from published rates); the 10 real LSOA codes
seen in Kent's police.uk files; the partnership's indicator series (loaded through
the real import service, so the demo exercises the upload path).

Made up, and marked so: ward codes (``DEMO-W01``…, ``is_demo_code``; the ONS codes
are not in the demo data), three demo LSOAs per ward (``DEMO-W01-A``…), and a
seeded, clearly synthetic police.uk file for 2021–2022 whose yearly totals per
ward follow the published recorded-crime figures. The 10 real LSOAs' wards are
not known here (the ONS LSOA→ward lookup is the real source), so they sit in a
ward "Unassigned LSOAs (demo)" directly under the district.

Idempotent: reference data is upserted, and a file whose SHA-256 was already
imported for the partnership is not imported again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from datasets.models import (
    Area,
    AreaLevel,
    Category,
    CategoryMapping,
    Improvement,
    IndicatorSeries,
    PeriodKind,
    Population,
    Source,
    Upload,
    UploadStatus,
)
from datasets.reference_defaults import REPORTING_GROUPS
from smp.demo import demo_dir, upsert
from smp.models import Partnership

POPULATION_SOURCE = "Approximate: derived from published crime rates per 1,000 (demo)"
CRIME_SHARES = [  # police.uk crime type, share of recorded crime (illustrative)
    ("Violence and sexual offences", 0.42), ("Criminal damage and arson", 0.10),
    ("Other theft", 0.08), ("Shoplifting", 0.08), ("Public order", 0.09),
    ("Vehicle crime", 0.06), ("Burglary", 0.05), ("Drugs", 0.03), ("Other crime", 0.03),
    ("Possession of weapons", 0.015), ("Bicycle theft", 0.01), ("Robbery", 0.01),
    ("Theft from the person", 0.015),
]
ASB_RATIO = 0.35  # ASB incidents per recorded crime (illustrative)
#: Which way is better for the published indicator series (the rest are neutral: more
#: MARAC cases or domestic abuse reports can mean more victims come forward).
DIRECTIONS = {
    "ASB incidents (Apr-Sep)": Improvement.DECREASE,
    "CPT anti-social behaviour complaints": Improvement.DECREASE,
    "Killed or seriously injured (KSI)": Improvement.DECREASE,
    "Youth offences": Improvement.DECREASE,
    "Public survey: feel safe in local area at night": Improvement.INCREASE,
    "Public survey: feel safe in local area in daytime": Improvement.INCREASE,
}


def load() -> Partnership:
    partnership = Partnership.objects.get(slug="maidstone")
    lsoas = _areas(partnership)
    _categories(partnership)
    officer = get_user_model().objects.filter(username="officer").first()
    _import(partnership, officer, "indicators", "other_indicators.csv",
            (demo_dir() / "other_indicators.csv").read_bytes())
    for name, improvement in DIRECTIONS.items():
        upsert(IndicatorSeries, {"partnership": partnership, "name": name},
               {"improvement": improvement})
    # "Annual number of needle finds (keep below 1,000)": under 83.3 a month.
    upsert(IndicatorSeries, {"partnership": partnership, "name": "Needle finds"},
           {"unit": "finds", "period_kind": PeriodKind.MONTH,
            "improvement": Improvement.DECREASE, "spc_target": Decimal("83.3")})
    _import(partnership, officer, "indicators", "needle_finds_monthly.csv",
            (demo_dir() / "needle_finds_monthly.csv").read_bytes(), series_name="Needle finds")
    _import(partnership, officer, "police_uk", "synthetic_police_uk_2021_2022.csv",
            synthetic_police_file(lsoas))
    return partnership


def _areas(partnership: Partnership) -> dict[str, list[tuple[str, int, int]]]:
    """Areas and populations; returns ward name → [(LSOA code, crimes 2021, 2022)]."""
    district = upsert(Area, {"partnership": partnership, "code": "E07000110"},
                      {"level": AreaLevel.DISTRICT, "name": "Maidstone", "parent": None})
    with open(demo_dir() / "maidstone_ward_crime_2021_2022.csv", encoding="utf-8") as f:
        wards = list(csv.DictReader(f))
    clusters = {}
    for row in wards:
        number = int(row["cluster"])
        if number not in clusters:
            clusters[number] = upsert(
                Area, {"partnership": partnership, "code": f"CL{number}"},
                {"level": AreaLevel.CLUSTER,
                 "name": f"Ward cluster {number} ({row['cluster_type']})",
                 "parent": district, "is_urban": row["cluster_type"] == "Urban"})
    lsoas: dict[str, list[tuple[str, int, int]]] = {}
    district_population = 0
    for index, row in enumerate(sorted(wards, key=lambda r: r["ward"]), start=1):
        ward = upsert(Area, {"partnership": partnership, "code": f"DEMO-W{index:02d}"},
                      {"level": AreaLevel.WARD, "name": row["ward"], "is_demo_code": True,
                       "parent": clusters[int(row["cluster"])]})
        population = int(row["approx_population"])
        district_population += population
        upsert(Population, {"area": ward, "year": 2021},
               {"population": population, "source": POPULATION_SOURCE})
        lsoas[row["ward"]] = []
        for letter in "ABC":
            code = f"DEMO-W{index:02d}-{letter}"
            upsert(Area, {"partnership": partnership, "code": code},
                   {"level": AreaLevel.LSOA, "name": f"{row['ward']} {letter} (demo)",
                    "is_demo_code": True, "parent": ward})
            lsoas[row["ward"]].append((code, int(row["crimes_2021"]) // 3,
                                       int(row["crimes_2022"]) // 3))
    upsert(Population, {"area": district, "year": 2021},
           {"population": district_population, "source": POPULATION_SOURCE})
    unassigned = upsert(Area, {"partnership": partnership, "code": "DEMO-WUNASSIGNED"},
                        {"level": AreaLevel.WARD, "name": "Unassigned LSOAs (demo)",
                         "is_demo_code": True, "parent": district})
    with open(demo_dir() / "maidstone_lsoas_seen.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            upsert(Area, {"partnership": partnership, "code": row["lsoa_code"]},
                   {"level": AreaLevel.LSOA, "name": row["lsoa_name"], "parent": unassigned})
            lsoas.setdefault("Unassigned", []).append((row["lsoa_code"], 60, 60))
    return lsoas


def _categories(partnership: Partnership) -> None:
    for order, (group_name, is_crime, children) in enumerate(REPORTING_GROUPS):
        group = upsert(Category, {"partnership": partnership, "name": group_name},
                       {"is_crime": is_crime, "order": order, "parent": None})
        for child_order, (child_name, source_names) in enumerate(children):
            child = upsert(Category, {"partnership": partnership, "name": child_name},
                           {"is_crime": is_crime, "order": child_order, "parent": group})
            for source_name in source_names:
                upsert(CategoryMapping, {"partnership": partnership, "source": Source.POLICE_UK,
                                         "source_name": source_name}, {"category": child})


def synthetic_police_file(lsoas: dict[str, list[tuple[str, int, int]]], seed: int = 2022) -> bytes:
    """A seeded police.uk file for 2021–2022: SYNTHETIC rows, realistic shape."""
    rng = random.Random(seed)
    types = [t for t, _ in CRIME_SHARES]
    weights = [w for _, w in CRIME_SHARES]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
                     "Location", "LSOA code", "LSOA name", "Crime type",
                     "Last outcome category", "Context"])
    for year, column in ((2021, 1), (2022, 2)):
        for month in range(1, 13):
            for ward in sorted(lsoas):
                for entry in lsoas[ward]:
                    code, yearly = entry[0], entry[column]
                    crimes = max(0, round(rng.gauss(yearly / 12, (yearly / 12) ** 0.5)))
                    for crime_type in rng.choices(types, weights=weights, k=crimes):
                        writer.writerow([f"{rng.getrandbits(256):064x}", f"{year}-{month:02d}",
                                         "Kent Police", "Kent Police", "", "",
                                         "On or near Synthetic Street", code, "", crime_type,
                                         "Investigation complete; no suspect identified", ""])
                    for _ in range(round(crimes * ASB_RATIO)):
                        writer.writerow(["", f"{year}-{month:02d}", "Kent Police", "Kent Police",
                                         "", "", "On or near Synthetic Street", code, "",
                                         "Anti-social behaviour", "", ""])
    return out.getvalue().encode("utf-8")


def _import(partnership, user, kind: str, name: str, content: bytes, series_name: str = ""):
    """Through the real upload path (store, task, import), once per file content."""
    from datasets.services.uploads import upload_create
    from datasets.tasks import import_upload

    digest = hashlib.sha256(content).hexdigest()
    if Upload.objects.filter(partnership=partnership, sha256=digest,
                             status=UploadStatus.SUCCEEDED).exists():
        return
    upload = upload_create(partnership=partnership, kind=kind, user=user,
                           file=ContentFile(content, name=name), series_name=series_name,
                           enqueue=False)
    import_upload(upload.pk)  # the task body, in-process
    upload.refresh_from_db()
    if upload.status != UploadStatus.SUCCEEDED:
        raise RuntimeError(f"demo import of {name} failed: {upload.errors[:3]} {upload.error}")
