"""The partnership home: the current plan in this plan year, that year's status and
the leads, ended and later priorities, plan and year switching, committee view, and a
fixed number of queries however many priorities there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smp.models import Role
from tests import factories
from tests.priorities.factories import PriorityLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def this_year(monkeypatch):
    """Pages compute "this plan year" from today's date; tests fix it at 2025–26."""
    monkeypatch.setattr("priorities.views.home.current_plan_year", lambda: 2025)
    return 2025


@pytest.fixture
def plans(partnership):
    old = factories.PlanPeriodFactory(partnership=partnership, title="Plan 2017–18",
                                      start_year=2017, end_year=2017)
    new = factories.PlanPeriodFactory(partnership=partnership, title="Plan 2022–25",
                                      start_year=2022, end_year=2024)
    draft = factories.PlanPeriodFactory(partnership=partnership, title="Plan 2025–28",
                                        start_year=2025, end_year=2027, is_published=False)
    return old, new, draft


def _home(client, partnership, **params):
    return client.get(reverse("priorities:home", args=[partnership.slug]), params)


def test_it_shows_the_plan_covering_this_year_with_status_and_leads(
    client, partnership, member, plans
):
    old, new, draft = plans
    lead = member(Role.LEAD, user__first_name="Priya", user__last_name="Shah")
    agency = factories.AgencyFactory(partnership=partnership, short_name="Kent Police")
    priority = factories.PriorityFactory(partnership=partnership, plan=draft,
                                         title="Draft priority")
    factories.PriorityLeadFactory(priority=priority, user=lead, agency=agency)
    factories.PriorityStatusFactory(priority=priority, year=2025, status="exceeding")
    factories.PriorityFactory(partnership=partnership, plan=draft, title="A theme",
                              kind="theme")
    factories.PriorityFactory(partnership=partnership, plan=new, title="Current priority")
    client.force_login(member(Role.CO_CHAIR))

    html = _home(client, partnership).content.decode()

    assert "Plan 2025–28" in html and "not published" in html
    assert "Draft priority" in html and "Current priority" not in html
    assert "Exceeding expectations" in html and "Status 2025–26" in html
    assert "2025–26</strong> (this plan year)" in html
    assert "Priya Shah" in html and "(Kent Police)" in html
    themes = html.split('id="themes-heading"')[1]
    assert "A theme" in themes and "Draft priority" not in themes


def test_the_plan_parameter_switches_plans(client, partnership, member, plans):
    old, new, draft = plans
    factories.PriorityFactory(partnership=partnership, plan=old, title="Road safety (KSI)")
    client.force_login(member(Role.PARTNER))
    html = _home(client, partnership, plan=old.pk).content.decode()
    assert "Road safety (KSI)" in html
    assert f'<option value="{old.pk}" selected>' in html


def test_a_plan_of_another_partnership_is_not_found(client, partnership, member, plans):
    client.force_login(member(Role.PARTNER))
    assert _home(client, partnership, plan=factories.PlanPeriodFactory().pk).status_code == 404


def test_a_malformed_plan_parameter_falls_back_to_the_newest(client, partnership, member, plans):
    client.force_login(member(Role.PARTNER))
    response = _home(client, partnership, plan="abc")
    assert response.status_code == 200
    assert response.context["plan"] == plans[2]


def test_committee_members_see_only_published_plans(client, partnership, member, plans):
    old, new, draft = plans
    factories.PriorityFactory(partnership=partnership, plan=draft, title="Draft priority")
    client.force_login(member(Role.COMMITTEE))
    response = _home(client, partnership)
    html = response.content.decode()
    assert response.context["plan"] == new
    assert "Draft priority" not in html and "Plan 2025–28" not in html
    assert list(response.context["plans"]) == [new, old]
    assert _home(client, partnership, plan=draft.pk).status_code == 404


def test_a_committee_member_sees_an_empty_state_when_nothing_is_published(
    client, partnership, member
):
    factories.PlanPeriodFactory(partnership=partnership, is_published=False)
    client.force_login(member(Role.COMMITTEE))
    assert "There is no plan to show yet." in _home(client, partnership).content.decode()


def test_empty_tables_say_so(client, partnership, member, plans):
    client.force_login(member(Role.PARTNER))
    html = _home(client, partnership).content.decode()
    assert "No priorities in this plan year." in html
    assert "No cross-cutting themes in this plan year." in html


def test_between_plans_it_shows_the_latest_plan_in_its_last_year(
    client, partnership, member, this_year
):
    old = factories.PlanPeriodFactory(partnership=partnership, start_year=2017, end_year=2017)
    last = factories.PlanPeriodFactory(partnership=partnership, start_year=2021, end_year=2023)
    factories.PlanPeriodFactory(partnership=partnership, start_year=2027, end_year=2029,
                                title="Future plan")
    client.force_login(member(Role.PARTNER))
    response = _home(client, partnership)
    assert response.context["plan"] == last and response.context["year"] == 2023
    assert old != last


