"""priority_set_status, priority_lead_add and priority_carry_forward."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from priorities.models import Priority, PriorityLead, PriorityLink, PriorityStatus
from priorities.services import priority_carry_forward, priority_lead_add, priority_set_status
from smp.models import Membership, Role
from tests import factories

pytestmark = pytest.mark.django_db


# --- priority_set_status ---------------------------------------------------------


def test_setting_a_status_records_who_set_it(partnership, member):
    co_chair = member(Role.CO_CHAIR)
    priority = factories.PriorityFactory(partnership=partnership)
    status = priority_set_status(
        priority=priority, year=2023, status="at_risk", commentary="Fewer referrals.",
        actor=co_chair,
    )
    assert (status.year, status.status, status.commentary, status.set_by) == (
        2023, "at_risk", "Fewer referrals.", co_chair)


def test_setting_a_status_again_changes_the_one_row_for_that_year(partnership, member):
    first, second = member(Role.CO_CHAIR), member(Role.CO_CHAIR)
    priority = factories.PriorityFactory(partnership=partnership)
    priority_set_status(priority=priority, year=2023, status="at_risk", commentary="",
                        actor=first)
    priority_set_status(priority=priority, year=2023, status="on_track", commentary="Better.",
                        actor=second)
    status = PriorityStatus.objects.get(priority=priority)
    assert (status.status, status.set_by) == ("on_track", second)
    # Both judgements stay in the audit history.
    assert [h.status for h in status.history.order_by("history_date")] == ["at_risk", "on_track"]


def test_a_status_outside_the_plan_years_is_refused(partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)  # 2022–2024
    with pytest.raises(ValidationError):
        priority_set_status(priority=priority, year=2030, status="on_track", commentary="",
                            actor=member(Role.CO_CHAIR))
    assert not PriorityStatus.objects.exists()


def test_an_unknown_status_is_refused(partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)
    with pytest.raises(ValidationError):
        priority_set_status(priority=priority, year=2022, status="brilliant", commentary="",
                            actor=member(Role.CO_CHAIR))


# --- priority_lead_add --------------------------------------------------------------


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


# --- priority_carry_forward ---------------------------------------------------------


@pytest.fixture
def old_priority(partnership):
    old_plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2017,
                                           end_year=2017)
    subgroup = factories.SubgroupFactory(partnership=partnership)
    priority = factories.PriorityFactory(partnership=partnership, plan=old_plan,
                                         title="Substance Misuse", aim="Reduce harm.",
                                         subgroup=subgroup, order=3)
    factories.PriorityLeadFactory.create_batch(2, priority=priority)
    return priority


def test_continuing_a_priority_keeps_its_words_leads_and_lineage(partnership, old_priority):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    successor = priority_carry_forward(priority=old_priority, plan=plan,
                                       kind=PriorityLink.Kind.CONTINUED, note="Still needed.")
    assert (successor.plan, successor.title, successor.aim, successor.kind, successor.order,
            successor.subgroup) == (plan, "Substance Misuse", "Reduce harm.",
                                    Priority.Kind.PRIORITY, 3, old_priority.subgroup)
    assert {(lead.user_id, lead.agency_id) for lead in successor.leads.all()} == {
        (lead.user_id, lead.agency_id) for lead in old_priority.leads.all()}
    link = PriorityLink.objects.get()
    assert (link.source, link.target, link.kind, link.note) == (
        old_priority, successor, "continued", "Still needed.")
    # The copied leads are in the audit history too.
    assert PriorityLead.history.filter(priority_id=successor.pk).count() == 2


def test_demoting_a_priority_makes_a_cross_cutting_theme(partnership, old_priority):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    theme = priority_carry_forward(priority=old_priority, plan=plan,
                                   kind=PriorityLink.Kind.DEMOTED, title="Substance misuse")
    assert theme.kind == Priority.Kind.THEME
    assert theme.title == "Substance misuse"
    assert old_priority.successor_links.get().kind == "demoted"


def test_carrying_forward_into_another_partnerships_plan_is_refused(old_priority):
    with pytest.raises(ValidationError):
        priority_carry_forward(priority=old_priority, plan=factories.PlanPeriodFactory(),
                               kind=PriorityLink.Kind.CONTINUED)
    assert Priority.objects.count() == 1
    assert not PriorityLink.objects.exists()


def test_carrying_forward_twice_into_one_plan_is_refused_and_leaves_nothing_half_done(
    partnership, old_priority
):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    priority_carry_forward(priority=old_priority, plan=plan, kind=PriorityLink.Kind.CONTINUED)
    with pytest.raises(ValidationError):
        priority_carry_forward(priority=old_priority, plan=plan, kind=PriorityLink.Kind.CONTINUED)
    assert Priority.objects.count() == 2
    assert PriorityLink.objects.count() == 1
