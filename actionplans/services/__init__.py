"""Multi-step changes to action plans. Views call these; history rows carry the actor."""

from actionplans.services.conflicts import ActionConflict, EditConflict, IndicatorConflict
from actionplans.services.indicators import (
    indicator_create,
    indicator_update,
    indicator_value_save,
    target_set,
)
from actionplans.services.plans import (
    action_create,
    action_record_progress,
    action_update,
    actionplan_create,
    actionplan_start_year,
    outcome_save,
)
from actionplans.services.reminders import reminders_send

__all__ = [
    "ActionConflict",
    "EditConflict",
    "IndicatorConflict",
    "action_create",
    "action_record_progress",
    "action_update",
    "actionplan_create",
    "actionplan_start_year",
    "indicator_create",
    "indicator_update",
    "indicator_value_save",
    "outcome_save",
    "reminders_send",
    "target_set",
]
