"""A user journey in a real browser: an officer finds a ward in the areas list, moves it
to another cluster, watches the stored counts being recounted, and sees the change
in the ward's history. The pages pass axe and fit a 320 px screen."""

from __future__ import annotations

import pytest

from datasets.models import MonthlyCount, ReferenceJob, ReferenceJobStatus
from smp.models import Role
from tests.conftest import browser_login
from tests.datasets.factories import AreaFactory, build_reference, police_file, police_row
from tests.factories import MembershipFactory, PartnershipFactory
from tests.test_browser import _scrolls_sideways, _serious_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_moves_a_ward_to_another_cluster_and_sees_the_recount(page):
    from datasets.services.uploads import upload_create

    partnership = PartnershipFactory()
    officer = MembershipFactory(partnership=partnership, role=Role.OFFICER).user
    ref = build_reference(partnership)
    cluster2 = AreaFactory(partnership=partnership, level="cluster", code="CL2",
                           name="Rural cluster", parent=ref["areas"]["district"], is_urban=False)
    upload_create(partnership=partnership, kind="police_uk", user=officer,
                  file=police_file([police_row(lsoa="E01000010"), police_row(lsoa="E01000000")]))

    browser_login(page, officer.username)
    page.goto(f"/p/{partnership.slug}/data/")
    page.get_by_role("link", name="Reference data (areas, populations, categories)").click()
    page.get_by_role("link", name="Areas").click()
    page.get_by_label("Level").select_option("ward")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_role("table")
    assert table.get_by_role("row").count() == 3  # header + two wards
    assert _serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 720})
    assert not _scrolls_sideways(page), "the areas list scrolls sideways"
    page.set_viewport_size({"width": 1280, "height": 900})

    table.get_by_role("link", name="E05000001").click()
    assert _serious_violations(page) == []
    page.get_by_label("Parent").select_option(label=str(cluster2))
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Ward 1 moved from Cluster 1 to Rural cluster").first.wait_for()
    page.get_by_role("status").filter(has_text="Done").wait_for()
    job = ReferenceJob.objects.get()
    assert job.status == ReferenceJobStatus.DONE
    burglary = ref["categories"]["Burglary"]
    assert MonthlyCount.objects.get(area=cluster2, category=burglary).count == 1
    assert _serious_violations(page) == []

    page.get_by_role("link", name="Reference data").first.click()
    page.get_by_role("link", name="Areas").click()
    page.get_by_role("link", name="E05000001").click()
    history = page.get_by_role("region", name="Change history")
    assert "Parent: Cluster 1 (Ward cluster) → Rural cluster (Ward cluster)" in history.inner_text()
