"""Subgroup pages: the list (what each delivers, its members) and create/edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorities.models import Subgroup
from smp.models import Role
from tests import factories
from tests.priorities.factories import SubgroupMemberFactory

pytestmark = pytest.mark.django_db


def _list(client, partnership):
    return client.get(reverse("priorities:subgroups", args=[partnership.slug]))


def test_it_lists_subgroups_with_their_priorities_and_members(client, partnership, member):
    forum = factories.SubgroupFactory(partnership=partnership, name="Domestic Abuse Forum",
                                      description="Partners against domestic abuse.")
    factories.PriorityFactory(partnership=partnership, subgroup=forum,
                              title="Reducing the harm caused by domestic abuse")
    chair = factories.UserFactory(first_name="Helen", last_name="Morris")
    SubgroupMemberFactory(subgroup=forum, user=chair, role="chair", agency__short_name="MBC")
    factories.SubgroupFactory(partnership=partnership, name="Empty Group")
    client.force_login(member(Role.PARTNER))

    html = _list(client, partnership).content.decode()

    assert "Domestic Abuse Forum" in html and "Partners against domestic abuse." in html
    assert "Reducing the harm caused by domestic abuse" in html
    assert "Helen Morris – MBC (chair)" in html
    assert "No priority yet." in html and "No members recorded." in html


def test_committee_members_do_not_see_priorities_of_unpublished_plans(client, partnership,
                                                                       member):
    group = factories.SubgroupFactory(partnership=partnership)
    factories.PriorityFactory(partnership=partnership, subgroup=group, title="Published one")
    factories.PriorityFactory(partnership=partnership, subgroup=group, title="Draft one",
                              plan__is_published=False)
    client.force_login(member(Role.COMMITTEE))
    html = _list(client, partnership).content.decode()
    assert "Published one" in html and "Draft one" not in html
    client.force_login(member(Role.PARTNER))
    assert "Draft one" in _list(client, partnership).content.decode()


def test_the_list_has_an_empty_state(client, partnership, member):
    client.force_login(member(Role.PARTNER))
    assert "No subgroups yet." in _list(client, partnership).content.decode()


def test_a_co_chair_creates_and_renames_a_subgroup(client, partnership, member):
    client.force_login(member(Role.CO_CHAIR))
    response = client.post(reverse("priorities:subgroup_create", args=[partnership.slug]),
                           {"name": "Town Centre Task Force", "description": "Day and night."})
    group = Subgroup.objects.get(partnership=partnership)
    assert response.url == reverse("priorities:subgroup", args=[partnership.slug, group.pk])
    client.post(reverse("priorities:subgroup_edit", args=[partnership.slug, group.pk]),
                {"name": "Town Centre Taskforce", "description": ""})
    group.refresh_from_db()
    assert group.name == "Town Centre Taskforce"
    assert group.history.count() == 2


def test_a_duplicate_name_is_shown_next_to_the_field_and_nothing_is_saved(client, partnership,
                                                                          member):
    factories.SubgroupFactory(partnership=partnership, name="Domestic Abuse Forum")
    client.force_login(member(Role.ADMIN))
    response = client.post(reverse("priorities:subgroup_create", args=[partnership.slug]),
                           {"name": "Domestic Abuse Forum", "description": "Typed carefully."})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_name-error"' in html and "already exists" in html
    assert "Typed carefully." in html  # what the user typed is kept
    assert Subgroup.objects.count() == 1


def test_a_missing_name_is_an_error(client, partnership, member):
    client.force_login(member(Role.ADMIN))
    response = client.post(reverse("priorities:subgroup_create", args=[partnership.slug]),
                           {"name": ""})
    assert "This field is required." in response.content.decode()
    assert not Subgroup.objects.exists()
