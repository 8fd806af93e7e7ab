"""Reference-data pages: lists (sort, filter, pages, CSV export), forms with errors next
to fields, audit history, refused deletions, and the recount a hierarchy change needs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datasets.models import (
    Area,
    AreaLevel,
    CategoryMapping,
    MonthlyCount,
    PoliceRecord,
    Population,
    ReferenceJob,
    ReferenceJobStatus,
    TrendsTouched,
)
from datasets.services.reference import reference_import
from datasets.services.reference_jobs import TRENDS_KEY_OFFSET
from smp.models import Role
from tests.datasets.factories import (
    POLICE_HEADER,
    AreaFactory,
    PopulationFactory,
    csv_bytes,
    police_row,
)
from tests.datasets.helpers import import_file, table_counts


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def url(partnership, name, *args):
    return reverse(f"datasets:{name}", args=[partnership.slug, *args])


def _codes(response) -> list[str]:
    """The linked first column of the table, in the order shown."""
    return re.findall(r'<a href="/p/[^"]+/data/reference/\w+/\d+/">([^<]+)</a>',
                      response.content.decode())


def _import_police(partnership, officer, rows, capture):
    return import_file(partnership, officer, "police_uk", "street.csv",
                       csv_bytes(POLICE_HEADER, rows), capture)


def _count(area, category, month="2023-01-01"):
    row = MonthlyCount.objects.filter(area=area, category=category, month=month,
                                      source="police_uk").first()
    return row.count if row else None


# --- lists --------------------------------------------------------------------------


def test_the_area_list_sorts_filters_and_shows_25_a_page(signed_in, partnership, ref):
    ward = ref["areas"]["E05000000"]
    for i in range(30):
        AreaFactory(partnership=partnership, level=AreaLevel.LSOA, code=f"E0199{i:04d}",
                    name=f"Extra {i:02d}", parent=ward)
    page = url(partnership, "reference_list", "areas")
    by_code = _codes(signed_in.get(page, {"sort": "code"}))
    assert len(by_code) == 25 and by_code == sorted(by_code)
    assert _codes(signed_in.get(page, {"sort": "-code"}))[0] == "E07000110"
    assert len(_codes(signed_in.get(page, {"sort": "code", "page": 2}))) == 38 - 25
    assert _codes(signed_in.get(page))[:3] == ["E07000110", "CL1", "E05000000"]  # largest first
    assert sorted(_codes(signed_in.get(page, {"level": "ward"}))) == ["E05000000", "E05000001"]
    assert _codes(signed_in.get(page, {"q": "Ward 1"})) == ["E05000001"]
    inside = _codes(signed_in.get(page, {"parent": ref["areas"]["E05000001"].pk}))
    assert sorted(inside) == ["E01000010", "E01000011"]


@pytest.mark.parametrize("kind,query,expected", [
    ("populations", {"year": 2021}, ["E05000000"]),
    ("categories", {"q": "burg"}, ["Burglary"]),
    ("mappings", {"q": "Bicycle"}, ["Bicycle theft"]),
])
def test_each_list_filters(signed_in, partnership, ref, kind, query, expected):
    PopulationFactory(area=ref["areas"]["E05000000"], year=2021, population=11930)
    PopulationFactory(area=ref["areas"]["E05000001"], year=2022, population=9000)
    assert _codes(signed_in.get(url(partnership, "reference_list", kind), query)) == expected


@pytest.mark.parametrize("kind", ["areas", "populations", "categories", "mappings"])
def test_the_csv_export_imports_again_unchanged(signed_in, partnership, ref, kind):
    PopulationFactory(area=ref["areas"]["E05000000"], year=2021, population=11930,
                      source="ONS mid-2021")
    area = ref["areas"]["E05000001"]
    area.valid_from = dt.date(2019, 5, 2)
    area.save()
    response = signed_in.get(url(partnership, "reference_list", kind),
                             {"export": "csv", "sort": "-name"})
    disposition = f'attachment; filename="{kind}-{partnership.slug}.csv"'
    assert response["Content-Disposition"] == disposition
    before = table_counts()
    result = reference_import(partnership=partnership, kind=kind,
                              file=SimpleUploadedFile("back.csv", response.content))
    assert result.ok, result.problems
    assert (result.created, result.updated) == (0, 0)
    assert table_counts() == before


def test_the_csv_export_has_the_filtered_rows_in_the_import_format(signed_in, partnership, ref):
    response = signed_in.get(url(partnership, "reference_list", "areas"),
                             {"export": "csv", "level": "ward", "sort": "code"})
    assert response.content.decode().splitlines() == [
        "level,code,name,parent_code,is_urban,valid_from,valid_to",
        "ward,E05000000,Ward 0,CL1,,,",
        "ward,E05000001,Ward 1,CL1,,,",
    ]


# --- forms and history --------------------------------------------------------------


def test_an_officer_adds_an_area_and_sees_every_problem_next_to_its_field(
        signed_in, partnership, ref):
    new = url(partnership, "reference_new", "areas")
    response = signed_in.post(new, {
        "level": "ward", "code": "E05000000", "name": "=HYPERLINK(1)", "is_urban": "unknown",
        "parent": ref["areas"]["E01000000"].pk, "valid_from": "2024-05-01",
        "valid_to": "2024-04-30"})
    page = response.content.decode()
    assert response.status_code == 200
    for field, message in [("code", "Another area of this partnership already has this code."),
                           ("name", "spreadsheet would run it as a formula"),
                           ("parent", "Select a valid choice"),
                           ("valid_to", "The validity cannot end before it starts.")]:
        block = re.search(rf'id="id_{field}-error">(.*?)</div>', page, re.S)
        assert block and message in block.group(1), field
    assert not Area.objects.filter(name__startswith="=").exists()
    response = signed_in.post(new, {
        "level": "ward", "code": "E05000009", "name": "Park Wood", "is_urban": "unknown",
        "parent": ref["areas"]["cluster"].pk, "valid_from": "2019-05-02"})
    area = Area.objects.get(code="E05000009")
    assert response.status_code == 302 and area.parent == ref["areas"]["cluster"]
    record = signed_in.get(url(partnership, "reference_record", "areas", area.pk)).content.decode()
    assert "Park Wood (E05000009) created" in record and "Valid from: 2019-05-02" in record


def test_a_ward_cannot_be_put_inside_a_smaller_area_or_made_smaller_than_its_lsoas(
        signed_in, partnership, ref):
    ward = ref["areas"]["E05000000"]
    response = signed_in.post(url(partnership, "reference_record", "areas", ward.pk), {
        "level": "lsoa", "code": ward.code, "name": ward.name, "is_urban": "unknown",
        "parent": ref["areas"]["cluster"].pk})
    assert "sits inside this area, so it must stay larger" in response.content.decode()
    ward.refresh_from_db()
    assert ward.level == AreaLevel.WARD


def test_the_change_history_shows_who_changed_what_before_and_after(
        signed_in, partnership, ref, officer):
    ward = ref["areas"]["E05000000"]
    signed_in.post(url(partnership, "reference_record", "areas", ward.pk), {
        "level": "ward", "code": ward.code, "name": "High Street", "is_urban": "unknown",
        "parent": ref["areas"]["cluster"].pk})
    page = signed_in.get(url(partnership, "reference_record", "areas", ward.pk)).content.decode()
    who = officer.get_full_name()
    assert f"<td>{who}</td>" in page and "Name: Ward 0 → High Street" in page
    history = signed_in.get(url(partnership, "reference_history", "areas")).content.decode()
    assert "High Street (E05000000) changed" in history


def test_a_reader_sees_the_values_and_history_but_cannot_change_them(
        client, partnership, member, ref):
    client.force_login(member(Role.PARTNER))
    ward = ref["areas"]["E05000000"]
    page = client.get(url(partnership, "reference_record", "areas", ward.pk)).content.decode()
    assert 'value="E05000000"' in page and "disabled" in page
    assert ">Save<" not in page and "Delete this area" not in page
    assert "Change history" in page


def test_the_history_page_reads_a_fixed_number_of_queries(
        signed_in, partnership, ref, django_assert_max_num_queries):
    def edit(times):
        for area in Area.objects.filter(partnership=partnership)[:times]:
            area.name += " (renamed)"
            area.save()
    edit(2)
    history = url(partnership, "reference_history", "areas")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        signed_in.get(history)
    edit(8)
    with django_assert_max_num_queries(len(few)):
        signed_in.get(history)


# --- deleting -------------------------------------------------------------------------


def test_deleting_an_area_with_stored_records_is_refused_and_says_why(
        signed_in, partnership, ref, officer, django_capture_on_commit_callbacks):
    _import_police(partnership, officer, [police_row(lsoa="E01000000")],
                   django_capture_on_commit_callbacks)
    lsoa = ref["areas"]["E01000000"]
    before = table_counts()
    page = signed_in.get(url(partnership, "reference_delete", "areas", lsoa.pk)).content.decode()
    assert "cannot be deleted" in page and "Yes, delete it" not in page
    response = signed_in.post(url(partnership, "reference_delete", "areas", lsoa.pk))
    text = response.content.decode()
    assert response.status_code == 409
    assert "1 stored record uses it" in text and "monthly counts use it" in text
    assert "roll back the uploads that use it first" in text
    assert table_counts() == before


@pytest.mark.parametrize("target,phrase", [
    ("ward", "2 areas sit inside it"),
    ("group", "4 categories are in it"),
    ("mapped category", "1 source name is mapped to it"),
])
def test_deleting_what_other_reference_data_uses_is_refused(
        signed_in, partnership, ref, target, phrase):
    obj, kind = {
        "ward": (ref["areas"]["E05000000"], "areas"),
        "group": (ref["categories"]["Crimes Against Society"], "categories"),
        "mapped category": (ref["categories"]["Burglary"], "categories"),
    }[target]
    before = table_counts()
    response = signed_in.post(url(partnership, "reference_delete", kind, obj.pk))
    assert response.status_code == 409 and phrase in response.content.decode()
    assert table_counts() == before


def test_an_area_an_action_plan_indicator_uses_cannot_be_deleted(signed_in, partnership, ref):
    from tests.actionplans.factories import IndicatorFactory

    area = AreaFactory(partnership=partnership, level=AreaLevel.WARD, code="E05000077",
                       name="Unused ward", parent=ref["areas"]["cluster"])
    IndicatorFactory(plan__priority__partnership=partnership, name="Violence in Unused ward",
                     source="crime", series=None, area=area,
                     category=ref["categories"]["Burglary"], crime_source="police_uk")
    response = signed_in.post(url(partnership, "reference_delete", "areas", area.pk))
    assert response.status_code == 409
    assert "indicator (“Violence in Unused ward”) uses it" in response.content.decode()
    assert Area.objects.filter(pk=area.pk).exists()


def test_an_unused_area_is_deleted_with_its_populations_and_its_history_kept(
        signed_in, partnership, ref, officer):
    area = AreaFactory(partnership=partnership, level=AreaLevel.WARD, code="E05000088",
                       name="Gone ward", parent=ref["areas"]["cluster"])
    PopulationFactory(area=area, year=2021)
    page = signed_in.get(url(partnership, "reference_delete", "areas", area.pk)).content.decode()
    assert "Its 1 population estimate is deleted with it." in page
    response = signed_in.post(url(partnership, "reference_delete", "areas", area.pk))
    assert response.status_code == 302
    assert not Area.objects.filter(pk=area.pk).exists()
    assert not Population.objects.filter(area_id=area.pk).exists()
    history = signed_in.get(url(partnership, "reference_history", "areas")).content.decode()
    assert "Gone ward (E05000088) deleted" in history


# --- hierarchy changes, mappings, populations -------------------------------------------


def test_moving_a_ward_to_another_cluster_recounts_the_counts_and_marks_the_trends(
        signed_in, partnership, ref, officer, django_capture_on_commit_callbacks):
    areas, burglary = ref["areas"], ref["categories"]["Burglary"]
    _import_police(partnership, officer, [police_row(lsoa="E01000000"),
                                          police_row(lsoa="E01000001"),
                                          police_row(lsoa="E01000010"),
                                          police_row(lsoa="E01000010", month="2024-02")],
                   django_capture_on_commit_callbacks)
    cluster2 = AreaFactory(partnership=partnership, level=AreaLevel.CLUSTER, code="CL2",
                           name="Cluster 2", parent=areas["district"], is_urban=False)
    ward = areas["E05000001"]
    assert (_count(areas["cluster"], burglary), _count(cluster2, burglary)) == (3, None)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url(partnership, "reference_record", "areas", ward.pk), {
            "level": "ward", "code": ward.code, "name": ward.name, "is_urban": "unknown",
            "parent": cluster2.pk})
    job = ReferenceJob.objects.get()
    assert response.url == url(partnership, "reference_job", job.pk)
    assert job.status == ReferenceJobStatus.DONE, job.error
    assert job.description == "Ward 1 moved from Cluster 1 to Cluster 2"
    assert (_count(areas["cluster"], burglary), _count(cluster2, burglary)) == (2, 1)
    assert _count(cluster2, burglary, "2024-02-01") == 1
    assert _count(areas["district"], burglary) == 3
    assert _count(ward, burglary) == 1
    touched = TrendsTouched.objects.get(upload_id=TRENDS_KEY_OFFSET + job.pk)
    assert set(touched.area_ids) == {areas["cluster"].pk, cluster2.pk, areas["district"].pk}
    assert (touched.month_from.isoformat(), touched.month_to.isoformat()) == (
        "2023-01-01", "2024-02-01")
    page = signed_in.get(response.url).content.decode()
    assert "Done" in page and "Counts of 2 months recounted" in page


def test_moving_areas_in_a_csv_import_recounts_too(
        partnership, ref, officer, django_capture_on_commit_callbacks):
    _import_police(partnership, officer, [police_row(lsoa="E01000010")],
                   django_capture_on_commit_callbacks)
    file = SimpleUploadedFile("a.csv", csv_bytes(
        "level,code,name,parent_code,is_urban,valid_from,valid_to",
        [["cluster", "CL2", "Cluster 2", "E07000110", "rural", "", ""],
         ["ward", "E05000001", "Ward 1", "CL2", "", "", ""]]))
    with django_capture_on_commit_callbacks(execute=True):
        result = reference_import(partnership=partnership, kind="areas", file=file, user=officer)
    assert result.ok and result.job is not None
    cluster2 = Area.objects.get(code="CL2")
    assert _count(cluster2, ref["categories"]["Burglary"]) == 1
    assert _count(ref["areas"]["cluster"], ref["categories"]["Burglary"]) is None


def test_moving_a_category_to_another_group_recounts_the_group_counts(
        signed_in, partnership, ref, officer, django_capture_on_commit_callbacks):
    cats = ref["categories"]
    _import_police(partnership, officer, [police_row(crime_type="Drugs"),
                                          police_row(crime_type="Burglary")],
                   django_capture_on_commit_callbacks)
    district = ref["areas"]["district"]
    assert _count(district, cats["Crimes Against Society"]) == 1
    drugs = cats["Drug offences"]
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url(partnership, "reference_record", "categories", drugs.pk), {
            "name": drugs.name, "parent": cats["Victim Based Crime"].pk, "is_crime": "on",
            "order": drugs.order})
    job = ReferenceJob.objects.get()
    assert job.status == ReferenceJobStatus.DONE, job.error
    assert _count(district, cats["Crimes Against Society"]) is None
    assert _count(district, cats["Victim Based Crime"]) == 2
    touched = TrendsTouched.objects.get(upload_id=TRENDS_KEY_OFFSET + job.pk)
    assert set(touched.category_ids) == {cats["Crimes Against Society"].pk,
                                         cats["Victim Based Crime"].pk}


def test_a_population_change_recalculates_that_areas_trends(
        signed_in, partnership, ref, officer, django_capture_on_commit_callbacks):
    _import_police(partnership, officer, [police_row()], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url(partnership, "reference_new", "populations"), {
            "area_code": "E05000000", "year": 2023, "population": 12000, "source": "ONS"})
    job = ReferenceJob.objects.get()
    assert response.status_code == 302 and not job.recount
    assert job.status == ReferenceJobStatus.DONE
    touched = TrendsTouched.objects.get(upload_id=TRENDS_KEY_OFFSET + job.pk)
    assert touched.area_ids == [ref["areas"]["E05000000"].pk] and touched.month_from is None


def test_a_population_form_checks_the_area_and_the_year(signed_in, partnership, ref):
    PopulationFactory(area=ref["areas"]["E05000000"], year=2021)
    response = signed_in.post(url(partnership, "reference_new", "populations"), {
        "area_code": "E05000000", "year": 2021, "population": 5, "source": ""})
    assert "Ward 0 already has a population for 2021: edit that one." in response.content.decode()
    response = signed_in.post(url(partnership, "reference_new", "populations"), {
        "area_code": "NOPE", "year": 1800, "population": 5, "source": ""})
    page = response.content.decode()
    assert "No area of this partnership has the code “NOPE”." in page
    assert "Give a year between 1900 and 2200." in page
    assert Population.objects.count() == 1


def test_a_mapping_change_applies_to_later_uploads_and_the_page_says_so(
        signed_in, partnership, ref, officer, django_capture_on_commit_callbacks):
    cats = ref["categories"]
    first = _import_police(partnership, officer, [police_row(crime_type="Burglary")],
                           django_capture_on_commit_callbacks)
    mapping = CategoryMapping.objects.get(partnership=partnership, source_name="Burglary")
    page = signed_in.get(url(partnership, "reference_record", "mappings", mapping.pk))
    assert ("Stored records keep the category they were imported with: to count past months "
            "under a new mapping, upload those months again.") in page.content.decode()
    signed_in.post(url(partnership, "reference_record", "mappings", mapping.pk), {
        "source": "police_uk", "source_name": "Burglary", "category": cats["Robbery"].pk})
    assert PoliceRecord.objects.get(upload=first).category == cats["Burglary"]
    assert not ReferenceJob.objects.exists()
    _import_police(partnership, officer, [police_row(crime_type="Burglary", month="2023-02")],
                   django_capture_on_commit_callbacks)
    assert _count(ref["areas"]["district"], cats["Robbery"], "2023-02-01") == 1


def test_a_duplicate_mapping_is_refused_next_to_the_name(signed_in, partnership, ref):
    response = signed_in.post(url(partnership, "reference_new", "mappings"), {
        "source": "police_uk", "source_name": "Burglary",
        "category": ref["categories"]["Robbery"].pk})
    assert re.search(r'id="id_source_name-error">.*already mapped', response.content.decode(),
                     re.S)


# --- jobs -------------------------------------------------------------------------------


def test_a_failed_recount_says_so_and_can_be_retried(
        signed_in, partnership, ref, officer, django_capture_on_commit_callbacks, monkeypatch):
    from datasets.services import reference_jobs

    _import_police(partnership, officer, [police_row(lsoa="E01000010")],
                   django_capture_on_commit_callbacks)
    cluster2 = AreaFactory(partnership=partnership, level=AreaLevel.CLUSTER, code="CL2",
                           name="Cluster 2", parent=ref["areas"]["district"])
    real = reference_jobs.counts_replace

    def broken(**kwargs):
        raise RuntimeError("database went away")
    monkeypatch.setattr(reference_jobs, "counts_replace", broken)
    ward = ref["areas"]["E05000001"]
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url(partnership, "reference_record", "areas", ward.pk), {
            "level": "ward", "code": ward.code, "name": ward.name, "is_urban": "unknown",
            "parent": cluster2.pk})
    job = ReferenceJob.objects.get()
    assert job.status == ReferenceJobStatus.FAILED and "database went away" in job.error
    page = signed_in.get(url(partnership, "reference_job", job.pk)).content.decode()
    assert "Failed:" in page and "Retry" in page
    monkeypatch.setattr(reference_jobs, "counts_replace", real)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url(partnership, "reference_job_retry", job.pk))
    job.refresh_from_db()
    assert job.status == ReferenceJobStatus.DONE and job.attempts == 2
    assert _count(cluster2, ref["categories"]["Burglary"]) == 1
