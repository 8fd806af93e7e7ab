"""Every datasets page and action (uploads, templates, reference data, jobs) for every
role: anonymous → sign-in, a member of another partnership → 404, committee members
→ 403; partners, leads and co-chairs read; officers and administrators also write.
A refused request changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from datasets.models import (
    CategoryMapping,
    ReferenceJob,
    ReferenceJobStatus,
    Upload,
    UploadStatus,
)
from smp.models import Role
from tests.datasets.factories import (
    POLICE_HEADER,
    AreaFactory,
    CategoryFactory,
    PopulationFactory,
    build_reference,
    csv_bytes,
    police_row,
)
from tests.datasets.helpers import import_file, table_counts
from tests.factories import MembershipFactory

READERS = {Role.CO_CHAIR, Role.LEAD, Role.PARTNER, Role.OFFICER, Role.ADMIN}
MANAGERS = {Role.OFFICER, Role.ADMIN}
WHO = ["anonymous", "outsider", Role.COMMITTEE, Role.PARTNER, Role.LEAD, Role.CO_CHAIR,
       Role.OFFICER, Role.ADMIN]
KINDS = ["areas", "populations", "categories", "mappings"]


@pytest.fixture
def world(partnership, member, django_capture_on_commit_callbacks):
    """One of everything the pages show, and spare records to change or delete."""
    ref = build_reference(partnership)
    officer = member(Role.OFFICER)
    capture = django_capture_on_commit_callbacks
    imported = import_file(partnership, officer, "police_uk", "ok.csv",
                           csv_bytes(POLICE_HEADER, [police_row()]), capture)
    rejected = import_file(partnership, officer, "police_uk", "bad.csv",
                           csv_bytes(POLICE_HEADER, [police_row(month="x")]), capture)
    failed = Upload.objects.create(partnership=partnership, kind="police_uk", file=imported.file,
                                   original_name="failed.csv", sha256="0" * 64, size=1,
                                   status=UploadStatus.FAILED)
    spare_area = AreaFactory(partnership=partnership, level="ward", code="E05000099",
                             name="Spare ward", parent=ref["areas"]["cluster"])
    spare_category = CategoryFactory(partnership=partnership, name="Spare category",
                                     parent=ref["categories"]["Victim Based Crime"])
    spare = {
        "areas": spare_area,
        "populations": PopulationFactory(area=ref["areas"]["E05000001"], year=2020),
        "categories": spare_category,
        "mappings": CategoryMapping.objects.create(partnership=partnership, source="aggregate",
                                                   source_name="Spare",
                                                   category=ref["categories"]["Burglary"]),
    }
    job = ReferenceJob.objects.create(partnership=partnership, description="Ward moved",
                                      status=ReferenceJobStatus.FAILED,
                                      finished_at=timezone.now())
    return {"ref": ref, "imported": imported, "rejected": rejected, "failed": failed,
            "spare": spare, "job": job}


def _login(client, who, partnership):
    if who == "anonymous":
        return
    if who == "outsider":
        client.force_login(MembershipFactory(role=Role.ADMIN).user)  # another partnership
    else:
        client.force_login(MembershipFactory(partnership=partnership, role=who).user)


def _pages(slug, world) -> dict[str, tuple[str, set]]:
    def u(name, *args):
        return reverse(f"datasets:{name}", args=[slug, *args])

    pages = {
        "uploads list": (u("uploads"), READERS),
        "upload form": (u("upload_new"), MANAGERS),
        "upload detail": (u("upload_detail", world["imported"].pk), READERS),
        "upload status": (u("upload_status", world["imported"].pk), READERS),
        "upload errors": (u("upload_errors", world["rejected"].pk), MANAGERS),
        "upload file": (u("upload_file", world["imported"].pk), MANAGERS),
        "upload rollback confirmation": (u("upload_rollback", world["imported"].pk), MANAGERS),
        "reference data": (u("reference"), READERS),
        "reference job": (u("reference_job", world["job"].pk), READERS),
        "reference job status": (u("reference_job_status", world["job"].pk), READERS),
    }
    for name in ["police_uk", "aggregate", "indicators"]:
        pages[f"{name} template"] = (u("upload_template", name), READERS)
    for kind in KINDS:
        pk = world["spare"][kind].pk
        pages[f"{kind} list"] = (u("reference_list", kind), READERS)
        pages[f"{kind} CSV"] = (u("reference_list", kind) + "?export=csv", READERS)
        pages[f"{kind} history"] = (u("reference_history", kind), READERS)
        pages[f"{kind} record"] = (u("reference_record", kind, pk), READERS)
        pages[f"{kind} new"] = (u("reference_new", kind), MANAGERS)
        pages[f"{kind} delete confirmation"] = (u("reference_delete", kind, pk), MANAGERS)
    return pages


PAGE_NAMES = sorted(_pages("x", {
    "imported": Upload(pk=1), "rejected": Upload(pk=1), "job": ReferenceJob(pk=1),
    "spare": {k: Upload(pk=1) for k in KINDS}}))


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_each_page_opens_only_for_those_who_may_read_it(client, partnership, world, name, who):
    url, allowed = _pages(partnership.slug, world)[name]
    _login(client, who, partnership)
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == (200 if who in allowed else 403)


def _actions(slug, world) -> dict[str, tuple[str, dict]]:
    """Writes: every one is for officers and administrators only."""
    def u(name, *args):
        return reverse(f"datasets:{name}", args=[slug, *args])

    ref, spare = world["ref"], world["spare"]
    cluster = ref["areas"]["cluster"].pk
    group = ref["categories"]["Victim Based Crime"].pk
    forms = {
        "areas": {"level": "ward", "code": "E05000123", "name": "New ward", "parent": cluster,
                  "is_urban": "unknown"},
        "populations": {"area_code": "E05000000", "year": 2019, "population": 100},
        "categories": {"name": "New category", "parent": group, "order": 3},
        "mappings": {"source": "aggregate", "source_name": "New name",
                     "category": ref["categories"]["Burglary"].pk},
    }
    edits = {
        "areas": {**forms["areas"], "code": "E05000099", "name": "Spare ward, renamed"},
        "populations": {"area_code": "E05000001", "year": 2020, "population": 200},
        "categories": {**forms["categories"], "name": "Spare category, renamed"},
        "mappings": {**forms["mappings"], "source_name": "Spare, renamed"},
    }
    actions = {
        "upload a file": (u("upload_new"), {"kind": "police_uk", "file": SimpleUploadedFile(
            "street.csv", csv_bytes(POLICE_HEADER, [police_row(month="2023-05")]))}),
        "roll back an upload": (u("upload_rollback", world["imported"].pk), {}),
        "retry an upload": (u("upload_retry", world["failed"].pk), {}),
        "import reference data": (u("reference"), {"kind": "areas", "file": SimpleUploadedFile(
            "a.csv", csv_bytes("level,code,name,parent_code,is_urban,valid_from,valid_to",
                               [["ward", "E05000124", "W", "CL1", "", "", ""]]))}),
        "retry a reference job": (u("reference_job_retry", world["job"].pk), {}),
    }
    for kind in KINDS:
        pk = spare[kind].pk
        actions[f"add {kind}"] = (u("reference_new", kind), forms[kind])
        actions[f"edit {kind}"] = (u("reference_record", kind, pk), edits[kind])
        actions[f"delete {kind}"] = (u("reference_delete", kind, pk), {})
    return actions


ACTION_NAMES = sorted(_actions("x", {
    "ref": {"areas": {"cluster": Upload(pk=1)}, "categories": {
        "Victim Based Crime": Upload(pk=1), "Burglary": Upload(pk=1)}},
    "imported": Upload(pk=1), "failed": Upload(pk=1), "job": ReferenceJob(pk=1),
    "spare": {k: Upload(pk=1) for k in KINDS}}))


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", ACTION_NAMES)
def test_each_write_is_done_only_by_officers_and_administrators(
        client, partnership, world, name, who, django_capture_on_commit_callbacks):
    url, data = _actions(partnership.slug, world)[name]
    _login(client, who, partnership)
    before = table_counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    if who in MANAGERS:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert table_counts() != before  # the write happened
        return
    if who == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == (404 if who == "outsider" else 403)
    assert table_counts() == before