def test_before_any_plan_starts_it_shows_the_first_plan_in_its_first_year(
    client, partnership, member
):
    later = factories.PlanPeriodFactory(partnership=partnership, start_year=2028, end_year=2030)
    factories.PlanPeriodFactory(partnership=partnership, start_year=2031, end_year=2033)
    client.force_login(member(Role.PARTNER))
    response = _home(client, partnership)
    assert response.context["plan"] == later and response.context["year"] == 2028


def test_it_shows_this_years_status_not_the_latest_of_any_year(client, partnership, member):
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2024, end_year=2026)
    priority = factories.PriorityFactory(partnership=partnership, plan=plan, title="Town centre")
    factories.PriorityStatusFactory(priority=priority, year=2024, status="off_track")
    client.force_login(member(Role.PARTNER))
    html = _home(client, partnership).content.decode()
    row = html.split("Town centre")[1].split("</tr>")[0]
    assert "Not set for 2025–26" in row and "Off track" not in row
    html = _home(client, partnership, year=2024).content.decode()
    row = html.split("Town centre")[1].split("</tr>")[0]
    assert "Off track" in row
    assert '<option value="2024" selected>2024–25</option>' in html


def test_a_year_outside_the_plan_is_not_found(client, partnership, member, plans):
    client.force_login(member(Role.PARTNER))
    assert _home(client, partnership, plan=plans[1].pk, year=2030).status_code == 404


def test_ended_priorities_leave_the_table_and_say_why_and_what_followed(
    client, partnership, member
):
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2024, end_year=2026)
    factories.PriorityFactory(partnership=partnership, plan=plan, title="Road safety",
                              ended_year=2025, ended_reason="No direct resources.")
    merged = factories.PriorityFactory(partnership=partnership, plan=plan, title="Night-time",
                                       ended_year=2025)
    successor = factories.PriorityFactory(partnership=partnership, plan=plan, start_year=2025,
                                          title="Violent crime")
    PriorityLinkFactory(source=merged, target=successor, kind="merged")
    factories.PriorityFactory(partnership=partnership, plan=plan, start_year=2026,
                              title="Mental health")
    client.force_login(member(Role.PARTNER))

    html = _home(client, partnership).content.decode()

    table = html.split('id="priorities-heading"')[1].split('id="themes-heading"')[0]
    assert "Violent crime" in table and "From 2025–26" in table
    assert "Road safety" not in table and "Night-time" not in table
    ended = html.split('id="ended-heading"')[1].split("</ul>")[0]
    assert "No longer running in 2025–26" in html
    assert ('Road safety</a> <span class="tag">Ended from 2025–26</span>: '
            "No direct resources.") in ended
    assert "merged into" in ended and "Violent crime</a> (" in ended
    later = html.split('id="later-heading"')[1]
    assert "Mental health</a> <span class=\"tag\">From 2026–27</span>" in later
    # In 2024–25 the ended ones still ran and the successor had not started.
    html = _home(client, partnership, year=2024).content.decode()
    table = html.split('id="priorities-heading"')[1].split('id="themes-heading"')[0]
    assert "Road safety" in table and "Until 2024–25" in table
    assert "Violent crime" not in table


@pytest.mark.parametrize(("role", "shown"), [(Role.CO_CHAIR, True), (Role.ADMIN, True),
                                             (Role.LEAD, False), (Role.OFFICER, False),
                                             (Role.PARTNER, False)])
def test_only_those_who_may_create_see_the_new_priority_button(
    client, partnership, member, plans, role, shown
):
    client.force_login(member(role))
    assert ("New priority or theme" in _home(client, partnership).content.decode()) is shown


def _add_priorities(partnership, plan, count: int) -> None:
    agency = factories.AgencyFactory(partnership=partnership)
    subgroup = factories.SubgroupFactory(partnership=partnership)
    for n in range(count):
        priority = factories.PriorityFactory(partnership=partnership, plan=plan,
                                             subgroup=subgroup, kind=("priority", "theme")[n % 2])
        factories.PriorityLeadFactory.create_batch(2, priority=priority, agency=agency)
        factories.PriorityStatusFactory(priority=priority, year=2022,
                                        set_by=factories.UserFactory())
        factories.PriorityStatusFactory(priority=priority, year=2023)


def _queries_for_home(client, partnership) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _home(client, partnership).status_code == 200
    return len(queries)


def test_the_home_page_makes_a_fixed_number_of_queries(client, partnership, member):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    client.force_login(member(Role.CO_CHAIR))
    _add_priorities(partnership, plan, 2)
    few = _queries_for_home(client, partnership)
    _add_priorities(partnership, plan, 30)
    many = _queries_for_home(client, partnership)
    assert many == few


def test_the_home_page_stays_under_a_query_budget(
    client, partnership, member, django_assert_max_num_queries
):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    _add_priorities(partnership, plan, 40)
    client.force_login(member(Role.CO_CHAIR))
    # session, user, partnership, roles, plans (the choice and the plan shown), priorities,
    # leads, lead users, lead agencies, statuses (with who set them), lineage links (with
    # the later priorities and their plans), nav partnerships.
    with django_assert_max_num_queries(12):
        _home(client, partnership)
