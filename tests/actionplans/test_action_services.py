"""Action edits: optimistic locking, progress notes, carry-over, audit history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from actionplans import services
from actionplans.audit import plan_history
from actionplans.models import Action, ActionPlan, Indicator, ProgressUpdate
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    OutcomeFactory,
    TargetFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_update_against_the_current_version_saves_and_bumps_the_version():
    action = ActionFactory(status="on_track")
    user = UserFactory()
    services.action_update(action=action, expected_version=1, data={"status": "at_risk"},
                           outcomes=None, actor=user)
    action.refresh_from_db()
    assert (action.status, action.version, action.updated_by) == ("at_risk", 2, user)


def test_a_stale_version_raises_a_conflict_naming_the_other_change_and_writes_nothing():
    action = ActionFactory(status="on_track", description="Needle bins")
    first = UserFactory(first_name="Helen", last_name="Morris")
    stale = Action.objects.get(pk=action.pk)
    services.action_update(action=action, expected_version=1, data={"status": "off_track"},
                           outcomes=None, actor=first)
    with pytest.raises(services.ActionConflict) as caught:
        services.action_update(action=stale, expected_version=1,
                               data={"status": "completed", "description": "Mine"},
                               outcomes=None, actor=UserFactory())
    conflict = caught.value
    assert conflict.current.status == "off_track"
    [change] = conflict.changes
    assert change.who == "Helen Morris"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("status", "On track", "Off track")]
    assert "Helen Morris" in str(conflict)
    action.refresh_from_db()
    assert (action.status, action.description, action.version) == (
        "off_track", "Needle bins", 2)


def test_a_conflict_lists_every_change_since_the_editors_version_oldest_first():
    action = ActionFactory(status="on_track", description="Needle bins")
    helen = UserFactory(first_name="Helen", last_name="Morris")
    omar = UserFactory(first_name="Omar", last_name="Shah")
    services.action_update(action=action, expected_version=1, data={"status": "at_risk"},
                           outcomes=None, actor=helen)
    services.action_update(action=action, expected_version=2,
                           data={"description": "Needle bins and sharps boxes"},
                           outcomes=None, actor=omar)
    with pytest.raises(services.ActionConflict) as caught:
        services.action_update(action=Action.objects.get(pk=action.pk), expected_version=1,
                               data={"status": "completed"}, outcomes=None, actor=UserFactory())
    assert [(e.who, [(c.field, c.old, c.new) for c in e.changes])
            for e in caught.value.changes] == [
        ("Helen Morris", [("status", "On track", "At risk")]),
        ("Omar Shah", [("description", "Needle bins", "Needle bins and sharps boxes")]),
    ]
    assert caught.value.changes[0].when <= caught.value.changes[1].when


def test_a_conflict_names_outcomes_relinked_by_the_other_editor():
    action = ActionFactory()
    bins, pupils = OutcomeFactory(plan=action.plan, text="Fewer needles"), OutcomeFactory(
        plan=action.plan, text="Fewer young users")
    action.outcomes.set([bins])
    services.action_update(action=action, expected_version=1, data={}, outcomes=[pupils],
                           actor=UserFactory(first_name="Helen", last_name="Morris"))
    with pytest.raises(services.ActionConflict) as caught:
        services.action_update(action=Action.objects.get(pk=action.pk), expected_version=1,
                               data={"status": "at_risk"}, outcomes=None, actor=UserFactory())
    [change] = caught.value.changes
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("outcomes", "Fewer needles", "Fewer young users")]


def test_a_note_alone_leaves_the_version_so_an_edit_opened_before_it_saves():
    action = ActionFactory(status="on_track")
    services.action_record_progress(action=action, note="Bins ordered", new_status="",
                                    actor=UserFactory())
    fresh = Action.objects.get(pk=action.pk)
    assert fresh.version == 1 and fresh.latest_update.note == "Bins ordered"
    assert fresh.last_activity_at > fresh.updated_at  # reminders see the note
    services.action_update(action=fresh, expected_version=1, data={"status": "at_risk"},
                           outcomes=None, actor=UserFactory())  # no conflict
    services.action_record_progress(action=Action.objects.get(pk=action.pk), note="Late",
                                    new_status="off_track", actor=UserFactory(),
                                    expected_version=2)
    assert Action.objects.get(pk=action.pk).status == "off_track"


def test_a_stale_indicator_edit_is_a_conflict_naming_the_other_change():
    indicator = IndicatorFactory(name="Pupils reached", direction="up")
    stale = Indicator.objects.get(pk=indicator.pk)
    services.indicator_update(indicator=indicator, expected_version=1,
                              data={"name": "Pupils reached (all schools)"},
                              actor=UserFactory(first_name="Helen", last_name="Morris"))
    with pytest.raises(services.IndicatorConflict) as caught:
        services.indicator_update(indicator=stale, expected_version=1,
                                  data={"unit": "children"}, actor=UserFactory())
    [change] = caught.value.changes
    assert change.who == "Helen Morris"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("name", "Pupils reached", "Pupils reached (all schools)")]
    assert Indicator.objects.get(pk=indicator.pk).unit == indicator.unit


def test_update_rejects_a_date_and_a_cadence_together_without_claiming_the_version():
    action = ActionFactory()
    with pytest.raises(ValidationError) as caught:
        services.action_update(action=action, expected_version=1,
                               data={"cadence": "quarterly"}, outcomes=None,
                               actor=UserFactory())
    assert "cadence" in caught.value.error_dict
    assert Action.objects.get(pk=action.pk).version == 1


def test_an_action_needs_a_due_date_or_a_cadence():
    plan = ActionPlanFactory()
    agency = ActionFactory(plan=plan).lead_agency
    with pytest.raises(ValidationError) as caught:
        services.action_create(plan=plan, data={"description": "x", "lead_agency": agency,
                                                "due_date": None, "cadence": ""},
                               outcomes=[], actor=UserFactory())
    assert "due_date" in caught.value.error_dict


def test_progress_with_a_status_records_the_note_and_changes_status():
    action = ActionFactory(status="on_track")
    user = UserFactory()
    update = services.action_record_progress(action=action, note="Supplier late",
                                             new_status="at_risk", actor=user,
                                             expected_version=1)
    action.refresh_from_db()
    assert action.status == "at_risk"
    assert action.latest_update == update
    assert (update.author, update.new_status, update.date) == (
        user, "at_risk", dt.date.today())


def test_progress_notes_are_all_kept_and_the_latest_is_shown():
    action = ActionFactory()
    user = UserFactory()
    services.action_record_progress(action=action, note="First", new_status="", actor=user)
    second = services.action_record_progress(action=action, note="Second", new_status="",
                                             actor=user)
    action.refresh_from_db()
    assert action.latest_update == second
    assert ProgressUpdate.objects.filter(action=action).count() == 2


def test_a_status_change_from_a_stale_page_conflicts_but_a_note_alone_does_not():
    action = ActionFactory(status="on_track")
    services.action_record_progress(action=action, note="A", new_status="at_risk",
                                    actor=UserFactory(), expected_version=1)
    with pytest.raises(services.ActionConflict):
        services.action_record_progress(action=Action.objects.get(pk=action.pk), note="B",
                                        new_status="completed", actor=UserFactory(),
                                        expected_version=1)
    services.action_record_progress(action=Action.objects.get(pk=action.pk), note="C",
                                    new_status="", actor=UserFactory())
    assert list(ProgressUpdate.objects.values_list("note", flat=True).order_by("id")) == [
        "A", "C"]
    assert Action.objects.get(pk=action.pk).status == "at_risk"


def test_progress_needs_a_note():
    with pytest.raises(ValidationError):
        services.action_record_progress(action=ActionFactory(), note="  ", new_status="",
                                        actor=UserFactory())


def test_a_new_year_copies_the_plan_with_open_actions_only():
    plan = ActionPlanFactory(year=2022, aim="Reduce harm")
    outcome = OutcomeFactory(plan=plan, text="Fewer needles")
    open_action = ActionFactory(plan=plan, status="at_risk", description="Bins")
    open_action.outcomes.set([outcome])
    ActionFactory(plan=plan, status="completed", description="Done")
    ActionFactory(plan=plan, status="dropped", description="Dropped")
    ActionFactory(plan=plan, status="not_started", description="Later")
    indicator = IndicatorFactory(plan=plan, outcome=outcome)
    TargetFactory(indicator=indicator, comparator="below", value=1000)
    user = UserFactory()

    new = services.actionplan_start_year(previous=plan, year=2023, actor=user)

    assert (new.year, new.aim, new.carried_from) == (2023, "Reduce harm", plan)
    assert sorted(new.actions.values_list("description", flat=True)) == ["Bins", "Later"]
    copied = new.actions.get(description="Bins")
    assert copied.status == "at_risk" and copied.carried_from == open_action
    assert copied.version == 1 and copied.latest_update is None
    new_outcome = new.outcomes.get()
    assert new_outcome.text == "Fewer needles" and new_outcome.pk != outcome.pk
    assert list(copied.outcomes.all()) == [new_outcome]
    new_indicator = new.indicators.get()
    assert new_indicator.series == indicator.series  # values carry on in the same store
    assert new_indicator.outcome == new_outcome
    assert new_indicator.targets.get().value == 1000
    assert plan.actions.count() == 4  # the old year is untouched


def test_a_new_year_must_be_later_free_and_inside_the_plan_period():
    plan = ActionPlanFactory(year=2023)
    ActionPlanFactory(priority=plan.priority, year=2024)
    with pytest.raises(ValidationError):
        services.actionplan_start_year(previous=plan, year=2024, actor=UserFactory())
    with pytest.raises(ValidationError):
        services.actionplan_start_year(previous=plan, year=2022, actor=UserFactory())
    with pytest.raises(ValidationError):
        services.actionplan_start_year(previous=plan, year=2030, actor=UserFactory())
    assert ActionPlan.objects.count() == 2


def test_every_change_is_audited_with_who_when_before_and_after():
    action = ActionFactory(status="on_track")
    user = UserFactory(first_name="Dan", last_name="Price")
    services.action_update(action=action, expected_version=1,
                           data={"status": "off_track", "description": "New words"},
                           outcomes=None, actor=user)
    services.action_record_progress(action=action, note="Delayed", new_status="",
                                    actor=user)
    entries = plan_history(action.plan)
    edit = next(e for e in entries if e.kind == "changed" and e.what.startswith("Action"))
    assert edit.who == "Dan Price"
    assert {(c.field, c.old, c.new) for c in edit.changes} == {
        ("status", "On track", "Off track"),
        ("description", action.history.last().description, "New words"),
    }
    assert edit.when is not None
    assert any(e.what.startswith("Progress note") and e.who == "Dan Price" for e in entries)
