"""The issue's user journey in a real browser (Chromium through Playwright)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans import periods
from tests.actionplans.factories import ActionFactory, ActionPlanFactory, IndicatorFactory
from tests.conftest import browser_login
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    PriorityFactory,
    PriorityLeadFactory,
    UserFactory,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_updates_the_plan_and_a_co_chair_sees_it(page, browser, live_server):
    lead = UserFactory(username="lead.substance", first_name="Dan", last_name="Price")
    membership = MembershipFactory(user=lead, role="lead")
    partnership = membership.partnership
    cgl = AgencyFactory(partnership=partnership, name="Change Grow Live", short_name="CGL")
    priority = PriorityFactory(partnership=partnership, title="Substance misuse")
    PriorityLeadFactory(priority=priority, user=lead, agency=cgl)
    plan = ActionPlanFactory(priority=priority, year=2024)
    action = ActionFactory(plan=plan, lead_agency=cgl, status="on_track", due_date=None,
                           cadence="ongoing",
                           description="Needle exchange schemes and needle bin placements")
    indicator = IndicatorFactory(plan=plan, name="Pupils reached", unit="pupils",
                                 frequency="calendar_year", direction="up")
    co_chair = MembershipFactory(partnership=partnership, role="co_chair").user

    browser_login(page, "lead.substance")
    page.goto(f"/p/{partnership.slug}/plans/{plan.pk}/")
    row = page.locator(f"#action-{action.pk}")
    row.get_by_label("Status").select_option(label="At risk")
    row.get_by_label("Progress note").fill("Bin supplier has gone into administration.")
    row.get_by_role("button", name=re.compile("Save update")).click()
    row = page.locator(f"#action-{action.pk}")  # swapped in place by htmx
    expect(row.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_test_id(f"status-{action.pk}")).to_have_text("At risk")
    expect(row).to_contain_text("Bin supplier has gone into administration.")

    page.get_by_role("link", name="Pupils reached").click()
    period = page.get_by_label("Period")
    # The form starts on the period just closed, whatever today's date is.
    closed = period.evaluate("select => select.options[select.selectedIndex].text")
    assert closed == periods.last_closed("calendar_year", timezone.localdate()).label
    period.select_option(label=closed)
    page.get_by_label("Value").fill("1140")
    page.get_by_label("Note").fill("Autumn term sessions")
    page.get_by_role("button", name="Save value").click()
    expect(page.get_by_role("status")).to_contain_text("Value saved.")
    expect(page.get_by_test_id("latest")).to_contain_text(f"1,140 pupils ({closed})")

    page.goto(f"/p/{partnership.slug}/plans/{plan.pk}/")
    expect(page.get_by_test_id(f"latest-{indicator.pk}")).to_contain_text("1,140 pupils")
    expect(page.get_by_test_id(f"status-{action.pk}")).to_have_text("At risk")
    page.get_by_text("Change history").click()
    expect(page.locator("#history")).to_contain_text("On track → At risk")

    context = browser.new_context(base_url=live_server.url)
    chair_page = context.new_page()
    browser_login(chair_page, co_chair.username)
    chair_page.goto(f"/p/{partnership.slug}/plans/actions/")
    table_row = chair_page.get_by_role("row").filter(has_text="Needle exchange schemes")
    expect(table_row).to_contain_text("At risk")
    expect(table_row).to_contain_text("Bin supplier has gone into administration.")
    chair_page.get_by_label("At risk").check()
    chair_page.get_by_role("button", name="Filter").click()
    expect(chair_page.get_by_role("row").filter(has_text="Needle exchange")).to_have_count(1)
    context.close()
