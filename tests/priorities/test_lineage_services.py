"""priority_continue, priority_split, priority_merge, priority_demote and priority_end:
what each records, how it ends the earlier priority, and what it refuses (leaving
nothing half done)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from priorities.models import Priority, PriorityLead, PriorityLink
from priorities.services import (
    Start,
    priority_continue,
    priority_demote,
    priority_end,
    priority_merge,
    priority_split,
)
from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_plan(partnership):
    return factories.PlanPeriodFactory(partnership=partnership, start_year=2017, end_year=2017,
                                       title="Plan 2017–18")


@pytest.fixture
def new_plan(partnership):
    return factories.PlanPeriodFactory(partnership=partnership, start_year=2022, end_year=2024,
                                       title="Plan 2022–25")


@pytest.fixture
def co_chair(member):
    return member(Role.CO_CHAIR)


@pytest.fixture
def old_priority(partnership, old_plan):
    subgroup = factories.SubgroupFactory(partnership=partnership)
    priority = factories.PriorityFactory(partnership=partnership, plan=old_plan,
                                         title="Substance Misuse", aim="Reduce harm.",
                                         subgroup=subgroup, order=3)
    factories.PriorityLeadFactory.create_batch(2, priority=priority)
    return priority


def _counts() -> tuple[int, int, int]:
    return Priority.objects.count(), PriorityLink.objects.count(), PriorityLead.objects.count()


# --- continue -----------------------------------------------------------------------


def test_continuing_into_a_new_plan_keeps_words_leads_and_lineage(old_priority, new_plan,
                                                                  co_chair):
    successor = priority_continue(priority=old_priority, start=Start(new_plan, 2022),
                                  note="Still needed.", actor=co_chair)
    assert (successor.plan, successor.start_year, successor.title, successor.aim,
            successor.kind, successor.order, successor.subgroup) == (
        new_plan, 2022, "Substance Misuse", "Reduce harm.", Priority.Kind.PRIORITY, 3,
        old_priority.subgroup)
    assert {(lead.user_id, lead.agency_id) for lead in successor.leads.all()} == {
        (lead.user_id, lead.agency_id) for lead in old_priority.leads.all()}
    link = PriorityLink.objects.get()
    assert (link.source, link.target, link.kind, link.note) == (
        old_priority, successor, "continued", "Still needed.")
    old_priority.refresh_from_db()
    assert old_priority.ended_year == 2018  # when its own plan ended
    # Everything is in the audit history, with who did it.
    assert PriorityLead.history.filter(priority_id=successor.pk).count() == 2
    assert successor.history.get().history_user == co_chair
    assert link.history.get().history_user == co_chair
    assert old_priority.history.first().history_user == co_chair


def test_continuing_mid_plan_ends_it_the_year_the_successor_starts(partnership, new_plan,
                                                                  co_chair):
    priority = factories.PriorityFactory(partnership=partnership, plan=new_plan,
                                         title="Safe town centre")
    successor = priority_continue(priority=priority, start=Start(new_plan, 2023),
                                  title="Providing a safe town centre", actor=co_chair)
    priority.refresh_from_db()
    assert (priority.ended_year, successor.start_year) == (2023, 2023)
    assert list(Priority.objects.current(2022)) == [priority]
    assert list(Priority.objects.current(2023)) == [successor]


def test_continuing_as_an_existing_priority_only_links_them(old_priority, new_plan, co_chair):
    existing = factories.PriorityFactory(partnership=old_priority.partnership, plan=new_plan)
    before = _counts()
    assert priority_continue(priority=old_priority, successor=existing, actor=co_chair) == (
        existing)
    assert _counts() == (before[0], before[1] + 1, before[2])


def test_a_new_title_already_in_the_plan_is_refused_and_nothing_changes(old_priority, new_plan,
                                                                        co_chair):
    factories.PriorityFactory(partnership=old_priority.partnership, plan=new_plan,
                              title="Substance misuse")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        priority_continue(priority=old_priority, start=Start(new_plan, 2022), actor=co_chair)
    assert "already has a priority or theme called" in exc.value.message_dict["title"][0]
    assert _counts() == before
    old_priority.refresh_from_db()
    assert old_priority.ended_year is None


def test_carrying_on_into_another_partnerships_plan_is_refused(old_priority, co_chair):
    with pytest.raises(ValidationError):
        priority_continue(priority=old_priority, start=Start(factories.PlanPeriodFactory(), 2022),
                          actor=co_chair)
    assert not PriorityLink.objects.exists()


def test_carrying_on_into_an_earlier_year_is_refused(partnership, new_plan, old_plan, co_chair):
    priority = factories.PriorityFactory(partnership=partnership, plan=new_plan)
    earlier = factories.PriorityFactory(partnership=partnership, plan=old_plan)
    before = _counts()
    with pytest.raises(ValidationError, match="starts later"):
        priority_continue(priority=priority, successor=earlier, actor=co_chair)
    with pytest.raises(ValidationError, match="starts later"):
        priority_continue(priority=priority, start=Start(new_plan, 2022), title="Same year",
                          actor=co_chair)
    assert _counts() == before


def test_linking_the_same_two_priorities_twice_is_refused(old_priority, new_plan, co_chair):
    successor = priority_continue(priority=old_priority, start=Start(new_plan, 2022),
                                  actor=co_chair)
    with pytest.raises(ValidationError, match="already linked"):
        priority_continue(priority=old_priority, successor=successor, actor=co_chair)
    assert PriorityLink.objects.count() == 1


def test_a_status_in_a_year_it_would_no_longer_run_blocks_the_change(partnership, new_plan,
                                                                    co_chair):
    priority = factories.PriorityFactory(partnership=partnership, plan=new_plan)
    factories.PriorityStatusFactory(priority=priority, year=2024, set_by=co_chair)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        priority_continue(priority=priority, start=Start(new_plan, 2024), title="Reworded",
                          actor=co_chair)
    assert "has a status for 2024–25" in exc.value.message_dict["ended_year"][0]
    assert _counts() == before


# --- demote -------------------------------------------------------------------------


def test_demoting_makes_a_cross_cutting_theme_with_the_aim_and_leads(old_priority, new_plan,
                                                                    co_chair):
    theme = priority_demote(priority=old_priority, start=Start(new_plan, 2022),
                            title="Substance misuse", actor=co_chair)
    assert (theme.kind, theme.title, theme.aim, theme.leads.count()) == (
        Priority.Kind.THEME, "Substance misuse", "Reduce harm.", 2)
    assert old_priority.successor_links.get().kind == "demoted"


def test_several_priorities_can_be_demoted_into_one_existing_theme(partnership, old_plan,
                                                                  new_plan, co_chair):
    asb = factories.PriorityFactory(partnership=partnership, plan=old_plan, title="ASB")
    reoffending = factories.PriorityFactory(partnership=partnership, plan=old_plan,
                                            title="Reducing re-offending")
    theme = factories.PriorityFactory(partnership=partnership, plan=new_plan, kind="theme",
                                      title="ASB and Reducing Reoffending")
    for priority in (asb, reoffending):
        priority_demote(priority=priority, theme=theme, actor=co_chair)
    assert {link.source for link in theme.predecessor_links.all()} == {asb, reoffending}


def test_a_theme_cannot_be_demoted_and_a_demotion_needs_a_theme(partnership, old_plan,
                                                               new_plan, co_chair):
    theme = factories.PriorityFactory(partnership=partnership, plan=old_plan, kind="theme")
    named = factories.PriorityFactory(partnership=partnership, plan=old_plan)
    later_named = factories.PriorityFactory(partnership=partnership, plan=new_plan)
    with pytest.raises(ValidationError, match="Only a named priority"):
        priority_demote(priority=theme, start=Start(new_plan, 2022), actor=co_chair)
    with pytest.raises(ValidationError, match="cross-cutting theme"):
        priority_demote(priority=named, theme=later_named, actor=co_chair)
    assert not PriorityLink.objects.exists()


# --- split --------------------------------------------------------------------------


def test_splitting_into_new_and_existing_priorities(partnership, new_plan, co_chair):
    resilience = factories.PriorityFactory(
        partnership=partnership, title="Community Resilience",
        plan=factories.PlanPeriodFactory(partnership=partnership, start_year=2015,
                                         end_year=2017),
        start_year=2016,
    )
    gangs = factories.PriorityFactory(partnership=partnership, plan=resilience.plan,
                                      start_year=2017, title="Gangs and CSE")
    parts = priority_split(priority=resilience, parts=[gangs],
                           start=Start(resilience.plan, 2017),
                           titles=["Organised Crime Groups", " "], note="Two sharper aims.",
                           actor=co_chair)
    assert [p.title for p in parts] == ["Gangs and CSE", "Organised Crime Groups"]
    assert parts[1].start_year == 2017 and parts[1].subgroup == resilience.subgroup
    assert parts[1].aim == "" and not parts[1].leads.exists()
    assert set(resilience.successor_links.values_list("kind", flat=True)) == {"split"}
    resilience.refresh_from_db()
    assert resilience.ended_year == 2017


def test_a_split_needs_two_parts_and_distinct_titles(old_priority, new_plan, co_chair):
    before = _counts()
    with pytest.raises(ValidationError, match="at least two"):
        priority_split(priority=old_priority, start=Start(new_plan, 2022), titles=["One"],
                       actor=co_chair)
    with pytest.raises(ValidationError):
        priority_split(priority=old_priority, start=Start(new_plan, 2022),
                       titles=["Twice", "twice"], actor=co_chair)
    with pytest.raises(ValidationError):
        priority_split(priority=old_priority, titles=["A", "B"], actor=co_chair)  # no start
    assert _counts() == before


def test_a_failing_part_leaves_no_part_created(old_priority, new_plan, co_chair):
    factories.PriorityFactory(partnership=old_priority.partnership, plan=new_plan, title="B")
    before = _counts()
    with pytest.raises(ValidationError):
        priority_split(priority=old_priority, start=Start(new_plan, 2022), titles=["A", "B"],
                       actor=co_chair)
    assert _counts() == before


# --- merge --------------------------------------------------------------------------


def test_merging_into_a_new_priority(partnership, old_plan, new_plan, co_chair):
    subgroup = factories.SubgroupFactory(partnership=partnership)
    domestic = factories.PriorityFactory(partnership=partnership, plan=old_plan,
                                         subgroup=subgroup, title="Violent crime – DA")
    night = factories.PriorityFactory(partnership=partnership, plan=old_plan,
                                      subgroup=subgroup, title="Violent crime – NTE")
    merged = priority_merge(priorities=[domestic, night], start=Start(new_plan, 2022),
                            title="Domestic abuse and other violent crime", actor=co_chair)
    assert (merged.kind, merged.subgroup, merged.start_year) == ("priority", subgroup, 2022)
    assert {link.source for link in merged.predecessor_links.filter(kind="merged")} == {
        domestic, night}
    for source in (domestic, night):
        source.refresh_from_db()
        assert source.ended_year == 2018


def test_merging_themes_into_an_existing_one(partnership, old_plan, new_plan, co_chair):
    first = factories.PriorityFactory(partnership=partnership, plan=old_plan, kind="theme")
    second = factories.PriorityFactory(partnership=partnership, plan=old_plan, kind="theme")
    into = factories.PriorityFactory(partnership=partnership, plan=new_plan, kind="theme")
    assert priority_merge(priorities=[first, second], into=into, actor=co_chair) == into
    assert into.predecessor_links.count() == 2


def test_a_merge_needs_another_priority_and_a_successor(partnership, old_plan, new_plan,
                                                        co_chair):
    alone = factories.PriorityFactory(partnership=partnership, plan=old_plan)
    other = factories.PriorityFactory(partnership=partnership, plan=old_plan)
    with pytest.raises(ValidationError) as exc:
        priority_merge(priorities=[alone, alone], start=Start(new_plan, 2022), title="X",
                       actor=co_chair)
    assert "others" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        priority_merge(priorities=[alone, other], start=Start(new_plan, 2022), title=" ",
                       actor=co_chair)
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        priority_merge(priorities=[alone, other], into=other, actor=co_chair)
    assert "into" in exc.value.message_dict
    assert not PriorityLink.objects.exists()


# --- end ----------------------------------------------------------------------------


def test_dropping_a_priority_records_the_year_and_reason(partnership, co_chair):
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2015, end_year=2017)
    road = factories.PriorityFactory(partnership=partnership, plan=plan, title="Road safety")
    priority_end(priority=road, ended_year=2017, reason="No direct resources, powers or "
                 "influence.", actor=co_chair)
    road.refresh_from_db()
    assert (road.ended_year, road.ended_reason) == (2017, "No direct resources, powers or "
                                                          "influence.")
    assert road.history.first().history_user == co_chair
    assert list(Priority.objects.current(2016)) == [road]
    assert list(Priority.objects.current(2017)) == []


def test_an_end_can_be_changed_and_undone(partnership, new_plan, co_chair):
    priority = factories.PriorityFactory(partnership=partnership, plan=new_plan)
    priority_end(priority=priority, ended_year=2023, reason="Merged elsewhere.", actor=co_chair)
    priority_end(priority=priority, ended_year=2025, reason="Ran to the end.", actor=co_chair)
    assert priority.ended_year == 2025 and priority.ends_with_plan
    priority_end(priority=priority, ended_year=None, reason="ignored", actor=co_chair)
    priority.refresh_from_db()
    assert (priority.ended_year, priority.ended_reason) == (None, "")


def test_ending_needs_a_reason_and_a_year_within_the_plan(partnership, new_plan, co_chair):
    priority = factories.PriorityFactory(partnership=partnership, plan=new_plan)
    with pytest.raises(ValidationError) as exc:
        priority_end(priority=priority, ended_year=2023, reason=" ", actor=co_chair)
    assert "reason" in exc.value.message_dict
    for year in (2022, 2026):
        with pytest.raises(ValidationError) as exc:
            priority_end(priority=priority, ended_year=year, reason="Why.", actor=co_chair)
        assert "ended_year" in exc.value.message_dict
    priority.refresh_from_db()
    assert priority.ended_year is None


def test_a_priority_with_a_successor_cannot_be_reopened_or_end_after_it(partnership, new_plan,
                                                                       co_chair):
    priority = factories.PriorityFactory(partnership=partnership, plan=new_plan)
    priority_continue(priority=priority, start=Start(new_plan, 2023), title="Reworded",
                      actor=co_chair)
    with pytest.raises(ValidationError, match="Remove that link"):
        priority_end(priority=priority, ended_year=None, reason="", actor=co_chair)
    with pytest.raises(ValidationError, match="must end by then"):
        priority_end(priority=priority, ended_year=2024, reason="Later.", actor=co_chair)
    priority.refresh_from_db()
    assert priority.ended_year == 2023
