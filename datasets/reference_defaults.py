"""The police.uk crime types and a standard set of reporting groups.

Used by the demo and offered to new partnerships as a starting point; the
partnership's real categories and mappings are reference data it can edit.
"""

from __future__ import annotations

# group, is_crime, [(category, [police.uk crime types mapped to it])]
REPORTING_GROUPS = [
    ("Victim Based Crime", True, [
        ("Violence against the person (incl. sexual offences)", ["Violence and sexual offences"]),
        ("Robbery", ["Robbery"]),
        ("Burglary", ["Burglary"]),
        ("Vehicle crime", ["Vehicle crime"]),
        ("Shoplifting", ["Shoplifting"]),
        ("Other theft", ["Other theft", "Bicycle theft", "Theft from the person"]),
        ("Criminal damage and arson", ["Criminal damage and arson"]),
    ]),
    ("Crimes Against Society", True, [
        ("Drug offences", ["Drugs"]),
        ("Possession of weapons", ["Possession of weapons"]),
        ("Public order offences", ["Public order"]),
        ("Miscellaneous crimes against society", ["Other crime"]),
    ]),
    ("Anti-social behaviour", False, [
        ("ASB incidents", ["Anti-social behaviour"]),
    ]),
]

POLICE_UK_CRIME_TYPES = sorted(
    name for _, _, categories in REPORTING_GROUPS for _, names in categories for name in names
)
