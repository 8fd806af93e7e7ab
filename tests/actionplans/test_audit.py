"""The change history of a plan: one entry per save, outcome links by name, created
records with their values."""

import datetime as dt
from decimal import Decimal

import pytest

from actionplans import services
from actionplans.audit import plan_history
from tests.actionplans.factories import ActionPlanFactory, IndicatorFactory, OutcomeFactory
from tests.factories import AgencyFactory, PriorityFactory, PriorityLeadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return ActionPlanFactory()


def _action(plan, actor, outcomes):
    agency = AgencyFactory(partnership=plan.priority.partnership, name="Change Grow Live",
                           short_name="CGL")
    return services.action_create(
        plan=plan, actor=actor, outcomes=outcomes,
        data={"description": "Needle bin placements", "lead_agency": agency,
              "due_date": dt.date(2025, 3, 31), "status": "on_track", "strand": "prevent"})


def _entries_for(plan, prefix):
    return [e for e in plan_history(plan) if e.what.startswith(prefix)]


def test_relinking_outcomes_shows_their_names_before_and_after_in_one_entry(plan):
    needles = OutcomeFactory(plan=plan, text="Fewer discarded needles")
    young = OutcomeFactory(plan=plan, text="Fewer young people using substances")
    actor = UserFactory(first_name="Dan", last_name="Price")
    action = _action(plan, actor, [needles])
    services.action_update(action=action, expected_version=1, data={"status": "at_risk"},
                           outcomes=[young], actor=actor)
    changed = [e for e in _entries_for(plan, "Action") if e.kind == "changed"]
    assert len(changed) == 1  # the save and its outcome links are one change
    assert {(c.field, c.old, c.new) for c in changed[0].changes} == {
        ("status", "On track", "At risk"),
        ("outcomes", "Fewer discarded needles", "Fewer young people using substances"),
    }


def test_a_created_action_lists_its_values_with_names_not_ids(plan):
    needles = OutcomeFactory(plan=plan, text="Fewer discarded needles")
    owner = UserFactory(first_name="Ann", last_name="Lee")
    action = _action(plan, UserFactory(first_name="Dan", last_name="Price"), [needles])
    services.action_update(action=action, expected_version=1, data={"owner": owner},
                           outcomes=None, actor=owner)
    [created] = [e for e in _entries_for(plan, "Action") if e.kind == "created"]
    assert created.who == "Dan Price"
    values = {c.field: c.new for c in created.changes}
    assert values == {"description": "Needle bin placements",
                      "lead agency": "CGL", "due date": "31 Mar 2025",
                      "status": "On track", "4P strand": "Prevent",
                      "outcomes": "Fewer discarded needles"}
    [changed] = [e for e in _entries_for(plan, "Action") if e.kind == "changed"]
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("owner", "—", "Ann Lee")]


def test_indicator_values_and_targets_are_named_after_their_indicator(plan):
    indicator = IndicatorFactory(plan=plan, name="Pupils reached", frequency="calendar_year",
                                 direction="up")
    actor = UserFactory()
    services.target_set(indicator=indicator, comparator="at_least", value=Decimal(1000),
                        actor=actor)
    first = services.indicator_value_save(indicator=indicator, period_start=dt.date(2023, 1, 1),
                                          value=Decimal(960), note="Term 1", actor=actor)
    services.indicator_value_save(indicator=indicator, period_start=dt.date(2023, 1, 1),
                                  value=Decimal(1140), note="All terms", actor=actor,
                                  expected_updated_at=first.updated_at)
    [target] = _entries_for(plan, "Target")
    assert target.what == "Target of “Pupils reached”"
    assert {c.field: c.new for c in target.changes} == {"comparator": "at least",
                                                        "value": "1,000"}
    values = _entries_for(plan, "Value")
    assert [e.kind for e in values] == ["changed", "created"]
    assert values[0].what == "Value of “Pupils reached” for 2023"
    assert {(c.field, c.old, c.new) for c in values[0].changes} == {
        ("value", "960", "1,140"), ("note", "Term 1", "All terms")}


def test_the_plan_page_shows_created_values_and_outcome_names(client, partnership, member):
    plan = ActionPlanFactory(priority=PriorityFactory(partnership=partnership))
    lead = member("lead")
    PriorityLeadFactory(priority=plan.priority, user=lead)
    needles = OutcomeFactory(plan=plan, text="Fewer discarded needles")
    young = OutcomeFactory(plan=plan, text="Fewer young users")
    action = _action(plan, lead, [needles])
    services.action_update(action=action, expected_version=1, data={}, outcomes=[needles, young],
                           actor=lead)
    client.force_login(lead)
    html = client.get(f"/p/{partnership.slug}/plans/{plan.pk}/").content.decode()
    history = html[html.index('id="history"'):]
    assert "Outcomes: Fewer discarded needles → Fewer discarded needles; Fewer young users" \
        in history
    assert "Lead agency: CGL" in history
    assert "linked" not in history
