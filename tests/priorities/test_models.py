"""Model constraints (database level), clean() rules and QuerySet methods."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityLead,
    PriorityLink,
    PriorityStatus,
    SubgroupMember,
    current_plan_year,
    year_label,
)
from smp.models import Agency, Membership, Partnership, Role
from tests import factories
from tests.priorities.factories import PriorityLinkFactory, SubgroupMemberFactory

pytestmark = pytest.mark.django_db


def _raises_integrity(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# --- database constraints ------------------------------------------------------


def test_partnership_name_and_slug_are_unique():
    existing = factories.PartnershipFactory(name="Safer Ashford", slug="ashford")
    _raises_integrity(lambda: Partnership.objects.create(name=existing.name, slug="other"))
    _raises_integrity(lambda: Partnership.objects.create(name="Other", slug=existing.slug))


def test_agency_name_is_unique_within_a_partnership_only():
    agency = factories.AgencyFactory(name="Kent Police")
    _raises_integrity(
        lambda: Agency.objects.create(partnership=agency.partnership, name="Kent Police")
    )
    other = factories.PartnershipFactory()
    assert Agency.objects.create(partnership=other, name="Kent Police").pk


def test_a_user_holds_each_role_once_per_partnership():
    membership = factories.MembershipFactory(role=Role.LEAD)
    _raises_integrity(
        lambda: Membership.objects.create(
            user=membership.user, partnership=membership.partnership, role=Role.LEAD
        )
    )
    # A second, different role is allowed.
    assert Membership.objects.create(
        user=membership.user, partnership=membership.partnership, role=Role.OFFICER
    ).pk


def test_plan_title_is_unique_within_a_partnership():
    plan = factories.PlanPeriodFactory(title="Plan 2022–25")
    _raises_integrity(
        lambda: PlanPeriod.objects.create(
            partnership=plan.partnership, title=plan.title, start_year=2022, end_year=2024
        )
    )


def test_plan_cannot_end_before_it_starts():
    partnership = factories.PartnershipFactory()
    _raises_integrity(
        lambda: PlanPeriod.objects.create(
            partnership=partnership, title="Backwards", start_year=2024, end_year=2022
        )
    )
    assert PlanPeriod.objects.create(
        partnership=partnership, title="One year", start_year=2024, end_year=2024
    ).years == [2024]


def test_subgroup_name_is_unique_within_a_partnership():
    subgroup = factories.SubgroupFactory(name="Domestic Abuse Forum")
    _raises_integrity(
        lambda: factories.SubgroupFactory(
            partnership=subgroup.partnership, name="Domestic Abuse Forum"
        )
    )


def test_a_person_joins_a_subgroup_once():
    member = SubgroupMemberFactory()
    _raises_integrity(
        lambda: SubgroupMemberFactory(subgroup=member.subgroup, user=member.user)
    )


def test_priority_title_is_unique_within_a_plan():
    priority = factories.PriorityFactory(title="Providing a safe town centre")
    _raises_integrity(
        lambda: Priority.objects.create(
            partnership=priority.partnership, plan=priority.plan, title=priority.title
        )
    )


def test_a_person_leads_a_priority_once():
    lead = factories.PriorityLeadFactory()
    _raises_integrity(
        lambda: PriorityLead.objects.create(
            priority=lead.priority, user=lead.user, agency=lead.agency
        )
    )


def test_one_status_per_priority_per_year():
    status = factories.PriorityStatusFactory(year=2023)
    _raises_integrity(
        lambda: PriorityStatus.objects.create(
            priority=status.priority, year=2023, status="at_risk"
        )
    )


def test_a_lineage_link_is_unique_and_never_points_at_itself():
    link = PriorityLinkFactory()
    _raises_integrity(
        lambda: PriorityLink.objects.create(source=link.source, target=link.target, kind="split")
    )
    _raises_integrity(
        lambda: PriorityLink.objects.create(source=link.source, target=link.source, kind="split")
    )


def test_an_agency_that_leads_a_priority_cannot_be_deleted():
    from django.db.models import ProtectedError

    lead = factories.PriorityLeadFactory()
    with pytest.raises(ProtectedError):
        lead.agency.delete()


# --- clean() rules ---------------------------------------------------------------


def test_priority_rejects_a_plan_of_another_partnership():
    priority = factories.PriorityFactory()
    priority.plan = factories.PlanPeriodFactory()  # another partnership
    with pytest.raises(ValidationError) as exc:
        priority.full_clean()
    assert "plan" in exc.value.message_dict


def test_priority_rejects_a_subgroup_of_another_partnership():
    priority = factories.PriorityFactory()
    priority.subgroup = factories.SubgroupFactory()
    with pytest.raises(ValidationError) as exc:
        priority.full_clean()
    assert "subgroup" in exc.value.message_dict


@pytest.mark.parametrize("ended_year", [2021, 2022, 2026])
def test_priority_end_year_must_fall_after_its_start_and_within_its_plan(ended_year):
    priority = factories.PriorityFactory()  # plan 2022–2024
    priority.ended_year = ended_year
    with pytest.raises(ValidationError) as exc:
        priority.full_clean()
    assert "ended_year" in exc.value.message_dict


@pytest.mark.parametrize("ended_year", [2023, 2024, 2025])
def test_priority_end_year_may_be_any_later_plan_year_or_just_after(ended_year):
    priority = factories.PriorityFactory()
    priority.ended_year = ended_year
    priority.full_clean()


def test_lead_agency_must_belong_to_the_priority_partnership():
    priority = factories.PriorityFactory()
    lead = PriorityLead(
        priority=priority, user=factories.UserFactory(), agency=factories.AgencyFactory()
    )
    with pytest.raises(ValidationError) as exc:
        lead.full_clean()
    assert "agency" in exc.value.message_dict


@pytest.mark.parametrize("year", [2021, 2025])
def test_status_year_must_be_a_year_of_the_plan(year):
    priority = factories.PriorityFactory()
    status = PriorityStatus(priority=priority, year=year, status="on_track")
    with pytest.raises(ValidationError) as exc:
        status.full_clean()
    assert "year" in exc.value.message_dict


def test_lineage_link_stays_within_one_partnership():
    link = PriorityLink(
        source=factories.PriorityFactory(), target=factories.PriorityFactory(), kind="continued"
    )
    with pytest.raises(ValidationError):
        link.full_clean()


def test_a_demotion_must_point_at_a_theme():
    source = factories.PriorityFactory()
    named = factories.PriorityFactory(partnership=source.partnership, start_year=2023,
                                      plan=source.plan)
    link = PriorityLink(source=source, target=named, kind=PriorityLink.Kind.DEMOTED)
    with pytest.raises(ValidationError) as exc:
        link.full_clean()
    assert "kind" in exc.value.message_dict
    link.target = factories.PriorityFactory(
        partnership=source.partnership, plan=source.plan, start_year=2023,
        kind=Priority.Kind.THEME,
    )
    link.full_clean()


def test_only_a_named_priority_can_be_demoted():
    theme = factories.PriorityFactory(kind=Priority.Kind.THEME)
    later = factories.PriorityFactory(partnership=theme.partnership, plan=theme.plan,
                                      start_year=2024, kind=Priority.Kind.THEME)
    with pytest.raises(ValidationError) as exc:
        PriorityLink(source=theme, target=later, kind=PriorityLink.Kind.DEMOTED).full_clean()
    assert exc.value.message_dict["kind"] == ["Only a named priority can be demoted."]


@pytest.mark.parametrize("target_start", [2021, 2022])
def test_a_priority_carries_on_only_into_one_that_starts_later(target_start):
    source = factories.PriorityFactory(plan__start_year=2021, plan__end_year=2024,
                                       start_year=2022)
    target = factories.PriorityFactory(partnership=source.partnership, plan=source.plan,
                                       start_year=target_start)
    with pytest.raises(ValidationError, match="starts later"):
        PriorityLink(source=source, target=target, kind="continued").full_clean()


# --- start and end years -------------------------------------------------------------


def test_a_priority_starts_with_its_plan_unless_told():
    priority = factories.PriorityFactory(plan__start_year=2022, plan__end_year=2024)
    assert priority.start_year == 2022 and priority.years == [2022, 2023, 2024]
    later = factories.PriorityFactory(plan=priority.plan, partnership=priority.partnership,
                                      start_year=2023, ended_year=2024)
    assert later.years == [2023] and later.runs_in(2023) and not later.runs_in(2022)
    assert later.last_year_label == "2023–24" and not later.ends_with_plan


@pytest.mark.parametrize("start_year", [2021, 2025])
def test_a_priority_starts_in_a_year_of_its_plan(start_year):
    priority = factories.PriorityFactory()  # plan 2022–2024
    priority.start_year = start_year
    with pytest.raises(ValidationError) as exc:
        priority.full_clean()
    assert "start_year" in exc.value.message_dict


def test_the_database_refuses_an_end_before_the_start():
    priority = factories.PriorityFactory(start_year=2023)
    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.filter(pk=priority.pk).update(ended_year=2023)


def test_a_status_only_for_a_year_the_priority_runs_in():
    priority = factories.PriorityFactory(start_year=2023, ended_year=2024)
    co_chair = factories.UserFactory()
    for year in (2022, 2024):
        with pytest.raises(ValidationError) as exc:
            PriorityStatus(priority=priority, year=year, status="on_track",
                           set_by=co_chair).full_clean()
        assert "does not run in" in exc.value.message_dict["year"][0]
    PriorityStatus(priority=priority, year=2023, status="on_track", set_by=co_chair).full_clean()


# --- subgroup members ---------------------------------------------------------------


def test_a_subgroup_member_is_a_person_an_agency_or_both(partnership, member):
    subgroup = factories.SubgroupFactory(partnership=partnership)
    with pytest.raises(ValidationError, match="a person, an agency or both"):
        SubgroupMember(subgroup=subgroup).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubgroupMember.objects.create(subgroup=subgroup)
    agency = factories.AgencyFactory(partnership=partnership)
    SubgroupMember(subgroup=subgroup, agency=agency).full_clean()
    SubgroupMember(subgroup=subgroup, user=member(Role.PARTNER)).full_clean()


def test_an_agency_sits_on_a_subgroup_once_without_a_named_person(partnership, member):
    subgroup = factories.SubgroupFactory(partnership=partnership)
    agency = factories.AgencyFactory(partnership=partnership)
    SubgroupMember.objects.create(subgroup=subgroup, agency=agency)
    with pytest.raises(ValidationError, match="This agency is already a member"):
        SubgroupMember(subgroup=subgroup, agency=agency).full_clean()
    # A named person from the same agency is a separate seat.
    SubgroupMember(subgroup=subgroup, agency=agency, user=member(Role.PARTNER)).full_clean()


def test_only_members_of_the_partnership_join_its_subgroups(partnership):
    subgroup = factories.SubgroupFactory(partnership=partnership)
    outsider = factories.MembershipFactory(role=Role.CO_CHAIR).user
    with pytest.raises(ValidationError) as exc:
        SubgroupMember(subgroup=subgroup, user=outsider).full_clean()
    assert "user" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        SubgroupMember(subgroup=subgroup, agency=factories.AgencyFactory()).full_clean()
    assert "agency" in exc.value.message_dict


# --- helpers and QuerySet methods ------------------------------------------------


@pytest.mark.parametrize(
    ("today", "year"),
    [(dt.date(2023, 3, 31), 2022), (dt.date(2023, 4, 1), 2023), (dt.date(2024, 12, 1), 2024)],
)
def test_plan_years_run_april_to_march(today, year):
    assert current_plan_year(today) == year


def test_year_labels_read_like_the_papers():
    assert year_label(2022) == "2022–23"
    assert year_label(2099) == "2099–00"
    plan = PlanPeriod(start_year=2022, end_year=2024)
    assert plan.label == "2022–25"
    assert plan.years == [2022, 2023, 2024]


def test_current_priorities_are_those_of_a_covering_plan_started_and_not_yet_ended():
    partnership = factories.PartnershipFactory()
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2022, end_year=2024)
    old_plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2017, end_year=2017)
    running = factories.PriorityFactory(partnership=partnership, plan=plan)
    ended = factories.PriorityFactory(partnership=partnership, plan=plan, ended_year=2023)
    old = factories.PriorityFactory(partnership=partnership, plan=old_plan)

    assert set(Priority.objects.current(2022)) == {running, ended}
    assert set(Priority.objects.current(2023)) == {running}
    assert set(Priority.objects.current(2017)) == {old}
    assert set(Priority.objects.current(2030)) == set()


def test_a_successor_starting_mid_plan_is_not_current_before_it_starts():
    plan = factories.PlanPeriodFactory(start_year=2022, end_year=2024)
    first = factories.PriorityFactory(partnership=plan.partnership, plan=plan, ended_year=2023)
    successor = factories.PriorityFactory(partnership=plan.partnership, plan=plan,
                                          start_year=2023)
    assert list(Priority.objects.current(2022)) == [first]
    assert list(Priority.objects.current(2023)) == [successor]
    assert list(Priority.objects.running_in(2024)) == [successor]


def test_the_current_plan_covers_the_year_else_the_latest_started_else_the_first():
    partnership = factories.PartnershipFactory()
    old = factories.PlanPeriodFactory(partnership=partnership, start_year=2015, end_year=2017)
    new = factories.PlanPeriodFactory(partnership=partnership, start_year=2022, end_year=2024)
    plans = PlanPeriod.objects.filter(partnership=partnership)
    assert plans.current(2016) == old
    assert plans.current(2023) == new
    assert plans.current(2019) == old  # between plans: the latest that started
    assert plans.current(2026) == new
    assert plans.current(2010) == old  # before any: the first
    assert PlanPeriod.objects.none().current(2023) is None
    assert (new.year_shown(2026), new.year_shown(2023), new.year_shown(2010)) == (
        2024, 2023, 2022)


def test_current_defaults_to_this_plan_year():
    year = current_plan_year()
    plan = factories.PlanPeriodFactory(start_year=year, end_year=year)
    priority = factories.PriorityFactory(partnership=plan.partnership, plan=plan)
    assert list(Priority.objects.current()) == [priority]


def test_visible_to_hides_unpublished_plans_from_committee_members_only(partnership, member):
    published = factories.PriorityFactory(
        partnership=partnership, plan__partnership=partnership, plan__is_published=True
    )
    draft = factories.PriorityFactory(
        partnership=partnership, plan__partnership=partnership, plan__is_published=False
    )
    elsewhere = factories.PriorityFactory()
    committee = member(Role.COMMITTEE)
    partner = member(Role.PARTNER)

    assert set(Priority.objects.visible_to(committee, partnership)) == {published}
    assert set(Priority.objects.visible_to(partner, partnership)) == {published, draft}
    assert elsewhere not in Priority.objects.visible_to(partner, partnership)


def test_a_committee_member_with_another_role_sees_drafts(partnership, member):
    draft = factories.PriorityFactory(
        partnership=partnership, plan__partnership=partnership, plan__is_published=False
    )
    user = member(Role.COMMITTEE)
    factories.MembershipFactory(user=user, partnership=partnership, role=Role.OFFICER)
    assert list(Priority.objects.visible_to(user, partnership)) == [draft]


def test_plan_period_covering_and_published():
    partnership = factories.PartnershipFactory()
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2022, end_year=2024)
    draft = factories.PlanPeriodFactory(
        partnership=partnership, start_year=2025, end_year=2027, is_published=False
    )
    assert list(PlanPeriod.objects.covering(2022)) == [plan]
    assert list(PlanPeriod.objects.covering(2024)) == [plan]
    assert list(PlanPeriod.objects.covering(2026)) == [draft]
    assert list(PlanPeriod.objects.covering(2021)) == []
    assert list(PlanPeriod.objects.published()) == [plan]


def test_partnerships_for_a_user_are_their_memberships(partnership, member):
    user = member(Role.LEAD)
    factories.MembershipFactory(user=user, partnership=partnership, role=Role.OFFICER)
    other = factories.PartnershipFactory()
    superuser = factories.UserFactory(is_superuser=True)
    from django.contrib.auth.models import AnonymousUser

    assert list(Partnership.objects.for_user(user)) == [partnership]  # distinct
    assert set(Partnership.objects.for_user(superuser)) == {partnership, other}
    assert list(Partnership.objects.for_user(AnonymousUser())) == []
    assert list(Partnership.objects.for_user(factories.UserFactory())) == []


def test_status_for_reads_the_status_of_that_year_only():
    priority = factories.PriorityFactory()
    factories.PriorityStatusFactory(priority=priority, year=2022, status="on_track")
    second = factories.PriorityStatusFactory(priority=priority, year=2023, status="at_risk")
    priority = Priority.objects.with_people().get(pk=priority.pk)
    assert priority.status_for(2023) == second
    assert priority.status_for(2024) is None


def test_edits_are_recorded_in_the_audit_history():
    priority = factories.PriorityFactory(title="Before")
    priority.title = "After"
    priority.save()
    assert [h.title for h in priority.history.all()] == ["After", "Before"]
