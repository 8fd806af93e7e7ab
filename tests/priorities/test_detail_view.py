"""The priority page: aim, leads, statuses by year, lineage both ways, change history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorities.models import PriorityLink
from smp.models import Role
from tests import factories
from tests.priorities.factories import PriorityLinkFactory

pytestmark = pytest.mark.django_db


def _detail(client, priority):
    return client.get(reverse("priorities:detail", args=[priority.partnership.slug, priority.pk]))


def test_it_shows_aim_leads_and_every_years_status(client, partnership, member):
    co_chair = member(Role.CO_CHAIR, user__first_name="Alison", user__last_name="Broom")
    lead = member(Role.LEAD, user__first_name="Helen", user__last_name="Morris")
    priority = factories.PriorityFactory(partnership=partnership, aim="To reduce harm.")
    factories.PriorityLeadFactory(priority=priority, user=lead,
                                  agency__name="Maidstone Borough Council")
    factories.PriorityStatusFactory(priority=priority, year=2022, status="on_track",
                                    commentary="Delivered.", set_by=co_chair)
    factories.PriorityStatusFactory(priority=priority, year=2023, status="off_track",
                                    set_by=None)
    client.force_login(member(Role.PARTNER))

    html = _detail(client, priority).content.decode()

    assert "To reduce harm." in html
    assert "Helen Morris – Maidstone Borough Council" in html
    statuses = html.split("<h2>Status by year</h2>")[1].split("</table>")[0]
    assert "2022–23" in statuses and "On track" in statuses and "Delivered." in statuses
    assert "Alison Broom" in statuses
    assert "2023–24" in statuses and "Off track" in statuses
    assert statuses.index("2023–24") < statuses.index("2022–23")  # newest year first


def test_it_shows_the_lineage_both_ways(client, partnership, member):
    old = factories.PriorityFactory(partnership=partnership, title="Substance Misuse",
                                    plan__title="Plan 2017–18", plan__start_year=2017,
                                    plan__end_year=2017, ended_year=2018)
    theme = factories.PriorityFactory(partnership=partnership, title="Substance misuse theme",
                                      kind="theme", plan__title="Plan 2022–25")
    PriorityLinkFactory(source=old, target=theme, kind=PriorityLink.Kind.DEMOTED,
                        note="No longer a named priority.")
    client.force_login(member(Role.PARTNER))

    newer = _detail(client, theme).content.decode()
    history = newer.split('id="history-heading"')[1]
    assert "Demoted from the priority" in history
    assert ">Substance Misuse</a> (Plan 2017–18): No longer a named priority." in history
    assert reverse("priorities:detail", args=[partnership.slug, old.pk]) in history

    older = _detail(client, old).content.decode()
    assert "ended with the plan" in older
    history = older.split('id="history-heading"')[1]
    assert "Demoted to cross-cutting theme" in history
    assert reverse("priorities:detail", args=[partnership.slug, theme.pk]) in history
    assert "(Plan 2022–25, from 2022–23): No longer a named priority." in history
    assert "Remove link" not in history  # a partner member reads, never changes


def test_co_chairs_see_how_to_record_what_became_of_a_priority(client, partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)
    theme = factories.PriorityFactory(partnership=partnership, kind="theme")
    client.force_login(member(Role.CO_CHAIR))
    html = _detail(client, priority).content.decode()
    for action in ("continue", "split", "merge", "demote", "end"):
        assert reverse(f"priorities:{action}", args=[partnership.slug, priority.pk]) in html
    # A theme cannot be demoted any further.
    html = _detail(client, theme).content.decode()
    assert reverse("priorities:demote", args=[partnership.slug, theme.pk]) not in html
    assert reverse("priorities:end", args=[partnership.slug, theme.pk]) in html


def test_a_priority_that_ended_mid_plan_says_when_and_why(client, partnership, member):
    priority = factories.PriorityFactory(partnership=partnership, start_year=2022,
                                         ended_year=2024, ended_reason="No resources.")
    client.force_login(member(Role.PARTNER))
    html = _detail(client, priority).content.decode()
    assert "runs 2022–23 to 2023–24 · no longer runs from 2024–25" in html
    assert "Why it ended:</strong> No resources." in html


def test_it_shows_who_changed_the_priority(client, partnership, member):
    co_chair = member(Role.CO_CHAIR, user__first_name="Mark", user__last_name="Hunt")
    priority = factories.PriorityFactory(partnership=partnership)  # created by "the system"
    client.force_login(co_chair)
    client.post(reverse("priorities:edit", args=[partnership.slug, priority.pk]),
                {"plan": priority.plan_id, "title": "Renamed", "kind": "priority",
                 "order": 1, "aim": ""})
    html = _detail(client, priority).content.decode()
    assert "Changed by Mark Hunt" in html
    assert "Created by the system" in html


@pytest.mark.parametrize(("role", "edit", "status", "leads"), [
    (Role.CO_CHAIR, True, True, True),
    (Role.ADMIN, True, True, True),
    (Role.OFFICER, False, False, False),
    (Role.PARTNER, False, False, False),
])
def test_buttons_match_what_the_user_may_do(client, partnership, member, role, edit, status,
                                            leads):
    priority = factories.PriorityFactory(partnership=partnership)
    client.force_login(member(role))
    html = _detail(client, priority).content.decode()
    assert (">Edit</a>" in html) is edit
    assert ("Set status" in html) is status
    assert ("Manage leads" in html) is leads


def test_a_lead_sees_edit_on_their_priority_only(client, partnership, member):
    lead = member(Role.LEAD)
    own = factories.PriorityFactory(partnership=partnership)
    other = factories.PriorityFactory(partnership=partnership)
    factories.PriorityLeadFactory(priority=own, user=lead)
    client.force_login(lead)
    assert ">Edit</a>" in _detail(client, own).content.decode()
    assert ">Edit</a>" not in _detail(client, other).content.decode()


def test_empty_states(client, partnership, member):
    priority = factories.PriorityFactory(partnership=partnership, aim="")
    client.force_login(member(Role.PARTNER))
    html = _detail(client, priority).content.decode()
    assert "No aim statement yet." in html
    assert "No lead yet." in html
    assert "No status has been set yet." in html
    assert "Not linked to earlier or later priorities." in html


def test_setting_a_status_through_the_page(client, partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)
    co_chair = member(Role.CO_CHAIR)
    client.force_login(co_chair)
    url = reverse("priorities:status", args=[partnership.slug, priority.pk])
    response = client.post(url, {"year": 2024, "status": "completed", "commentary": "Done."})
    assert response.url == reverse("priorities:detail", args=[partnership.slug, priority.pk])
    status = priority.statuses.get()
    assert (status.year, status.status, status.set_by) == (2024, "completed", co_chair)
    bad = client.post(url, {"year": 2024, "status": ""})
    assert bad.status_code == 200 and "This field is required." in bad.content.decode()


def test_managing_leads_through_the_page(client, partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)
    candidate = member(Role.PARTNER)
    agency = factories.AgencyFactory(partnership=partnership)
    client.force_login(member(Role.CO_CHAIR))
    url = reverse("priorities:leads", args=[partnership.slug, priority.pk])
    client.post(url, {"user": candidate.pk, "agency": agency.pk})
    lead = priority.leads.get()
    again = client.post(url, {"user": candidate.pk, "agency": agency.pk})
    assert again.status_code == 200 and "There is a problem" in again.content.decode()
    client.post(reverse("priorities:lead_remove", args=[partnership.slug, priority.pk, lead.pk]))
    assert not priority.leads.exists()


def test_a_lead_row_of_another_priority_cannot_be_removed_through_this_one(
    client, partnership, member
):
    priority = factories.PriorityFactory(partnership=partnership)
    other_lead = factories.PriorityLeadFactory(
        priority=factories.PriorityFactory(partnership=partnership))
    client.force_login(member(Role.CO_CHAIR))
    url = reverse("priorities:lead_remove", args=[partnership.slug, priority.pk, other_lead.pk])
    assert client.post(url).status_code == 404
    assert other_lead.__class__.objects.filter(pk=other_lead.pk).exists()
