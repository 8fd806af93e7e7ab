"""Factories and small builders for the datasets tests."""

from __future__ import annotations

import csv
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.models import (
    Area,
    AreaLevel,
    Category,
    CategoryMapping,
    IndicatorSeries,
    PeriodKind,
    Population,
    Source,
)
from datasets.reference_defaults import REPORTING_GROUPS
from tests.factories import PartnershipFactory

POLICE_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                 "LSOA code,LSOA name,Crime type,Last outcome category,Context")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    partnership = factory.SubFactory(PartnershipFactory)
    level = AreaLevel.WARD
    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    area = factory.SubFactory(AreaFactory)
    year = 2022
    population = 10000


class IndicatorSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorSeries

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "incidents"
    period_kind = PeriodKind.MONTH



def build_reference(partnership) -> dict:
    """District → cluster → 2 wards → 2 LSOAs each; reporting groups with police.uk
    mappings. Returns the areas and categories by code/name."""
    district = AreaFactory(partnership=partnership, level=AreaLevel.DISTRICT, code="E07000110",
                           name="Maidstone")
    cluster = AreaFactory(partnership=partnership, level=AreaLevel.CLUSTER, code="CL1",
                          name="Cluster 1", parent=district, is_urban=True)
    areas = {"district": district, "cluster": cluster}
    for w in range(2):
        ward = AreaFactory(partnership=partnership, level=AreaLevel.WARD, code=f"E0500000{w}",
                           name=f"Ward {w}", parent=cluster)
        areas[ward.code] = ward
        for lsoa_index in range(2):
            code = f"E010000{w}{lsoa_index}"
            areas[code] = AreaFactory(partnership=partnership, level=AreaLevel.LSOA, code=code,
                                      name=f"Maidstone 00{w}{lsoa_index}", parent=ward)
    categories = {}
    for order, (group_name, is_crime, children) in enumerate(REPORTING_GROUPS):
        group = Category.objects.create(partnership=partnership, name=group_name,
                                        is_crime=is_crime, order=order)
        categories[group_name] = group
        for child_name, source_names in children:
            child = Category.objects.create(partnership=partnership, name=child_name,
                                            parent=group, is_crime=is_crime)
            categories[child_name] = child
            for source_name in source_names:
                CategoryMapping.objects.create(partnership=partnership, source=Source.POLICE_UK,
                                               source_name=source_name, category=child)
    return {"areas": areas, "categories": categories}


def police_row(month="2023-01", lsoa="E01000000", crime_type="Burglary", crime_id=None,
               lon="0.52", lat="51.27", location="On or near High Street", outcome="",
               context="") -> list[str]:
    if crime_id is None:
        crime_id = "" if crime_type == "Anti-social behaviour" else _next_id()
    return [crime_id, month, "Kent Police", "Kent Police", lon, lat, location, lsoa,
            "Maidstone 000A", crime_type, outcome, context]


_counter = {"n": 0}


def _next_id() -> str:
    _counter["n"] += 1
    return f"{_counter['n']:064x}"


def csv_bytes(header: str, rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    buffer.write(header + "\r\n")
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def police_file(rows: list[list[str]], name: str = "street.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(POLICE_HEADER, rows), content_type="text/csv")


def named_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
