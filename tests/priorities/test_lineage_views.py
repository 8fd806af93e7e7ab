"""The lineage pages (continue, split, merge, demote, end or drop; remove a link):
what the forms offer, what a co-chair records through them, and bad input explained
next to the field with nothing changed. Who may open them: test_permission_matrix.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorities.models import Priority, PriorityLink
from smp.models import Role
from tests import factories
from tests.priorities.factories import PriorityLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(partnership):
    old = factories.PlanPeriodFactory(partnership=partnership, title="Plan 2015–18",
                                      start_year=2015, end_year=2017)
    new = factories.PlanPeriodFactory(partnership=partnership, title="Plan 2022–25",
                                      start_year=2022, end_year=2024)
    return old, new


@pytest.fixture
def signed_in(client, member):
    client.force_login(member(Role.CO_CHAIR))
    return client


def _url(name: str, priority: Priority) -> str:
    return reverse(f"priorities:{name}", args=[priority.partnership.slug, priority.pk])


def _snapshot() -> list:
    return [list(Priority.objects.order_by("pk").values()),
            list(PriorityLink.objects.order_by("pk").values())]


def test_the_continue_form_offers_later_priorities_and_later_plan_years(
    signed_in, partnership, plans
):
    old, new = plans
    priority = factories.PriorityFactory(partnership=partnership, plan=old, start_year=2016,
                                         title="Community Resilience")
    earlier = factories.PriorityFactory(partnership=partnership, plan=old, title="Road safety")
    later = factories.PriorityFactory(partnership=partnership, plan=new, title="Serious crime")

    html = signed_in.get(_url("continue", priority)).content.decode()

    assert "<h1>Continue “Community Resilience”</h1>" in html
    assert f'value="{later.pk}">Serious crime (2022–25, from 2022–23)</option>' in html
    assert f'value="{earlier.pk}"' not in html
    assert f'value="{old.pk}:2017">Plan 2015–18 – from 2017–18</option>' in html
    assert f'value="{old.pk}:2016"' not in html  # not before it started
    assert f'value="{new.pk}:2024">Plan 2022–25 – from 2024–25</option>' in html


def test_a_co_chair_continues_a_priority_into_the_next_plan(signed_in, partnership, plans):
    old, new = plans
    priority = factories.PriorityFactory(partnership=partnership, plan=old, title="OCGs")

    response = signed_in.post(_url("continue", priority), {
        "start": f"{new.pk}:2022", "title": "Serious and organised crime", "note": "Wider."})

    successor = Priority.objects.get(plan=new)
    assert response.url == _url("detail", priority)
    assert (successor.title, successor.start_year) == ("Serious and organised crime", 2022)
    assert PriorityLink.objects.get().kind == "continued"
    page = signed_in.get(response.url).content.decode()
    assert "Recorded: the priority continues." in page
    assert "Continued as <a" in page and "Serious and organised crime</a>" in page


def test_choosing_both_or_neither_successor_is_explained_and_nothing_changes(
    signed_in, partnership, plans
):
    old, new = plans
    priority = factories.PriorityFactory(partnership=partnership, plan=old)
    later = factories.PriorityFactory(partnership=partnership, plan=new)
    before = _snapshot()

    neither = signed_in.post(_url("continue", priority), {"note": "x"}).content.decode()
    both = signed_in.post(_url("continue", priority), {
        "existing": later.pk, "start": f"{new.pk}:2022"}).content.decode()
    forged = signed_in.post(_url("continue", priority), {"start": "999:2022"}).content.decode()

    assert "There is a problem" in neither and 'id="id_existing-error"' in neither
    assert "Choose an existing priority, or where a new one starts." in neither
    assert "not both" in both
    assert 'id="id_start-error"' in forged and "Select a valid choice" in forged
    assert _snapshot() == before


def test_a_service_refusal_is_shown_next_to_its_field(signed_in, partnership, plans):
    old, new = plans
    priority = factories.PriorityFactory(partnership=partnership, plan=old, title="Same")
    factories.PriorityFactory(partnership=partnership, plan=new, title="Same")
    before = _snapshot()
    html = signed_in.post(_url("continue", priority), {"start": f"{new.pk}:2022"}
                          ).content.decode()
    assert 'id="id_title-error"' in html and "already has a priority or theme called" in html
    assert _snapshot() == before


def test_a_co_chair_splits_a_priority_into_two_new_ones(signed_in, partnership, plans):
    old, _ = plans
    resilience = factories.PriorityFactory(partnership=partnership, plan=old, start_year=2016)
    response = signed_in.post(_url("split", resilience), {
        "start": f"{old.pk}:2017", "titles": "Organised Crime Groups\nGangs and CSE\n"})
    assert response.status_code == 302
    assert set(resilience.successor_links.values_list("target__title", flat=True)) == {
        "Organised Crime Groups", "Gangs and CSE"}


def test_a_split_without_a_start_or_second_part_is_explained(signed_in, partnership, plans):
    old, _ = plans
    priority = factories.PriorityFactory(partnership=partnership, plan=old)
    before = _snapshot()
    html = signed_in.post(_url("split", priority), {"titles": "Only one"}).content.decode()
    assert "Choose where the new priorities start." in html
    html = signed_in.post(_url("split", priority), {"start": f"{old.pk}:2016",
                                                    "titles": "Only one"}).content.decode()
    assert "Choose or name at least two priorities" in html
    assert _snapshot() == before


def test_a_co_chair_merges_two_priorities_into_a_new_one(signed_in, partnership, plans):
    old, _ = plans
    domestic = factories.PriorityFactory(partnership=partnership, plan=old, title="VC – DA")
    night = factories.PriorityFactory(partnership=partnership, plan=old, title="VC – NTE")
    factories.PriorityFactory(partnership=partnership, title="Other plan's")

    form = signed_in.get(_url("merge", domestic)).content.decode()
    others = form.split("<legend>Merge “VC – DA” with")[1].split("</fieldset>")[0]
    assert "VC – NTE" in others and "Other plan" not in others  # the same plan only
    response = signed_in.post(_url("merge", domestic), {
        "others": [night.pk], "start": f"{old.pk}:2017", "title": "Violent crime"})

    assert response.status_code == 302
    merged = Priority.objects.get(title="Violent crime")
    assert {link.source for link in merged.predecessor_links.all()} == {domestic, night}


def test_a_co_chair_demotes_a_priority_into_an_existing_theme(signed_in, partnership, plans):
    old, new = plans
    priority = factories.PriorityFactory(partnership=partnership, plan=old)
    theme = factories.PriorityFactory(partnership=partnership, plan=new, kind="theme",
                                      title="Tackling ASB")
    named = factories.PriorityFactory(partnership=partnership, plan=new, title="Named one")
    form = signed_in.get(_url("demote", priority)).content.decode()
    assert "Tackling ASB" in form and "Named one" not in form  # themes only
    signed_in.post(_url("demote", priority), {"existing": theme.pk})
    assert PriorityLink.objects.get().kind == "demoted"
    assert named.predecessor_links.count() == 0


def test_the_end_page_sets_changes_and_clears_the_end_year(signed_in, partnership, plans):
    old, _ = plans
    road = factories.PriorityFactory(partnership=partnership, plan=old, title="Road safety")
    form = signed_in.get(_url("end", road)).content.decode()
    assert '<option value="2016">2016–17</option>' in form
    assert '<option value="2018">2018–19: when the plan ended</option>' in form

    missing = signed_in.post(_url("end", road), {"ended_year": "2017", "reason": ""})
    assert "Say why the priority ended." in missing.content.decode()
    signed_in.post(_url("end", road), {"ended_year": "2017",
                                       "reason": "No direct resources, powers or influence."})
    road.refresh_from_db()
    assert (road.ended_year, road.ended_reason) == (
        2017, "No direct resources, powers or influence.")
    page = signed_in.get(_url("end", road)).content.decode()
    assert '<option value="2017" selected>' in page

    signed_in.post(_url("end", road), {"ended_year": "", "reason": ""})
    road.refresh_from_db()
    assert road.ended_year is None


def test_a_link_is_removed_from_either_priority_page(signed_in, partnership, plans):
    old, new = plans
    source = factories.PriorityFactory(partnership=partnership, plan=old, ended_year=2018)
    target = factories.PriorityFactory(partnership=partnership, plan=new)
    link = PriorityLinkFactory(source=source, target=target)
    unrelated = factories.PriorityFactory(partnership=partnership, plan=new)
    url = reverse("priorities:link_remove", args=[partnership.slug, unrelated.pk, link.pk])
    assert signed_in.post(url).status_code == 404  # not a link of this priority

    url = reverse("priorities:link_remove", args=[partnership.slug, target.pk, link.pk])
    response = signed_in.post(url)

    assert response.url == _url("detail", target)
    assert not PriorityLink.objects.exists()
    source.refresh_from_db()
    assert source.ended_year == 2018  # end years are left as they were
    assert "End years are unchanged." in signed_in.get(response.url).content.decode()
