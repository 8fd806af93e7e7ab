"""The permission matrix: every page and action of smp/urls.py and priorities/urls.py
for every kind of user, each cell asserted, including the forbidden ones.

Actors (one partnership unless stated):

* ``co_chair``, ``officer``, ``partner``, ``admin``: members holding that role;
* ``lead``: leads the target priority; ``lead_other``: leads another priority;
* ``committee``: committee member acting on a published plan's priority;
* ``committee_draft``: the same kind of member acting on an unpublished plan's priority;
* ``superuser``: a Django superuser (staff) who belongs to no partnership;
* ``anonymous``: not signed in; ``outsider``: co-chair of another partnership.

Expected cells: an HTTP status, ``login`` (redirect to the sign-in page) or
``admin_login`` (redirect to the admin's sign-in page). A forbidden POST must leave
the database exactly as it was; an allowed POST must make its change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityLead,
    PriorityLink,
    PriorityStatus,
    Subgroup,
    SubgroupMember,
)
from smp.models import Agency, Membership, Partnership, Role
from tests import factories

ACTORS = [
    "co_chair", "lead", "lead_other", "officer", "partner", "committee", "committee_draft",
    "admin", "superuser", "anonymous", "outsider",
]


def row(*cells: Any) -> dict[str, Any]:
    assert len(cells) == len(ACTORS)
    return dict(zip(ACTORS, cells, strict=True))


L, AL = "login", "admin_login"

# columns: co_chair lead lead_other officer partner committee c_draft admin super anon outsider
MATRIX: dict[tuple[str, str], dict[str, Any]] = {
    ("home", "GET"):            row(302, 302, 302, 302, 302, 302, 302, 302, 200, L, 302),
    ("healthz", "GET"):         row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("login", "GET"):           row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("logout", "POST"):         row(L, L, L, L, L, L, L, L, L, L, L),
    ("password_change", "GET"): row(200, 200, 200, 200, 200, 200, 200, 200, 200, L, 200),
    ("password_reset", "GET"):  row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("admin", "GET"):           row(AL, AL, AL, AL, AL, AL, AL, AL, 200, AL, AL),
    ("p:home", "GET"):          row(200, 200, 200, 200, 200, 200, 404, 200, 200, L, 404),
    ("p:create", "GET"):        row(200, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:create", "POST"):       row(302, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("p:detail", "GET"):        row(200, 200, 200, 200, 200, 200, 404, 200, 200, L, 404),
    ("p:edit", "GET"):          row(200, 200, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:edit", "POST"):         row(302, 302, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:status", "GET"):        row(200, 403, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:status", "POST"):       row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:leads", "GET"):         row(200, 403, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:leads", "POST"):        row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:lead_remove", "GET"):   row(405, 405, 405, 405, 405, 405, 405, 405, 405, L, 405),
    ("p:lead_remove", "POST"):  row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:subgroups", "GET"):     row(200, 200, 200, 200, 200, 200, 200, 200, 200, L, 404),
    ("p:subgroup_create", "GET"):  row(200, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:subgroup_create", "POST"): row(302, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("p:subgroup_edit", "GET"):    row(200, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:subgroup_edit", "POST"):   row(302, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
}

CASES = [
    pytest.param(page, method, actor, expected, id=f"{page}-{method}-{actor}")
    for (page, method), cells in MATRIX.items()
    for actor, expected in cells.items()
]


@dataclass
class World:
    partnership: Partnership
    plan: PlanPeriod
    draft_plan: PlanPeriod
    priority: Priority  # published plan; ``lead`` leads it
    draft: Priority  # unpublished plan
    lead_row: PriorityLead
    draft_lead_row: PriorityLead
    subgroup: Subgroup
    agency: Agency
    candidate: Any  # a member who may be made a lead
    users: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    partnership = factories.PartnershipFactory(slug="maidstone")
    agency = factories.AgencyFactory(partnership=partnership)
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2022, end_year=2024)
    draft_plan = factories.PlanPeriodFactory(
        partnership=partnership, start_year=2025, end_year=2027, is_published=False
    )
    subgroup = factories.SubgroupFactory(partnership=partnership)
    priority = factories.PriorityFactory(partnership=partnership, plan=plan, subgroup=subgroup)
    other = factories.PriorityFactory(partnership=partnership, plan=plan)
    draft = factories.PriorityFactory(partnership=partnership, plan=draft_plan)

    def member(role: str):
        return factories.MembershipFactory(partnership=partnership, role=role, agency=agency).user

    users = {
        "co_chair": member(Role.CO_CHAIR),
        "lead": member(Role.LEAD),
        "lead_other": member(Role.LEAD),
        "officer": member(Role.OFFICER),
        "partner": member(Role.PARTNER),
        "committee": member(Role.COMMITTEE),
        "admin": member(Role.ADMIN),
        "superuser": factories.UserFactory(is_superuser=True, is_staff=True),
        "anonymous": None,
        "outsider": factories.MembershipFactory(role=Role.CO_CHAIR).user,
    }
    users["committee_draft"] = users["committee"]
    lead_row = factories.PriorityLeadFactory(priority=priority, user=users["lead"], agency=agency)
    factories.PriorityLeadFactory(priority=other, user=users["lead_other"], agency=agency)
    draft_lead_row = factories.PriorityLeadFactory(
        priority=draft, user=member(Role.LEAD), agency=agency
    )
    return World(
        partnership=partnership, plan=plan, draft_plan=draft_plan, priority=priority,
        draft=draft, lead_row=lead_row, draft_lead_row=draft_lead_row, subgroup=subgroup,
        agency=agency, candidate=member(Role.PARTNER), users=users,
    )


def _url(page: str, world: World, actor: str) -> str:
    slug = world.partnership.slug
    draft = actor == "committee_draft"
    priority = world.draft if draft else world.priority
    lead = world.draft_lead_row if draft else world.lead_row
    if page == "admin":
        return reverse("admin:index")
    if not page.startswith("p:"):
        return reverse(page)
    name = page[2:]
    if name == "home":
        url = reverse("priorities:home", args=[slug])
        return f"{url}?plan={world.draft_plan.pk}" if draft else url
    if name in {"create", "subgroups", "subgroup_create"}:
        return reverse(f"priorities:{name}", args=[slug])
    if name == "subgroup_edit":
        return reverse("priorities:subgroup_edit", args=[slug, world.subgroup.pk])
    if name == "lead_remove":
        return reverse("priorities:lead_remove", args=[slug, priority.pk, lead.pk])
    return reverse(f"priorities:{name}", args=[slug, priority.pk])


def _post_data(page: str, world: World) -> dict[str, Any]:
    return {
        "p:create": {"plan": world.plan.pk, "title": "A new priority", "kind": "priority",
                     "aim": "To do good.", "order": 9, "subgroup": ""},
        "p:edit": {"plan": world.plan.pk, "title": "Edited title", "kind": "priority",
                   "aim": "Edited aim.", "order": 1, "subgroup": world.subgroup.pk},
        "p:status": {"year": 2023, "status": "at_risk", "commentary": "Slipping."},
        "p:leads": {"user": world.candidate.pk, "agency": world.agency.pk},
        "p:subgroup_create": {"name": "A new subgroup", "description": ""},
        "p:subgroup_edit": {"name": "Renamed subgroup", "description": "New words."},
    }.get(page, {})


def _made_its_change(page: str, world: World) -> bool:
    """What an allowed POST must have done."""
    checks = {
        "p:create": lambda: Priority.objects.filter(title="A new priority").exists(),
        "p:edit": lambda: Priority.objects.get(pk=world.priority.pk).title == "Edited title",
        "p:status": lambda: PriorityStatus.objects.filter(
            priority=world.priority, year=2023, status="at_risk").exists(),
        "p:leads": lambda: PriorityLead.objects.filter(
            priority=world.priority, user=world.candidate).exists(),
        "p:lead_remove": lambda: not PriorityLead.objects.filter(pk=world.lead_row.pk).exists(),
        "p:subgroup_create": lambda: Subgroup.objects.filter(name="A new subgroup").exists(),
        "p:subgroup_edit": lambda: Subgroup.objects.get(
            pk=world.subgroup.pk).name == "Renamed subgroup",
    }
    return checks[page]()


WATCHED = [Partnership, Agency, Membership, PlanPeriod, Subgroup, SubgroupMember, Priority,
           PriorityLead, PriorityStatus, PriorityLink]


def _snapshot() -> dict[str, Any]:
    state: dict[str, Any] = {}
    for model in WATCHED:
        state[model.__name__] = list(model.objects.order_by("pk").values())
        state[f"history:{model.__name__}"] = model.history.count()
    state["users"] = list(get_user_model().objects.order_by("pk").values())
    return state


def _client(world: World, actor: str) -> Client:
    client = Client()
    user = world.users[actor]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("page", "method", "actor", "expected"), CASES)
def test_permission_matrix(world, page, method, actor, expected):
    url = _url(page, world, actor)
    client = _client(world, actor)
    before = _snapshot()

    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, _post_data(page, world))

    if expected == L:
        assert response.status_code == 302, response.content[:300]
        assert response.url.startswith(reverse("login"))
    elif expected == AL:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected, (
            response.status_code, response.content[:500])

    if method == "POST" and page.startswith("p:"):
        if expected == 302:
            assert _made_its_change(page, world), "an allowed POST must make its change"
        else:
            assert _snapshot() == before, "a refused POST must not change the database"
    elif method == "GET":
        assert _snapshot() == before, "reading a page must not change the database"


def test_the_matrix_covers_every_named_view():
    """A new URL in smp/urls.py or priorities/urls.py must get a row here."""
    from priorities import urls as priority_urls
    from smp import urls as smp_urls

    names = {f"p:{p.name}" for p in priority_urls.urlpatterns}
    names |= {p.name for p in smp_urls.urlpatterns if getattr(p, "name", None)}
    names |= {"logout", "password_change", "password_reset", "admin"}
    assert names == {page for page, _ in MATRIX}


def test_the_root_page_sends_a_single_partnership_member_to_their_partnership(world):
    response = _client(world, "outsider").get(reverse("home"))
    outsider_slug = world.users["outsider"].memberships.get().partnership.slug
    assert response.url == reverse("priorities:home", args=[outsider_slug])
    response = _client(world, "partner").get(reverse("home"))
    assert response.url == reverse("priorities:home", args=[world.partnership.slug])
