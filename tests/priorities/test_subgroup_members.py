"""The subgroup page: what the group delivers, its members, and (co-chairs and
administrators) adding and removing members, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorities.models import SubgroupMember
from smp.models import Role
from tests import factories
from tests.priorities.factories import SubgroupMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(partnership):
    return factories.SubgroupFactory(partnership=partnership, name="Domestic Abuse Forum")


def _page(client, subgroup):
    return client.get(reverse("priorities:subgroup", args=[subgroup.partnership.slug,
                                                           subgroup.pk]))


def _add(client, subgroup, **data):
    return client.post(reverse("priorities:member_add", args=[subgroup.partnership.slug,
                                                              subgroup.pk]), data)


def test_the_page_lists_people_and_agencies_with_their_roles(client, partnership, member, forum):
    chair = member(Role.LEAD, user__first_name="Helen", user__last_name="Morris")
    SubgroupMemberFactory(subgroup=forum, user=chair, role="chair", agency__short_name="MBC")
    SubgroupMemberFactory(subgroup=forum, user=None, agency__name="Golding Homes")
    factories.PriorityFactory(partnership=partnership, subgroup=forum, title="Domestic abuse")
    client.force_login(member(Role.PARTNER))

    html = _page(client, forum).content.decode()

    assert "<h1>Domestic Abuse Forum</h1>" in html
    assert "Helen Morris – MBC (chair)" in html
    assert "Golding Homes <span class=\"muted\">(agency)</span>" in html
    assert "Domestic abuse" in html
    assert "Add a member" not in html and "Remove" not in html  # partners only read


@pytest.mark.parametrize("role", [Role.CO_CHAIR, Role.ADMIN])
def test_a_co_chair_or_admin_adds_a_person_for_their_agency(client, partnership, member, forum,
                                                           role):
    actor = member(role)
    person = member(Role.PARTNER, user__first_name="Sam", user__last_name="Clarke")
    agency = factories.AgencyFactory(partnership=partnership, name="Golding Homes")
    client.force_login(actor)

    response = _add(client, forum, user=person.pk, agency=agency.pk, role="vice_chair")

    assert response.url == reverse("priorities:subgroup", args=[partnership.slug, forum.pk])
    seat = SubgroupMember.objects.get(subgroup=forum)
    assert (seat.user, seat.agency, seat.role) == (person, agency, "vice_chair")
    assert seat.history.get().history_user == actor
    assert "Sam Clarke added as vice-chair." in client.get(response.url).content.decode()


def test_an_agency_is_added_without_a_named_person(client, partnership, member, forum):
    agency = factories.AgencyFactory(partnership=partnership, name="One Maidstone")
    client.force_login(member(Role.CO_CHAIR))
    _add(client, forum, user="", agency=agency.pk, role="member")
    seat = SubgroupMember.objects.get(subgroup=forum)
    assert (seat.user, seat.agency) == (None, agency)


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_added(
    client, partnership, member, forum
):
    person = member(Role.PARTNER)
    SubgroupMemberFactory(subgroup=forum, user=person)
    client.force_login(member(Role.CO_CHAIR))

    nobody = _add(client, forum, user="", agency="", role="member").content.decode()
    twice = _add(client, forum, user=person.pk, agency="", role="member").content.decode()
    outsider = factories.MembershipFactory(role=Role.PARTNER).user
    stranger = _add(client, forum, user=outsider.pk, role="member").content.decode()

    assert "There is a problem" in nobody and 'id="id_user-error"' in nobody
    assert "Choose a person, an agency or both." in nobody
    assert "Already a member of the subgroup." in twice
    assert "Select a valid choice." in stranger  # people of other partnerships are not offered
    assert SubgroupMember.objects.count() == 1


def test_a_member_is_removed_and_the_removal_is_audited(client, partnership, member, forum):
    seat = SubgroupMemberFactory(subgroup=forum, user=None, agency__name="Golding Homes")
    co_chair = member(Role.CO_CHAIR)
    client.force_login(co_chair)
    page = _page(client, forum).content.decode()
    assert 'Remove<span class="visually-hidden"> Golding Homes from Domestic Abuse Forum' in page

    response = client.post(reverse("priorities:member_remove",
                                   args=[partnership.slug, forum.pk, seat.pk]))

    assert response.status_code == 302
    assert not SubgroupMember.objects.exists()
    assert SubgroupMember.history.filter(id=seat.pk, history_type="-").get().history_user == (
        co_chair)


def test_a_member_of_another_subgroup_cannot_be_removed_through_this_one(
    client, partnership, member, forum
):
    other = SubgroupMemberFactory(subgroup=factories.SubgroupFactory(partnership=partnership))
    client.force_login(member(Role.CO_CHAIR))
    url = reverse("priorities:member_remove", args=[partnership.slug, forum.pk, other.pk])
    assert client.post(url).status_code == 404
    assert SubgroupMember.objects.filter(pk=other.pk).exists()
