"""Forms: who may change which fields, and choices limited to the partnership."""

from __future__ import annotations

import pytest

from priorities.forms import LeadForm, PriorityForm, PriorityStatusForm, SubgroupForm
from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_full_priority_form_offers_only_this_partnerships_plans_and_subgroups(partnership):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    subgroup = factories.SubgroupFactory(partnership=partnership)
    factories.PlanPeriodFactory()
    factories.SubgroupFactory()
    form = PriorityForm(partnership=partnership)
    assert list(form.fields["plan"].queryset) == [plan]
    assert list(form.fields["subgroup"].queryset) == [subgroup]
    assert set(form.fields) == {"plan", "start_year", "title", "kind", "aim", "order",
                                "subgroup"}


def test_a_plan_of_another_partnership_is_not_a_valid_choice(partnership):
    form = PriorityForm({"plan": factories.PlanPeriodFactory().pk, "title": "X",
                         "kind": "priority", "order": 1}, partnership=partnership)
    assert not form.is_valid()
    assert "plan" in form.errors


def test_the_lead_only_form_hides_plan_kind_and_order(partnership):
    form = PriorityForm(partnership=partnership, lead_only=True)
    assert set(form.fields) == {"title", "aim", "subgroup"}


def test_a_lead_cannot_move_their_priority_by_posting_hidden_fields(partnership):
    priority = factories.PriorityFactory(partnership=partnership, kind="priority", order=2)
    plan_id, start_year = priority.plan_id, priority.start_year
    other_plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2025,
                                             end_year=2027)
    form = PriorityForm(
        {"title": "Reworded", "aim": "New aim", "plan": other_plan.pk, "kind": "theme",
         "order": 99, "start_year": 2026},
        instance=priority, partnership=partnership, lead_only=True,
    )
    assert form.is_valid(), form.errors
    form.save()
    priority.refresh_from_db()
    assert (priority.title, priority.aim) == ("Reworded", "New aim")
    assert priority.plan_id == plan_id
    assert priority.kind == "priority"
    assert priority.order == 2
    assert priority.start_year == start_year


def test_a_priority_can_start_after_its_plans_first_year(partnership):
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2022, end_year=2024)
    data = {"plan": plan.pk, "title": "Mid-plan", "kind": "priority", "order": 1}
    form = PriorityForm({**data, "start_year": 2023}, partnership=partnership)
    assert form.is_valid(), form.errors
    assert form.save().start_year == 2023
    form = PriorityForm({**data, "title": "From the start"}, partnership=partnership)
    assert form.save().start_year == 2022
    bad = PriorityForm({**data, "title": "Too late", "start_year": 2025},
                       partnership=partnership)
    assert bad.errors["start_year"] == ["Must be a year of the plan (2022–25)."]


def test_moving_a_priority_to_another_plan_moves_its_default_start(partnership):
    priority = factories.PriorityFactory(partnership=partnership)  # 2022–25, from 2022
    later = factories.PlanPeriodFactory(partnership=partnership, start_year=2025, end_year=2027)
    form = PriorityForm({"plan": later.pk, "title": priority.title, "kind": "priority",
                         "order": 1, "start_year": 2022}, instance=priority,
                        partnership=partnership)
    assert form.is_valid(), form.errors
    assert form.save().start_year == 2025


def test_a_duplicate_priority_title_in_a_plan_is_an_error_on_the_form(partnership):
    existing = factories.PriorityFactory(partnership=partnership)
    form = PriorityForm({"plan": existing.plan.pk, "title": existing.title, "kind": "priority",
                         "order": 1}, partnership=partnership)
    assert not form.is_valid()
    assert "already exists" in str(form.errors)


def test_the_status_form_offers_the_years_the_priority_runs_in(partnership):
    priority = factories.PriorityFactory(partnership=partnership)
    form = PriorityStatusForm(priority=priority)
    assert form.fields["year"].choices == [(2022, "2022–23"), (2023, "2023–24"),
                                           (2024, "2024–25")]
    later = factories.PriorityFactory(partnership=partnership, plan=priority.plan,
                                      start_year=2023, ended_year=2024)
    assert PriorityStatusForm(priority=later).fields["year"].choices == [(2023, "2023–24")]
    bad = PriorityStatusForm({"year": 2030, "status": "on_track"}, priority=priority)
    assert "year" in bad.errors


def test_the_lead_form_offers_only_members_and_agencies_of_the_partnership(partnership, member):
    user = member(Role.PARTNER)
    factories.MembershipFactory(user=user, partnership=partnership, role=Role.OFFICER)
    outsider = factories.MembershipFactory().user
    form = LeadForm(partnership=partnership)
    assert list(form.fields["user"].queryset) == [user]  # once, though two roles
    assert outsider not in form.fields["user"].queryset
    assert set(form.fields["agency"].queryset) == set(partnership.agencies.all())


def test_a_duplicate_subgroup_name_is_an_error_on_the_form(partnership):
    factories.SubgroupFactory(partnership=partnership, name="Domestic Abuse Forum")
    form = SubgroupForm({"name": "Domestic Abuse Forum"}, partnership=partnership)
    assert not form.is_valid()
    assert form.errors["name"] == ["A subgroup with this name already exists."]
    # The same name in another partnership is fine.
    other = factories.PartnershipFactory()
    assert SubgroupForm({"name": "Domestic Abuse Forum"}, partnership=other).is_valid()


def test_a_lead_renaming_to_a_title_taken_in_their_plan_gets_a_form_error(partnership):
    taken = factories.PriorityFactory(partnership=partnership)
    priority = factories.PriorityFactory(partnership=partnership, plan=taken.plan)
    form = PriorityForm({"title": taken.title}, instance=priority, partnership=partnership,
                        lead_only=True)
    assert not form.is_valid()
    assert form.errors["title"] == ["This plan already has a priority or theme with this title."]


def test_saving_a_subgroup_unchanged_is_not_a_duplicate(partnership):
    subgroup = factories.SubgroupFactory(partnership=partnership, name="Town Centre Task Force")
    form = SubgroupForm({"name": "Town Centre Task Force", "description": "New words"},
                        instance=subgroup, partnership=partnership)
    assert form.is_valid(), form.errors
