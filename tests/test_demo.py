"""The Safer Maidstone Partnership demo: the real 2022–25 plan and the earlier history
(2015–16 to 2017–18) with its lineage, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from priorities import demo as priorities_demo
from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityLead,
    PriorityLink,
    PriorityStatus,
    Subgroup,
    SubgroupMember,
)
from smp.demo import DEMO_PASSWORD
from smp.models import Agency, Membership, Partnership, Role

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    """Rows in every table Django knows, audit history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_it_loads_the_2022_25_plan_with_four_priorities_and_six_themes():
    _load()
    partnership = Partnership.objects.get(slug="maidstone")
    plan = PlanPeriod.objects.get(partnership=partnership, start_year=2022)
    assert plan.title == "Community Safety Partnership Plan 2022–25"
    assert (plan.end_year, plan.label, plan.is_published) == (2024, "2022–25", True)
    named = plan.priorities.filter(kind=Priority.Kind.PRIORITY)
    themes = plan.priorities.filter(kind=Priority.Kind.THEME)
    assert named.count() == 4 and themes.count() == 6
    assert {p.subgroup.name for p in named} == {
        "Serious & Organised Crime Panel", "Domestic Abuse Forum", "Town Centre Task Force",
        "District Contextual Safeguarding Meeting"}
    assert all(p.leads.exists() for p in named)
    assert all(p.statuses.exists() for p in named)
    assert named.get(title="Reducing the harm caused by domestic abuse (including stalking)"
                     ).leads.count() == 2


def test_it_loads_agencies_subgroups_lineage_and_a_user_for_every_role():
    _load()
    partnership = Partnership.objects.get(slug="maidstone")
    assert Subgroup.objects.filter(partnership=partnership).count() == 4
    agencies = Agency.objects.filter(partnership=partnership)
    assert {"Kent Police", "Maidstone Borough Council", "Kent County Council"} <= {
        a.name for a in agencies}
    assert agencies.filter(is_responsible_authority=False).exists()
    roles = set(Membership.objects.filter(partnership=partnership).values_list("role", flat=True))
    assert roles == set(Role.values)
    kinds = list(PriorityLink.objects.values_list("kind", flat=True))
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "continued": 3, "demoted": 4, "split": 4, "merged": 2}
    assert SubgroupMember.objects.filter(user=None, agency__short_name="One Maidstone",
                                         subgroup__name="Town Centre Task Force").exists()
    assert SubgroupMember.objects.filter(role="chair").count() == 4


def test_it_loads_the_earlier_priorities_and_what_became_of_them():
    _load()
    earlier = PlanPeriod.objects.get(title=priorities_demo.PLAN_2015)
    assert (earlier.start_year, earlier.end_year) == (2015, 2017)
    in_2015 = {p.title for p in Priority.objects.filter(plan=earlier).running_in(2015)}
    assert in_2015 == {"Anti-social behaviour (ASB)", "Reducing re-offending",
                       "Road safety (killed and seriously injured)", "Substance misuse",
                       "Violent crime – domestic abuse", "Violent crime – night-time economy"}
    in_2017 = Priority.objects.filter(plan=earlier).running_in(2017)
    assert {p.title for p in in_2017.filter(kind="priority")} == {
        "Organised Crime Groups (including modern slavery)",
        "Gangs and Child Sexual Exploitation", "Substance misuse",
        "Domestic Abuse and other violent crime", "Mental Health"}
    assert {p.title for p in in_2017.filter(kind="theme")} == {
        "ASB and Reducing Reoffending", "Identifying Vulnerabilities",
        "Prevent and Radicalisation"}
    road = Priority.objects.get(title="Road safety (killed and seriously injured)")
    assert road.ended_year == 2017 and "no direct resources, powers or influence" in (
        road.ended_reason)
    assert not road.successor_links.exists()
    resilience = Priority.objects.get(title="Community Resilience")
    assert (resilience.start_year, resilience.ended_year) == (2016, 2017)
    assert {(link.kind, link.target.title) for link in resilience.successor_links.all()} == {
        ("split", "Organised Crime Groups (including modern slavery)"),
        ("split", "Gangs and Child Sexual Exploitation")}
    theme = Priority.objects.get(title="ASB and Reducing Reoffending")
    assert {(link.kind, link.source.title) for link in theme.predecessor_links.all()} == {
        ("demoted", "Anti-social behaviour (ASB)"), ("demoted", "Reducing re-offending")}
    domestic = Priority.objects.get(title="Domestic Abuse and other violent crime")
    assert domestic.successor_links.get().target.title.startswith(
        "Reducing the harm caused by domestic abuse")


def test_every_demo_record_passes_its_own_validation():
    _load()
    for model in (Priority, PriorityLink, PriorityStatus, PriorityLead, SubgroupMember,
                  PlanPeriod):
        for record in model.objects.all():
            record.full_clean()


def test_the_home_page_opens_on_the_2022_25_plan(client):
    _load()
    client.force_login(get_user_model().objects.get(username="partner"))
    response = client.get(reverse("priorities:home", args=["maidstone"]))
    assert response.context["plan"].title == priorities_demo.PLAN_2022
    assert "Road safety" not in response.content.decode()


def test_it_replaces_the_former_one_year_2017_plan():
    partnership = Partnership.objects.create(slug="maidstone", name="Safer Maidstone Partnership")
    former = PlanPeriod.objects.create(partnership=partnership, start_year=2017, end_year=2017,
                                       title=priorities_demo.FORMER_PLAN_2017)
    Priority.objects.create(partnership=partnership, plan=former, title="Mental Health")
    _load()
    assert not PlanPeriod.objects.filter(title=priorities_demo.FORMER_PLAN_2017).exists()


def test_the_demo_logins_work_and_are_printed():
    output = _load()
    assert DEMO_PASSWORD in output
    user_model = get_user_model()
    for username in ("cochair.council", "lead.da", "officer", "partner", "committee", "admin"):
        assert username in output
        assert user_model.objects.get(username=username).check_password(DEMO_PASSWORD)
    client = Client()
    # django-axes checks every sign-in against the request it came with.
    assert client.login(request=HttpRequest(), username="lead.da", password=DEMO_PASSWORD)
    home = client.get(reverse("priorities:home", args=["maidstone"]))
    assert "Reducing the harm caused by domestic abuse" in home.content.decode()


def test_running_it_twice_changes_nothing():
    _load()
    counts = _row_counts()
    assert counts["priorities.HistoricalPriority"] > 0  # history is among the counted tables
    snapshot = {
        model: list(model.objects.order_by("pk").values())
        for model in (Partnership, Agency, Membership, PlanPeriod, Subgroup, SubgroupMember,
                      Priority, PriorityLink, PriorityStatus)
    }
    users = list(get_user_model().objects.order_by("pk").values())

    _load()

    assert _row_counts() == counts
    assert {m: list(m.objects.order_by("pk").values()) for m in snapshot} == snapshot
    assert list(get_user_model().objects.order_by("pk").values()) == users


def test_it_repairs_a_changed_demo_record():
    _load()
    Priority.objects.filter(title="Providing a safe town centre").update(order=99)
    _load()
    assert Priority.objects.get(title="Providing a safe town centre").order == 3
