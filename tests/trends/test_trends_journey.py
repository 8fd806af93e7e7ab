"""Browser journey: an officer finds a series, sees its SPC chart drawn from the local
plotly bundle, and confirms a suggested step change."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets.models import StepChange
from datasets.services.trends import trends_recalculate_partnership
from smp.models import Role
from tests.conftest import browser_login
from tests.trends.factories import AreaFactory, CategoryFactory, add_counts

SHIFTED = [10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 10, 12, 11, 10] + [30] * 10


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_reviews_a_chart_and_confirms_a_step_change(page, partnership, member):
    officer = member(Role.OFFICER)
    ward = AreaFactory(partnership=partnership, name="High Street")
    burglary = CategoryFactory(partnership=partnership, name="Burglary")
    add_counts(area=ward, category=burglary, start=dt.date(2020, 1, 1), values=SHIFTED)
    trends_recalculate_partnership(partnership_id=partnership.pk)

    browser_login(page, officer.username)
    page.goto(f"/p/{partnership.slug}/data/trends/")
    page.get_by_role("link", name="Burglary – High Street").click()
    page.get_by_role("heading", name="Burglary – High Street", level=1).wait_for()
    page.locator(".spc-chart .main-svg").first.wait_for()  # plotly drew the chart
    assert page.get_by_role("table", name="Data of the chart: Burglary – High Street").is_visible()

    page.get_by_label("Confirm: recalculate the average and limits from here").check()
    page.get_by_label("Reason").first.fill("April 2021 recording change")
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Step change confirmed").wait_for()

    step = StepChange.objects.get()
    assert (step.status, step.reason) == ("confirmed", "April 2021 recording change")
