"""The Safer Maidstone Partnership demo: the real 2022–25 plan, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from priorities.models import PlanPeriod, Priority, PriorityLink, Subgroup
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
    # The 2017–18 priorities lead into 2022–25 (continued or demoted to themes).
    assert PriorityLink.objects.filter(kind="continued").count() == 3
    assert PriorityLink.objects.filter(kind="demoted").count() == 2


def test_the_demo_logins_work_and_are_printed():
    output = _load()
    assert DEMO_PASSWORD in output
    user_model = get_user_model()
    for username in ("cochair.council", "lead.da", "officer", "partner", "committee", "admin"):
        assert username in output
        assert user_model.objects.get(username=username).check_password(DEMO_PASSWORD)
    client = Client()
    assert client.login(username="lead.da", password=DEMO_PASSWORD)
    home = client.get(reverse("priorities:home", args=["maidstone"]))
    assert "Reducing the harm caused by domestic abuse" in home.content.decode()


def test_running_it_twice_changes_nothing():
    _load()
    counts = _row_counts()
    assert counts["priorities.HistoricalPriority"] > 0  # history is among the counted tables
    snapshot = {
        model: list(model.objects.order_by("pk").values())
        for model in (Partnership, Agency, Membership, PlanPeriod, Subgroup, Priority,
                      PriorityLink)
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
