"""Who may read and write action plans: every view, every role, other tenants."""

import datetime as dt

import pytest

from actionplans.models import Action, ActionPlan, Outcome, ProgressUpdate, Target
from datasets.models import IndicatorValue
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    OutcomeFactory,
)
from tests.factories import MembershipFactory, PriorityFactory, PriorityLeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partnership, member):
    plan = ActionPlanFactory(priority=PriorityFactory(partnership=partnership), year=2023)
    action = ActionFactory(plan=plan)
    outcome = OutcomeFactory(plan=plan)
    indicator = IndicatorFactory(plan=plan, frequency="calendar_year")
    lead = member("lead")
    PriorityLeadFactory(priority=plan.priority, user=lead)
    other_lead = member("lead")
    PriorityLeadFactory(priority=PriorityFactory(partnership=partnership, plan=plan.priority.plan),
                        user=other_lead)
    outsider = MembershipFactory(role="co_chair").user  # another partnership
    users = {"co_chair": member("co_chair"), "officer": member("officer"),
             "admin": member("admin"), "partner": member("partner"),
             "committee": member("committee"), "lead": lead, "other_lead": other_lead,
             "outsider": outsider}
    return {"slug": partnership.slug, "plan": plan, "action": action, "outcome": outcome,
            "indicator": indicator, "users": users}


def read_urls(w):
    s, p, i = w["slug"], w["plan"], w["indicator"]
    return [f"/p/{s}/plans/{p.pk}/", f"/p/{s}/plans/{p.pk}/print/", f"/p/{s}/plans/actions/",
            f"/p/{s}/plans/actions/export.csv", f"/p/{s}/plans/actions/export.xlsx",
            f"/p/{s}/plans/my-work/", f"/p/{s}/plans/indicator/{i.pk}/"]


def write_urls(w):
    s, p, a, i, o = w["slug"], w["plan"], w["action"], w["indicator"], w["outcome"]
    return [f"/p/{s}/plans/{p.pk}/aim/", f"/p/{s}/plans/{p.pk}/next-year/",
            f"/p/{s}/plans/{p.pk}/outcomes/new/", f"/p/{s}/plans/{p.pk}/outcomes/{o.pk}/",
            f"/p/{s}/plans/{p.pk}/actions/new/", f"/p/{s}/plans/{p.pk}/indicators/new/",
            f"/p/{s}/plans/action/{a.pk}/edit/", f"/p/{s}/plans/indicator/{i.pk}/edit/",
            f"/p/{s}/plans/indicator/{i.pk}/value/", f"/p/{s}/plans/indicator/{i.pk}/target/",
            f"/p/{s}/plans/priority/{p.priority_id}/new/"]


@pytest.mark.parametrize("role", ["co_chair", "officer", "admin", "partner", "committee",
                                  "lead", "other_lead"])
def test_every_member_reads_plans_tables_and_indicators(client, world, role):
    client.force_login(world["users"][role])
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url


def test_a_user_of_another_partnership_gets_404_everywhere(client, world):
    client.force_login(world["users"]["outsider"])
    for url in read_urls(world) + write_urls(world):
        assert client.get(url).status_code == 404, url
    progress = f"/p/{world['slug']}/plans/action/{world['action'].pk}/progress/"
    assert client.post(progress, {}).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, world):
    response = client.get(read_urls(world)[0])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_committee_members_do_not_see_unpublished_plans(client, world):
    plan_period = world["plan"].priority.plan
    plan_period.is_published = False
    plan_period.save()
    client.force_login(world["users"]["committee"])
    assert client.get(read_urls(world)[0]).status_code == 404
    assert client.get(f"/p/{world['slug']}/plans/indicator/{world['indicator'].pk}/"
                      ).status_code == 404


@pytest.mark.parametrize("role", ["co_chair", "officer", "admin", "lead"])
def test_editors_open_every_edit_page(client, world, role):
    client.force_login(world["users"][role])
    for url in write_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["partner", "committee", "other_lead"])
def test_readers_and_leads_of_other_priorities_are_forbidden(client, world, role):
    client.force_login(world["users"][role])
    for url in write_urls(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"aim": "x", "text": "x"}).status_code == 403, url


