"""What the read pages show: the plan as the papers do, print view, table paging."""

import datetime as dt

import pytest

from actionplans import services
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    OutcomeFactory,
    TargetFactory,
)
from tests.factories import AgencyFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(partnership):
    plan = ActionPlanFactory(priority=PriorityFactory(partnership=partnership), year=2023,
                             aim="To reduce the impact of drug and alcohol misuse.")
    outcome = OutcomeFactory(plan=plan, text="A reduction in discarded needles.")
    action = ActionFactory(plan=plan, description="Needle bin placements", due_date=None,
                           cadence="ongoing", status="off_track")
    action.outcomes.set([outcome])
    indicator = IndicatorFactory(plan=plan, name="Needle finds per year", unit="finds",
                                 frequency="calendar_year", direction="down")
    TargetFactory(indicator=indicator, comparator="below", value=1000)
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2021, 1, 1),
                                  value=1100, note="", actor=None)
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2022, 1, 1),
                                  value=570, note="", actor=None)
    return plan


@pytest.mark.parametrize("suffix", ["", "print/"])
def test_the_plan_reads_aim_outcomes_actions_indicators_in_order(client, plan, member, suffix):
    client.force_login(member("partner"))
    html = client.get(f"/p/{plan.priority.partnership.slug}/plans/{plan.pk}/{suffix}"
                      ).content.decode()
    order = [html.index(text) for text in [
        "To reduce the impact of drug and alcohol misuse.",
        "A reduction in discarded needles.", "Needle bin placements", "Needle finds per year"]]
    assert order == sorted(order)
    for text in ["Ongoing", "Off track", "Red", "570", "keep below 1,000", "Met", "Improving"]:
        assert text in html, text
    assert "Save update" not in html  # partners read only


def test_the_actions_table_pages_and_sorts(client, plan, member):
    for n in range(30):
        ActionFactory(plan=plan, description=f"Bulk action {n:02d}",
                      due_date=dt.date(2024, 1, 1) + dt.timedelta(days=n))
    client.force_login(member("partner"))
    url = f"/p/{plan.priority.partnership.slug}/plans/actions/"
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first and "31 actions match" in first
    newest_first = client.get(url + "?sort=-due").content.decode()
    assert newest_first.index("Bulk action 29") < newest_first.index("Bulk action 28")
    assert "Bulk action 00" not in newest_first


def test_a_plain_form_post_without_htmx_redirects_back_to_the_action(client, plan, member):
    action = plan.actions.get()
    client.force_login(member("officer"))
    slug = plan.priority.partnership.slug
    response = client.post(f"/p/{slug}/plans/action/{action.pk}/progress/", {
        f"a{action.pk}-note": "Bins ordered", f"a{action.pk}-new_status": "on_track",
        f"a{action.pk}-version": 1})
    assert response["Location"] == f"/p/{slug}/plans/{plan.pk}/#action-{action.pk}"


def test_the_actions_table_filters_by_priority_and_by_agency(client, plan, member):
    partnership = plan.priority.partnership
    other = ActionPlanFactory(priority=PriorityFactory(partnership=partnership,
                                                       plan=plan.priority.plan,
                                                       title="Town centre"), year=2023)
    police = AgencyFactory(partnership=partnership, name="Kent Police", short_name="KP")
    ActionFactory(plan=other, description="Night patrols", lead_agency=police)
    ActionFactory(plan=other, description="CCTV upgrade")
    client.force_login(member("partner"))
    url = f"/p/{partnership.slug}/plans/actions/"
    by_priority = client.get(url, {"priority": other.priority_id}).content.decode()
    assert "Night patrols" in by_priority and "CCTV upgrade" in by_priority
    assert "Needle bin placements" not in by_priority
    by_agency = client.get(url, {"lead_agency": police.pk}).content.decode()
    assert "Night patrols" in by_agency
    assert "CCTV upgrade" not in by_agency and "Needle bin placements" not in by_agency
    both = client.get(url, {"priority": plan.priority_id, "lead_agency": police.pk})
    assert "No actions match these filters." in both.content.decode()
