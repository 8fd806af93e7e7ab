"""In a real browser (Debian's Chromium through Playwright), on the demo data:
a lead signs in and opens their priority; pages fit a 320 px wide screen; axe-core
finds no serious or critical accessibility violations."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from smp.demo import DEMO_PASSWORD
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DA_PRIORITY = "Reducing the harm caused by domestic abuse (including stalking)"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def _open_own_priority(page) -> None:
    browser_login(page, "lead.da", DEMO_PASSWORD)
    page.wait_for_url("**/p/maidstone/")
    page.get_by_role("link", name=DA_PRIORITY).click()
    page.wait_for_url("**/p/maidstone/priorities/*/")


def test_a_lead_signs_in_sees_their_priority_and_opens_it(page, demo):
    browser_login(page, "lead.da", DEMO_PASSWORD)
    page.wait_for_url("**/p/maidstone/")
    assert page.get_by_role("heading", level=1).inner_text() == "Safer Maidstone Partnership"
    priorities = page.get_by_role("table", name="Priorities")
    row = priorities.get_by_role("row").filter(has_text=DA_PRIORITY)
    assert "Helen Morris" in row.inner_text()
    assert "On track" in row.inner_text()

    row.get_by_role("link", name=DA_PRIORITY).click()
    page.wait_for_url("**/p/maidstone/priorities/*/")
    assert page.get_by_role("heading", level=1).inner_text() == DA_PRIORITY
    # Their own priority: they may edit it, but status and leads are the co-chairs'.
    assert page.get_by_role("link", name="Edit", exact=True).is_visible()
    assert page.get_by_role("link", name="Set status").count() == 0
    assert page.get_by_role("link", name="Manage leads").count() == 0


def test_a_lead_edits_the_aim_of_their_priority(page, demo):
    _open_own_priority(page)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Aim").fill("To reduce the harm caused by domestic abuse and stalking.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/p/maidstone/priorities/*/")
    assert page.get_by_role("status").inner_text().strip() == "Changes saved."
    assert "and stalking." in page.get_by_role("main").inner_text()


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_pages_fit_a_320_pixel_wide_screen(page, demo):
    page.set_viewport_size({"width": 320, "height": 720})
    page.goto("/accounts/login/")
    assert not _scrolls_sideways(page), "the sign-in page scrolls sideways"
    _open_own_priority(page)
    assert not _scrolls_sideways(page), "the priority page scrolls sideways"
    priority_url = page.url
    page.goto("/p/maidstone/")
    assert not _scrolls_sideways(page), "the partnership home scrolls sideways"
    page.goto("/p/maidstone/subgroups/")
    assert not _scrolls_sideways(page), "the subgroups page scrolls sideways"
    page.goto(f"{priority_url}edit/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Edit")
    assert not _scrolls_sideways(page), "the edit form scrolls sideways"


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_axe_finds_no_serious_accessibility_violations(page, demo):
    page.goto("/accounts/login/")
    assert _serious_violations(page) == []
    _open_own_priority(page)
    assert _serious_violations(page) == []
    page.goto("/p/maidstone/")
    assert _serious_violations(page) == []
    page.goto("/p/maidstone/subgroups/")
    assert _serious_violations(page) == []


def test_axe_finds_no_serious_violations_on_a_form_with_errors(page, demo):
    _open_own_priority(page)
    page.get_by_role("link", name="Edit", exact=True).click()
    assert _serious_violations(page) == []
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save").click()
    assert "This field is required." in page.get_by_role("main").inner_text()
    assert _serious_violations(page) == []
