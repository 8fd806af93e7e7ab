from actionplans.views.actions import (
    action_add,
    action_edit,
    action_progress,
    actions_export,
    actions_table,
    my_work,
)
from actionplans.views.indicators import (
    indicator_add,
    indicator_detail,
    indicator_edit,
    indicator_target,
    indicator_value,
)
from actionplans.views.plans import (
    outcome_add,
    outcome_edit,
    plan_aim,
    plan_create,
    plan_detail,
    plan_for_priority,
    plan_print,
    plan_start_year,
)

__all__ = [
    "action_add", "action_edit", "action_progress", "actions_export", "actions_table",
    "indicator_add", "indicator_detail", "indicator_edit", "indicator_target", "indicator_value",
    "my_work", "outcome_add", "outcome_edit", "plan_aim", "plan_create", "plan_detail",
    "plan_for_priority", "plan_print", "plan_start_year",
]
