"""In a real browser (Debian's Chromium through Playwright), on the demo data:
a lead signs in and opens their priority; a co-chair records that a priority was
dropped; an administrator adds a plan period; pages fit a 320 px wide screen; axe-core
finds no serious or critical accessibility violations, also on forms with errors."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from priorities.models import Priority, SubgroupMember
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


def _pages_of(role: str) -> list[str]:
    """Pages a co-chair or an administrator works on, beyond the lead's."""
    priority = Priority.objects.get(title=DA_PRIORITY)
    base = f"/p/maidstone/priorities/{priority.pk}/"
    subgroup = SubgroupMember.objects.filter(user__isnull=True).first().subgroup
    if role == "cochair.council":
        return [f"{base}status/", f"{base}leads/", f"{base}continue/", f"{base}split/",
                f"{base}merge/", f"{base}demote/", f"{base}end/",
                f"/p/maidstone/subgroups/{subgroup.pk}/"]
    from django.contrib.auth import get_user_model

    someone = get_user_model().objects.get(username="lead.da")
    return ["/p/maidstone/manage/", "/p/maidstone/manage/members/",
            "/p/maidstone/manage/members/add/", f"/p/maidstone/manage/members/{someone.pk}/",
            "/p/maidstone/manage/agencies/", "/p/maidstone/manage/agencies/new/",
            "/p/maidstone/manage/plans/", "/p/maidstone/manage/plans/new/",
            "/accounts/password_change/"]


@pytest.mark.parametrize("role", ["cochair.council", "admin"])
def test_the_co_chair_and_administrator_pages_fit_320_pixels_and_pass_axe(page, demo, role):
    browser_login(page, role, DEMO_PASSWORD)
    page.wait_for_url("**/p/maidstone/")
    page.set_viewport_size({"width": 320, "height": 720})
    for url in _pages_of(role):
        page.goto(url)
        assert page.get_by_role("heading", level=1).count() == 1, url
        assert not _scrolls_sideways(page), f"{url} scrolls sideways"
        assert _serious_violations(page) == [], url


def test_a_co_chair_records_that_a_priority_was_dropped(page, demo):
    browser_login(page, "cochair.council", DEMO_PASSWORD)
    page.wait_for_url("**/p/maidstone/")
    page.goto("/p/maidstone/?plan=" + str(
        Priority.objects.get(title=DA_PRIORITY).plan_id))
    page.get_by_role("link", name="Improving public perception and confidence").click()
    page.get_by_role("link", name="End or drop it").click()
    # Without a reason: the error summary takes the focus and links to the field.
    page.get_by_label("No longer runs from").select_option("2024")
    page.get_by_role("button", name="Record").click()
    summary = page.get_by_role("alert")
    assert "Say why the priority ended." in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert _serious_violations(page) == []
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    page.get_by_label("Reason").fill("Handed to the night-time economy board.")
    page.get_by_role("button", name="Record").click()
    # The browser keeps the #id_reason fragment across the redirect.
    page.wait_for_url(re.compile(r"/p/maidstone/priorities/\d+/(#id_reason)?$"))
    assert "no longer runs from 2024–25" in page.get_by_role("main").inner_text()
    page.goto("/p/maidstone/")
    ended = page.get_by_role("heading", name="No longer running in 2024–25")
    assert ended.is_visible()
    assert "Handed to the night-time economy board." in page.get_by_role("main").inner_text()


def test_an_administrator_adds_a_plan_period_in_the_app(page, demo):
    browser_login(page, "admin", DEMO_PASSWORD)
    page.wait_for_url("**/p/maidstone/")
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Plan periods").click()
    page.get_by_role("link", name="New plan period").click()
    page.get_by_label("Title").fill("Community Safety Partnership Plan 2025–28")
    page.get_by_label("First plan year").fill("2025")
    page.get_by_label("Last plan year").fill("2027")
    page.get_by_label("Published (committee members can read it)").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/manage/plans/")
    assert "2025–28" in page.get_by_role("table").inner_text()
    assert "“Community Safety Partnership Plan 2025–28” (2025–28) saved." in page.get_by_role(
        "status").inner_text()
