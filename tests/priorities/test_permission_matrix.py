"""The permission matrix: every page and action of smp/urls.py, smp/urls_manage.py
("m:", the administration pages) and priorities/urls.py ("p:") for every kind of user,
each cell asserted, including the forbidden ones.

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
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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
from tests.priorities.factories import PriorityLinkFactory, SubgroupMemberFactory

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
    ("password_reset_done", "GET"):     row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_reset_confirm", "GET"):  row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("password_reset_complete", "GET"): row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_change_done", "GET"):    row(200, 200, 200, 200, 200, 200, 200, 200, 200, L, 200),
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
    ("p:continue", "GET"):      row(200, 403, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:continue", "POST"):     row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:split", "GET"):         row(200, 403, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:split", "POST"):        row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:merge", "GET"):         row(200, 403, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:merge", "POST"):        row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:demote", "GET"):        row(200, 403, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:demote", "POST"):       row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:end", "GET"):           row(200, 403, 403, 403, 403, 403, 404, 200, 200, L, 404),
    ("p:end", "POST"):          row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:link_remove", "GET"):   row(405, 405, 405, 405, 405, 405, 405, 405, 405, L, 405),
    ("p:link_remove", "POST"):  row(302, 403, 403, 403, 403, 403, 404, 302, 302, L, 404),
    ("p:subgroups", "GET"):     row(200, 200, 200, 200, 200, 200, 200, 200, 200, L, 404),
    ("p:subgroup", "GET"):      row(200, 200, 200, 200, 200, 200, 200, 200, 200, L, 404),
    ("p:member_add", "GET"):    row(405, 405, 405, 405, 405, 405, 405, 405, 405, L, 405),
    ("p:member_add", "POST"):   row(302, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("p:member_remove", "GET"):  row(405, 405, 405, 405, 405, 405, 405, 405, 405, L, 405),
    ("p:member_remove", "POST"): row(302, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("p:subgroup_create", "GET"):  row(200, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:subgroup_create", "POST"): row(302, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("p:subgroup_edit", "GET"):    row(200, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:subgroup_edit", "POST"):   row(302, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    # Administrators only: plan periods, memberships, agencies.
    ("p:plans", "GET"):         row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:plan_create", "GET"):   row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:plan_create", "POST"):  row(403, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("p:plan_edit", "GET"):     row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("p:plan_edit", "POST"):    row(403, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("m:home", "GET"):          row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("m:members", "GET"):       row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("m:member_add", "GET"):    row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("m:member_add", "POST"):   row(403, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("m:member", "GET"):        row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("m:member", "POST"):       row(403, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("m:member_remove", "GET"):  row(405, 405, 405, 405, 405, 405, 405, 405, 405, L, 405),
    ("m:member_remove", "POST"): row(403, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("m:agencies", "GET"):      row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("m:agency_create", "GET"):  row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("m:agency_create", "POST"): row(403, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
    ("m:agency_edit", "GET"):   row(403, 403, 403, 403, 403, 403, 403, 200, 200, L, 404),
    ("m:agency_edit", "POST"):  row(403, 403, 403, 403, 403, 403, 403, 302, 302, L, 404),
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
    other: Priority  # same plan; ``lead_other`` leads it
    link: PriorityLink  # ``priority`` continued as a priority starting in 2024
    seat: SubgroupMember  # ``lead`` sits on ``subgroup``
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
    successor = factories.PriorityFactory(partnership=partnership, plan=plan, start_year=2024)
    return World(
        partnership=partnership, plan=plan, draft_plan=draft_plan, priority=priority,
        draft=draft, other=other, lead_row=lead_row, draft_lead_row=draft_lead_row,
        link=PriorityLinkFactory(source=priority, target=successor),
        seat=SubgroupMemberFactory(subgroup=subgroup, user=users["lead"], agency=agency),
        subgroup=subgroup, agency=agency, candidate=member(Role.PARTNER), users=users,
    )


def _url(page: str, world: World, actor: str) -> str:
    slug = world.partnership.slug
    draft = actor == "committee_draft"
    priority = world.draft if draft else world.priority
    lead = world.draft_lead_row if draft else world.lead_row
    if page == "admin":
        return reverse("admin:index")
    if page == "password_reset_confirm":
        user = world.candidate
        return reverse(page, kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                     "token": default_token_generator.make_token(user)})
    if page.startswith("m:"):
        return _manage_url(page[2:], world)
    if not page.startswith("p:"):
        return reverse(page)
    name = page[2:]
    if name == "home":
        url = reverse("priorities:home", args=[slug])
        return f"{url}?plan={world.draft_plan.pk}" if draft else url
    if name in {"create", "subgroups", "subgroup_create", "plans", "plan_create"}:
        return reverse(f"priorities:{name}", args=[slug])
    if name in {"subgroup", "subgroup_edit", "member_add"}:
        return reverse(f"priorities:{name}", args=[slug, world.subgroup.pk])
    if name == "member_remove":
        return reverse("priorities:member_remove", args=[slug, world.subgroup.pk, world.seat.pk])
    if name == "plan_edit":
        return reverse("priorities:plan_edit", args=[slug, world.plan.pk])
    if name == "lead_remove":
        return reverse("priorities:lead_remove", args=[slug, priority.pk, lead.pk])
    if name == "link_remove":
        return reverse("priorities:link_remove", args=[slug, priority.pk, world.link.pk])
    return reverse(f"priorities:{name}", args=[slug, priority.pk])


def _manage_url(name: str, world: World) -> str:
    slug = world.partnership.slug
    if name in {"member", "member_remove"}:
        return reverse(f"manage:{name}", args=[slug, world.candidate.pk])
    if name == "agency_edit":
        return reverse("manage:agency_edit", args=[slug, world.agency.pk])
    return reverse(f"manage:{name}", args=[slug])


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
        "p:continue": {"start": f"{world.plan.pk}:2023", "title": "Continued title"},
        "p:split": {"start": f"{world.plan.pk}:2023", "titles": "Part A\nPart B"},
        "p:merge": {"others": [world.other.pk], "start": f"{world.plan.pk}:2023",
                    "title": "Merged one"},
        "p:demote": {"start": f"{world.plan.pk}:2023", "title": "Demoted theme"},
        "p:end": {"ended_year": 2023, "reason": "Dropped."},
        "p:member_add": {"user": world.candidate.pk, "role": "member"},
        "p:plan_create": {"title": "Plan 2028–31", "start_year": 2028, "end_year": 2030,
                          "is_published": "on"},
        "p:plan_edit": {"title": "Renamed plan", "start_year": 2022, "end_year": 2024,
                        "is_published": "on"},
        "m:member_add": {"account": world.candidate.username, "roles": ["officer"]},
        "m:member": {"roles": ["partner", "officer"], "agency": world.agency.pk},
        "m:agency_create": {"name": "New agency", "short_name": "NA",
                            "is_responsible_authority": "on"},
        "m:agency_edit": {"name": "Renamed agency", "short_name": "RA"},
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
        "p:continue": lambda: world.priority.successor_links.filter(
            target__title="Continued title", kind="continued").exists(),
        "p:split": lambda: world.priority.successor_links.filter(kind="split").count() == 2,
        "p:merge": lambda: PriorityLink.objects.filter(
            target__title="Merged one", kind="merged").count() == 2,
        "p:demote": lambda: world.priority.successor_links.filter(
            target__title="Demoted theme", target__kind="theme").exists(),
        "p:end": lambda: Priority.objects.get(pk=world.priority.pk).ended_year == 2023,
        "p:link_remove": lambda: not PriorityLink.objects.filter(pk=world.link.pk).exists(),
        "p:member_add": lambda: SubgroupMember.objects.filter(
            subgroup=world.subgroup, user=world.candidate).exists(),
        "p:member_remove": lambda: not SubgroupMember.objects.filter(pk=world.seat.pk).exists(),
        "p:plan_create": lambda: PlanPeriod.objects.filter(title="Plan 2028–31").exists(),
        "p:plan_edit": lambda: PlanPeriod.objects.get(pk=world.plan.pk).title == "Renamed plan",
        "m:member_add": lambda: _roles(world, world.candidate) == {"partner", "officer"},
        "m:member": lambda: _roles(world, world.candidate) == {"partner", "officer"},
        "m:member_remove": lambda: _roles(world, world.candidate) == set(),
        "m:agency_create": lambda: Agency.objects.filter(name="New agency").exists(),
        "m:agency_edit": lambda: Agency.objects.get(pk=world.agency.pk).name == "Renamed agency",
    }
    return checks[page]()


def _roles(world: World, user) -> set[str]:
    return set(Membership.objects.filter(partnership=world.partnership, user=user)
               .values_list("role", flat=True))


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

    if method == "POST" and page.startswith(("p:", "m:")):
        if expected == 302:
            assert _made_its_change(page, world), "an allowed POST must make its change"
        else:
            assert _snapshot() == before, "a refused POST must not change the database"
    elif method == "GET":
        assert _snapshot() == before, "reading a page must not change the database"


def test_the_matrix_covers_every_named_view():
    """A new URL in smp/urls.py or priorities/urls.py must get a row here."""
    from django.contrib.auth import urls as auth_urls

    from priorities import urls as priority_urls
    from smp import urls as smp_urls
    from smp import urls_manage

    names = {f"p:{p.name}" for p in priority_urls.urlpatterns}
    names |= {f"m:{p.name}" for p in urls_manage.urlpatterns}
    names |= {p.name for p in smp_urls.urlpatterns if getattr(p, "name", None)}
    names |= {p.name for p in auth_urls.urlpatterns} - {"login"}  # login: smp/urls.py
    names |= {"admin"}
    assert names == {page for page, _ in MATRIX}


def test_the_root_page_sends_a_single_partnership_member_to_their_partnership(world):
    response = _client(world, "outsider").get(reverse("home"))
    outsider_slug = world.users["outsider"].memberships.get().partnership.slug
    assert response.url == reverse("priorities:home", args=[outsider_slug])
    response = _client(world, "partner").get(reverse("home"))
    assert response.url == reverse("priorities:home", args=[world.partnership.slug])
