"""Reference data from CSV: all rows or none, with row-level problems."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.models import Area, Category, CategoryMapping, Population
from datasets.services.reference import reference_import
from tests.datasets.factories import csv_bytes


def _file(header, rows):
    return SimpleUploadedFile("r.csv", csv_bytes(header, rows))


AREAS = "level,code,name,parent_code,is_urban,valid_from,valid_to"


def test_it_imports_an_area_hierarchy_and_updates_on_a_second_run(partnership):
    rows = [["district", "E07000110", "Maidstone", "", "", "", ""],
            ["cluster", "CL1", "Cluster 1", "E07000110", "urban", "", ""],
            ["ward", "E05000001", "High Street", "CL1", "", "2019-05-02", ""]]
    result = reference_import(partnership=partnership, kind="areas", file=_file(AREAS, rows))
    assert result.ok and result.created == 3
    ward = Area.objects.get(code="E05000001")
    assert ward.parent.code == "CL1" and ward.parent.is_urban
    rows[2][2] = "High Street (new)"
    result = reference_import(partnership=partnership, kind="areas", file=_file(AREAS, rows))
    assert result.updated == 1 and result.created == 0


def test_a_file_with_one_bad_row_imports_nothing(partnership):
    rows = [["district", "E07000110", "Maidstone", "", "", "", ""],
            ["ward", "E05000001", "High Street", "NOPE", "", "", ""]]
    result = reference_import(partnership=partnership, kind="areas", file=_file(AREAS, rows))
    assert not result.ok
    assert result.problems[0].row == 3 and result.problems[0].column == "parent_code"
    assert not Area.objects.exists()


def test_it_imports_populations_categories_and_mappings(partnership):
    reference_import(partnership=partnership, kind="areas",
                     file=_file(AREAS, [["ward", "E05000001", "High Street", "", "", "", ""]]))
    assert reference_import(partnership=partnership, kind="populations", file=_file(
        "area_code,year,population,source", [["E05000001", "2021", "11930", "ONS"]])).ok
    assert Population.objects.get().population == 11930
    assert reference_import(partnership=partnership, kind="categories", file=_file(
        "group,category,is_crime,order", [["Victim Based Crime", "Robbery", "yes", "1"],
                                          ["Anti-social behaviour", "ASB", "no", "1"]])).ok
    assert Category.objects.get(name="Robbery").parent.name == "Victim Based Crime"
    assert not Category.objects.get(name="ASB").is_crime
    assert reference_import(partnership=partnership, kind="mappings", file=_file(
        "source,source_name,category", [["police_uk", "Robbery", "Robbery"]])).ok
    assert CategoryMapping.objects.get().category.name == "Robbery"


def test_formula_cells_are_rejected(partnership):
    result = reference_import(partnership=partnership, kind="areas",
                              file=_file(AREAS, [["ward", "X", "=cmd()", "", "", "", ""]]))
    assert not result.ok and "formula" in result.problems[0].reason
