"""Generate a realistic, seeded police.uk street-level CSV for benchmarks.

1,000 LSOAs (synthetic codes E0190xxxx), the 14 police.uk crime types with
realistic shares, 60 months; ASB rows with empty Crime ID and outcome (and
repeated identical ASB rows), "On or near " locations, ~2% empty coordinates,
~1% rows without an LSOA, empty Context. Usage:

    python bench/generate_police_uk.py OUT.csv [--rows 1000000] [--seed 42]
"""

from __future__ import annotations

import argparse
import csv
import random

CRIME_TYPES = [  # police.uk type, share, outcome
    ("Anti-social behaviour", 0.30, ""),
    ("Violence and sexual offences", 0.28, "Investigation complete; no suspect identified"),
    ("Criminal damage and arson", 0.07, "Unable to prosecute suspect"),
    ("Other theft", 0.06, "Investigation complete; no suspect identified"),
    ("Shoplifting", 0.06, "Offender given a caution"),
    ("Public order", 0.06, "Unable to prosecute suspect"),
    ("Vehicle crime", 0.04, "Investigation complete; no suspect identified"),
    ("Burglary", 0.035, "Under investigation"),
    ("Drugs", 0.025, "Local resolution"),
    ("Other crime", 0.015, "Awaiting court outcome"),
    ("Possession of weapons", 0.01, "Awaiting court outcome"),
    ("Bicycle theft", 0.01, "Investigation complete; no suspect identified"),
    ("Robbery", 0.01, "Under investigation"),
    ("Theft from the person", 0.01, "Investigation complete; no suspect identified"),
]
HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
          "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
STREETS = ["High Street", "Week Street", "Gabriel's Hill", "King Street", "London Road",
           "Tonbridge Road", "Sutton Road", "Parking Area", "Supermarket", "Park/Open Space",
           "Petrol Station", "Sports/Recreation Area", "Further/Higher Educational Building"]


def lsoa_codes(n: int = 1000) -> list[str]:
    return [f"E0190{i:04d}" for i in range(n)]


def months(n: int = 60, start_year: int = 2019) -> list[str]:
    return [f"{start_year + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def generate(path: str, rows: int = 1_000_000, seed: int = 42, n_lsoas: int = 1000,
             n_months: int = 60) -> None:
    rng = random.Random(seed)
    codes = lsoa_codes(n_lsoas)
    weights = [rng.paretovariate(1.5) for _ in codes]  # a few busy town-centre LSOAs
    types = [t for t, _, _ in CRIME_TYPES]
    shares = [s for _, s, _ in CRIME_TYPES]
    outcome = {t: o for t, _, o in CRIME_TYPES}
    month_list = months(n_months)
    coords = {c: (0.40 + rng.random() * 0.4, 51.10 + rng.random() * 0.2) for c in codes}
    lsoa_choice = rng.choices(codes, weights=weights, k=rows)
    type_choice = rng.choices(types, weights=shares, k=rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        previous = None
        for i in range(rows):
            month = month_list[i * n_months // rows]
            crime_type = type_choice[i]
            if previous is not None and crime_type == "Anti-social behaviour" and \
                    rng.random() < 0.05:
                writer.writerow(previous)  # identical ASB rows: separate incidents
                continue
            lsoa = lsoa_choice[i]
            r = rng.random()
            if r < 0.01:
                row = [f"{rng.getrandbits(256):064x}", month, "Kent Police", "Kent Police", "",
                       "", "No location", "", "", crime_type, outcome[crime_type], ""]
            else:
                x, y = coords[lsoa]
                lon, lat = ("", "") if r < 0.03 else (f"{x + rng.random() * 0.01:.6f}",
                                                      f"{y + rng.random() * 0.01:.6f}")
                crime_id = "" if crime_type == "Anti-social behaviour" else \
                    f"{rng.getrandbits(256):064x}"
                location = "On or near " if r > 0.995 else f"On or near {rng.choice(STREETS)}"
                row = [crime_id, month, "Kent Police", "Kent Police", lon, lat, location, lsoa,
                       f"Synthetic {lsoa[-4:]}", crime_type, outcome[crime_type], ""]
            writer.writerow(row)
            previous = row if crime_type == "Anti-social behaviour" else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    generate(args.out, rows=args.rows, seed=args.seed)


if __name__ == "__main__":
    main()