def test_lead_of_a_cannot_edit_b_and_nothing_changes(client, world):
    action, plan = world["action"], world["plan"]
    client.force_login(world["users"]["other_lead"])
    slug = world["slug"]
    response = client.post(f"/p/{slug}/plans/action/{action.pk}/progress/", {
        f"a{action.pk}-new_status": "off_track", f"a{action.pk}-note": "Mine now",
        f"a{action.pk}-version": 1})
    assert response.status_code == 403
    response = client.post(f"/p/{slug}/plans/action/{action.pk}/edit/", {
        "description": "Hijacked", "lead_agency": action.lead_agency_id,
        "due_date": "2025-01-01", "status": "dropped", "version": 1})
    assert response.status_code == 403
    response = client.post(f"/p/{slug}/plans/{plan.pk}/aim/", {"aim": "Hijacked"})
    assert response.status_code == 403
    indicator = world["indicator"]
    response = client.post(f"/p/{slug}/plans/indicator/{indicator.pk}/value/", {
        "period_start": "2024-01-01", "value": "1", "note": "Hijacked"})
    assert response.status_code == 403
    response = client.post(f"/p/{slug}/plans/indicator/{indicator.pk}/target/", {
        "comparator": "below", "value": "1"})
    assert response.status_code == 403
    assert not IndicatorValue.objects.filter(series=indicator.series).exists()
    assert not Target.objects.filter(indicator=indicator).exists()
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.status, fresh.description, fresh.version) == (
        action.status, action.description, 1)
    assert ActionPlan.objects.get(pk=plan.pk).aim == plan.aim
    assert not ProgressUpdate.objects.exists()
    assert Action.history.filter(id=action.pk).count() == 1


def test_the_priority_page_links_to_its_action_plan(client, world):
    client.force_login(world["users"]["partner"])
    priority = world["plan"].priority
    # Give the history rows a user so this test checks only the link (the page shows
    # rows without one as "by the system").
    priority.history.update(history_user=world["users"]["co_chair"])
    page = client.get(f"/p/{world['slug']}/priorities/{priority.pk}/")
    link = f"/p/{world['slug']}/plans/priority/{priority.pk}/"
    assert link in page.content.decode()
    assert client.get(link)["Location"] == f"/p/{world['slug']}/plans/{world['plan'].pk}/"


def test_a_priority_without_a_plan_offers_editors_to_start_one(client, partnership, member):
    priority = PriorityFactory(partnership=partnership)
    co_chair = member("co_chair")
    client.force_login(co_chair)
    page = client.get(f"/p/{partnership.slug}/plans/priority/{priority.pk}/")
    assert "Start the action plan" in page.content.decode()
    response = client.post(f"/p/{partnership.slug}/plans/priority/{priority.pk}/new/",
                           {"year": 2023, "aim": ""})
    plan = ActionPlan.objects.get(priority=priority)
    assert response["Location"] == f"/p/{partnership.slug}/plans/{plan.pk}/"
    assert plan.aim == priority.aim
    assert plan.history.get().history_user == co_chair


def test_outcome_added_through_the_page_is_audited(client, world):
    client.force_login(world["users"]["lead"])
    slug, plan = world["slug"], world["plan"]
    client.post(f"/p/{slug}/plans/{plan.pk}/outcomes/new/", {"text": "Fewer needles",
                                                              "order": 2})
    outcome = Outcome.objects.get(text="Fewer needles")
    assert outcome.history.get().history_user == world["users"]["lead"]
    page = client.get(f"/p/{slug}/plans/{plan.pk}/").content.decode()
    assert "Change history" in page and "Fewer needles" in page


def test_the_table_filters_overdue_actions(client, world):
    plan = world["plan"]
    ActionFactory(plan=plan, description="Late thing", due_date=dt.date(2020, 1, 1))
    ActionFactory(plan=plan, description="Future thing", due_date=dt.date(2999, 1, 1))
    client.force_login(world["users"]["partner"])
    page = client.get(f"/p/{world['slug']}/plans/actions/?overdue=on").content.decode()
    assert "Late thing" in page and "Future thing" not in page
