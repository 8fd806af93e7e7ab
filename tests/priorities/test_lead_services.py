"""priority_lead_add and priority_lead_remove, with the lead role that goes with leading."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from priorities.models import PriorityLead
from priorities.services import priority_lead_add, priority_lead_remove
from smp.models import Membership, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_adding_a_lead_gives_them_the_lead_role(partnership, member):
    user = member(Role.PARTNER)
    agency = factories.AgencyFactory(partnership=partnership)
    priority = factories.PriorityFactory(partnership=partnership)
    lead = priority_lead_add(priority=priority, user=user, agency=agency)
    assert (lead.priority, lead.user, lead.agency) == (priority, user, agency)
    assert Membership.objects.filter(user=user, partnership=partnership, role=Role.LEAD).exists()


def test_adding_an_existing_lead_member_keeps_one_lead_membership(partnership, member):
    user = member(Role.LEAD)
    agency = factories.AgencyFactory(partnership=partnership)
    for _ in range(2):
        priority_lead_add(priority=factories.PriorityFactory(partnership=partnership),
                          user=user, agency=agency)
    assert Membership.objects.filter(user=user, role=Role.LEAD).count() == 1


def test_only_members_of_the_partnership_can_lead(partnership):
    outsider = factories.MembershipFactory(role=Role.CO_CHAIR).user
    priority = factories.PriorityFactory(partnership=partnership)
    agency = factories.AgencyFactory(partnership=partnership)
    with pytest.raises(ValidationError):
        priority_lead_add(priority=priority, user=outsider, agency=agency)
    assert not PriorityLead.objects.exists()
    assert not Membership.objects.filter(user=outsider, partnership=partnership).exists()


def test_a_lead_agency_must_be_of_the_same_partnership(partnership, member):
    with pytest.raises(ValidationError):
        priority_lead_add(priority=factories.PriorityFactory(partnership=partnership),
                          user=member(Role.PARTNER), agency=factories.AgencyFactory())
    assert not PriorityLead.objects.exists()


def test_a_person_cannot_lead_the_same_priority_twice(partnership, member):
    user = member(Role.LEAD)
    agency = factories.AgencyFactory(partnership=partnership)
    priority = factories.PriorityFactory(partnership=partnership)
    priority_lead_add(priority=priority, user=user, agency=agency)
    with pytest.raises(ValidationError):
        priority_lead_add(priority=priority, user=user, agency=agency)
    assert PriorityLead.objects.count() == 1


def _roles(user, partnership) -> set[str]:
    return set(Membership.objects.filter(user=user, partnership=partnership)
               .values_list("role", flat=True))


def test_removing_a_lead_who_leads_another_priority_keeps_their_lead_role(partnership, member):
    user = member(Role.LEAD)
    agency = factories.AgencyFactory(partnership=partnership)
    first = priority_lead_add(priority=factories.PriorityFactory(partnership=partnership),
                              user=user, agency=agency)
    priority_lead_add(priority=factories.PriorityFactory(partnership=partnership), user=user,
                      agency=agency)
    assert priority_lead_remove(lead=first) == "kept"
    assert _roles(user, partnership) == {Role.LEAD}
    assert PriorityLead.objects.filter(user=user).count() == 1


def test_removing_their_last_priority_removes_the_lead_role_but_keeps_other_roles(
    partnership, member
):
    user = member(Role.OFFICER)
    co_chair = member(Role.CO_CHAIR)
    lead = priority_lead_add(priority=factories.PriorityFactory(partnership=partnership),
                             user=user, agency=factories.AgencyFactory(partnership=partnership))
    assert _roles(user, partnership) == {Role.OFFICER, Role.LEAD}
    assert priority_lead_remove(lead=lead, actor=co_chair) == "removed"
    assert _roles(user, partnership) == {Role.OFFICER}
    removed = Membership.history.get(user=user, role=Role.LEAD, history_type="-")
    assert removed.history_user == co_chair


def test_a_lead_with_no_other_role_stays_a_partner_member(partnership, member):
    user = member(Role.LEAD)
    lead = factories.PriorityLeadFactory(priority=factories.PriorityFactory(
        partnership=partnership), user=user)
    assert priority_lead_remove(lead=lead) == "now_partner"
    assert _roles(user, partnership) == {Role.PARTNER}


def test_leading_in_another_partnership_does_not_keep_the_lead_role_here(partnership, member):
    user = member(Role.LEAD)
    factories.MembershipFactory(user=user, role=Role.PARTNER)  # elsewhere
    elsewhere = factories.PriorityLeadFactory(user=user)
    here = factories.PriorityLeadFactory(priority=factories.PriorityFactory(
        partnership=partnership), user=user)
    factories.MembershipFactory(user=user, partnership=partnership, role=Role.OFFICER)
    assert priority_lead_remove(lead=here) == "removed"
    assert _roles(user, partnership) == {Role.OFFICER}
    assert PriorityLead.objects.filter(pk=elsewhere.pk).exists()
