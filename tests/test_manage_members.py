"""Administration → Members and roles: the table (roles, filters, sorting, pages), adding
an existing account or creating one with a set-password e-mail, changing roles and
removing someone, with the refusals that keep the partnership manageable. Who may
open these pages: tests/priorities/test_permission_matrix.py."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from priorities.models import SubgroupMember
from smp.models import Membership, Role
from tests import factories
from tests.priorities.factories import SubgroupMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, member):
    admin = member(Role.ADMIN, user__first_name="Chris", user__last_name="Adams")
    client.force_login(admin)
    client.admin = admin
    return client


def _roles(user, partnership) -> set[str]:
    return set(Membership.objects.filter(user=user, partnership=partnership)
               .values_list("role", flat=True))


def _members(client, partnership, **params):
    return client.get(reverse("manage:members", args=[partnership.slug]), params)


def test_the_table_lists_each_person_once_with_all_their_roles(admin_client, partnership,
                                                               member):
    person = member(Role.LEAD, user__first_name="Helen", user__last_name="Morris",
                    agency__short_name="MBC")
    factories.MembershipFactory(user=person, partnership=partnership, role=Role.OFFICER,
                                agency=person.memberships.get().agency)
    factories.MembershipFactory(role=Role.ADMIN, user__last_name="Elsewhere")

    html = _members(admin_client, partnership).content.decode()

    assert html.count("Helen Morris") == 1
    row = html.split("Helen Morris")[1].split("</tr>")[0]
    assert "Priority lead, Officer / analyst" in row or "Officer / analyst, Priority lead" in row
    assert "MBC" in row
    assert "Elsewhere" not in html  # another partnership's people never appear


def test_the_table_filters_by_text_and_role_and_sorts(admin_client, partnership, member):
    member(Role.OFFICER, user__first_name="Jo", user__last_name="Bennett")
    member(Role.PARTNER, user__first_name="Sam", user__last_name="Clarke")

    by_text = _members(admin_client, partnership, q="benn").content.decode()
    by_role = _members(admin_client, partnership, role="partner").content.decode()
    by_name_desc = _members(admin_client, partnership, sort="-name").content.decode()

    assert "Jo Bennett" in by_text and "Sam Clarke" not in by_text
    assert "Sam Clarke" in by_role and "Jo Bennett" not in by_role
    assert by_name_desc.index("Sam Clarke") < by_name_desc.index("Jo Bennett")
    assert 'aria-sort="descending"' in by_name_desc


def test_the_table_pages_through_many_members(admin_client, partnership, member):
    for n in range(30):
        member(Role.PARTNER, user__last_name=f"Person{n:02d}")
    first = _members(admin_client, partnership).content.decode()
    second = _members(admin_client, partnership, page=2).content.decode()
    assert "Person00" in first and "Person29" not in first
    assert "Person29" in second


def test_an_existing_account_is_added_by_username_or_email(admin_client, partnership):
    colleague = factories.MembershipFactory(role=Role.OFFICER, user__username="jo.bennett",
                                            user__email="jo@example.org").user
    url = reverse("manage:member_add", args=[partnership.slug])
    agency = factories.AgencyFactory(partnership=partnership)

    response = admin_client.post(url, {"account": "JO@example.org", "roles": ["officer"],
                                       "agency": agency.pk})

    assert response.url == reverse("manage:members", args=[partnership.slug])
    assert _roles(colleague, partnership) == {Role.OFFICER}
    assert colleague.memberships.get(partnership=partnership).agency == agency
    added = Membership.history.get(user=colleague, partnership=partnership)
    assert added.history_user == admin_client.admin
    admin_client.post(url, {"account": "jo.bennett", "roles": ["partner", "officer"]})
    assert _roles(colleague, partnership) == {Role.OFFICER, Role.PARTNER}
    assert not mail.outbox  # nobody needed a new password


def test_a_new_account_is_created_without_a_password_and_emailed_a_link(
    admin_client, partnership, django_capture_on_commit_callbacks
):
    url = reverse("manage:member_add", args=[partnership.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {
            "first_name": "Priya", "last_name": "Shah", "email": "priya@example.org",
            "username": "priya.shah", "roles": ["lead"]})

    assert response.status_code == 302
    user = get_user_model().objects.get(username="priya.shah")
    assert not user.has_usable_password()
    assert _roles(user, partnership) == {Role.LEAD}
    [message] = mail.outbox
    assert message.to == ["priya@example.org"]
    assert partnership.name in message.subject and "priya.shah" in message.body
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    choose = admin_client.get("/" + path, follow=True)
    assert "Choose a new password" in choose.content.decode()
    assert "new_password1" in choose.content.decode()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"account": "nobody", "roles": ["partner"]}, "account", "No account has this username"),
    ({"account": "", "roles": ["partner"], "first_name": "A"}, "email", "Needed for a new"),
    ({"first_name": "A", "last_name": "B", "email": "a@example.org", "username": "taken",
      "roles": ["partner"]}, "username", "This username is taken."),
    ({"first_name": "A", "last_name": "B", "email": "a@example.org", "username": "ab"},
     "roles", "This field is required."),
    ({"account": "taken", "first_name": "A", "roles": ["partner"]}, "account", "not both"),
])
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_created(
    admin_client, partnership, data, field, message
):
    factories.UserFactory(username="taken")
    before = (get_user_model().objects.count(), Membership.objects.count())
    response = admin_client.post(reverse("manage:member_add", args=[partnership.slug]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    error = html.split(f'id="id_{field}-error"')[1] if field != "roles" else html.split(
        'id="id_roles-error"')[1]
    assert message in error.split("</div>")[0]
    assert (get_user_model().objects.count(), Membership.objects.count()) == before
    assert not mail.outbox


def test_adding_roles_someone_already_holds_is_explained(admin_client, partnership, member):
    person = member(Role.PARTNER)
    html = admin_client.post(reverse("manage:member_add", args=[partnership.slug]), {
        "account": person.username, "roles": ["partner"]}).content.decode()
    assert "They already hold every role chosen." in html


def test_changing_roles_adds_and_removes_memberships_with_history(admin_client, partnership,
                                                                  member):
    person = member(Role.PARTNER)
    url = reverse("manage:member", args=[partnership.slug, person.pk])
    page = admin_client.get(url).content.decode()
    assert re.search(r'value="partner"[^>]*checked', page)
    assert not re.search(r'value="officer"[^>]*checked', page)

    response = admin_client.post(url, {"roles": ["officer", "committee"]})

    assert response.status_code == 302
    assert _roles(person, partnership) == {Role.OFFICER, Role.COMMITTEE}
    history = admin_client.get(url).content.decode().split("Change history")[1]
    assert "Partner member removed by Chris Adams" in history
    assert "Officer / analyst given by Chris Adams" in history


def test_a_lead_keeps_the_lead_role_while_they_lead_a_priority(admin_client, partnership, member):
    lead = member(Role.LEAD)
    factories.PriorityLeadFactory(priority=factories.PriorityFactory(
        partnership=partnership, title="Providing a safe town centre"), user=lead)
    url = reverse("manage:member", args=[partnership.slug, lead.pk])
    html = admin_client.post(url, {"roles": ["partner"]}).content.decode()
    assert "They lead “Providing a safe town centre”" in html
    assert _roles(lead, partnership) == {Role.LEAD}
    response = admin_client.post(reverse("manage:member_remove", args=[partnership.slug,
                                                                       lead.pk]), follow=True)
    assert "was not removed" in response.content.decode()
    assert _roles(lead, partnership) == {Role.LEAD}


def test_the_last_administrator_cannot_lose_the_role(admin_client, partnership):
    url = reverse("manage:member", args=[partnership.slug, admin_client.admin.pk])
    html = admin_client.post(url, {"roles": ["partner"]}).content.decode()
    assert "only administrator" in html
    assert _roles(admin_client.admin, partnership) == {Role.ADMIN}
    html = admin_client.post(url, {"roles": []}).content.decode()
    assert "Choose at least one role" in html


def test_removing_someone_takes_every_role_and_subgroup_seat_but_keeps_the_account(
    admin_client, partnership, member
):
    person = member(Role.OFFICER)
    factories.MembershipFactory(user=person, partnership=partnership, role=Role.PARTNER)
    SubgroupMemberFactory(subgroup=factories.SubgroupFactory(partnership=partnership),
                          user=person)
    elsewhere = factories.MembershipFactory(user=person, role=Role.CO_CHAIR)

    response = admin_client.post(reverse("manage:member_remove", args=[partnership.slug,
                                                                       person.pk]))

    assert response.url == reverse("manage:members", args=[partnership.slug])
    assert _roles(person, partnership) == set()
    assert not SubgroupMember.objects.filter(user=person).exists()
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
    assert get_user_model().objects.filter(pk=person.pk).exists()
    gone = Membership.history.filter(user=person, partnership=partnership, history_type="-")
    assert {h.history_user for h in gone} == {admin_client.admin}


def test_someone_of_another_partnership_is_not_found_here(admin_client, partnership):
    outsider = factories.MembershipFactory(role=Role.PARTNER).user
    assert admin_client.get(reverse("manage:member", args=[partnership.slug, outsider.pk])
                            ).status_code == 404
    response = admin_client.post(reverse("manage:member_remove", args=[partnership.slug,
                                                                       outsider.pk]))
    assert response.status_code == 404
    assert outsider.memberships.exists()
