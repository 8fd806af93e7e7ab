"""Tenancy isolation: a member of partnership A never sees partnership B's data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorities.models import Priority, Subgroup
from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(db):
    a = factories.PartnershipFactory(name="Safer Maidstone", slug="maidstone")
    b = factories.PartnershipFactory(name="Safer Ashford", slug="ashford")
    data = {}
    for p in (a, b):
        plan = factories.PlanPeriodFactory(partnership=p, title=f"{p.name} plan")
        group = factories.SubgroupFactory(partnership=p, name=f"{p.name} forum")
        priority = factories.PriorityFactory(partnership=p, plan=plan, subgroup=group,
                                             title=f"{p.name} priority")
        lead = factories.PriorityLeadFactory(priority=priority)
        data[p.slug] = {"plan": plan, "group": group, "priority": priority, "lead": lead}
    co_chair_a = factories.MembershipFactory(partnership=a, role=Role.CO_CHAIR).user
    return a, b, data, co_chair_a


def test_lists_show_only_the_users_partnership(client, two):
    a, b, data, user = two
    client.force_login(user)
    home = client.get(reverse("priorities:home", args=[a.slug])).content.decode()
    groups = client.get(reverse("priorities:subgroups", args=[a.slug])).content.decode()
    assert "Safer Maidstone priority" in home and "Safer Ashford" not in home
    assert "Safer Maidstone forum" in groups and "Safer Ashford" not in groups


def test_another_partnerships_pages_are_not_found(client, two):
    a, b, data, user = two
    client.force_login(user)
    for name in ("home", "subgroups", "create", "subgroup_create"):
        assert client.get(reverse(f"priorities:{name}", args=[b.slug])).status_code == 404


@pytest.mark.parametrize("name", ["detail", "edit", "status", "leads"])
def test_another_partnerships_priority_is_not_found_under_ones_own_slug(client, two, name):
    a, b, data, user = two
    client.force_login(user)
    foreign = data["ashford"]["priority"]
    assert client.get(reverse(f"priorities:{name}", args=[a.slug, foreign.pk])).status_code == 404
    response = client.post(reverse(f"priorities:{name}", args=[a.slug, foreign.pk]),
                           {"title": "Hijacked", "year": 2022, "status": "off_track"})
    assert response.status_code == 404
    assert Priority.objects.get(pk=foreign.pk).title == "Safer Ashford priority"
    assert not foreign.statuses.exists()


def test_another_partnerships_plan_subgroup_and_lead_are_not_found(client, two):
    a, b, data, user = two
    client.force_login(user)
    home = reverse("priorities:home", args=[a.slug])
    assert client.get(home, {"plan": data["ashford"]["plan"].pk}).status_code == 404
    foreign_group = data["ashford"]["group"]
    edit = reverse("priorities:subgroup_edit", args=[a.slug, foreign_group.pk])
    assert client.post(edit, {"name": "Hijacked"}).status_code == 404
    assert Subgroup.objects.get(pk=foreign_group.pk).name == "Safer Ashford forum"
    own = data["maidstone"]["priority"]
    foreign_lead = data["ashford"]["lead"]
    remove = reverse("priorities:lead_remove", args=[a.slug, own.pk, foreign_lead.pk])
    assert client.post(remove).status_code == 404
    assert foreign_lead.__class__.objects.filter(pk=foreign_lead.pk).exists()


def test_forms_do_not_offer_another_partnerships_records(client, two):
    a, b, data, user = two
    client.force_login(user)
    create = client.get(reverse("priorities:create", args=[a.slug])).content.decode()
    leads = client.get(reverse("priorities:leads", args=[a.slug, data["maidstone"]["priority"].pk]))
    assert "Safer Ashford" not in create
    assert "Safer Ashford" not in leads.content.decode()
    response = client.post(reverse("priorities:create", args=[a.slug]), {
        "plan": data["ashford"]["plan"].pk, "title": "Smuggled", "kind": "priority",
        "order": 1, "subgroup": data["ashford"]["group"].pk})
    assert response.status_code == 200
    assert not Priority.objects.filter(title="Smuggled").exists()


def test_the_navigation_lists_only_the_users_partnerships(client, two):
    a, b, data, user = two
    c = factories.PartnershipFactory(name="Safer Swale", slug="swale")
    factories.MembershipFactory(user=user, partnership=c, role=Role.PARTNER)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert [p.slug for p in response.context["nav_partnerships"]] == ["maidstone", "swale"]
    html = response.content.decode()
    assert "Safer Maidstone" in html and "Safer Swale" in html and "Safer Ashford" not in html
    page = client.get(reverse("priorities:home", args=[a.slug])).content.decode()
    assert "Switch partnership" in page


def test_a_single_partnership_member_gets_no_switcher(client, two):
    a, b, data, user = two
    client.force_login(user)
    page = client.get(reverse("priorities:home", args=[a.slug])).content.decode()
    assert "Switch partnership" not in page


def test_a_signed_in_user_with_no_membership_sees_none(client, two):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("home"))
    assert "You are not a member of any partnership yet." in response.content.decode()
    assert client.get(reverse("priorities:home", args=["maidstone"])).status_code == 404


def test_a_superuser_sees_every_partnership(client, two):
    client.force_login(factories.UserFactory(is_superuser=True))
    html = client.get(reverse("home")).content.decode()
    assert "Safer Maidstone" in html and "Safer Ashford" in html
