"""Pages of the priorities app, one module per area."""

from priorities.views.home import partnership_home
from priorities.views.lineage import (
    priority_continue,
    priority_demote,
    priority_end,
    priority_link_remove,
    priority_merge,
    priority_split,
)
from priorities.views.plans import plan_edit, plan_list
from priorities.views.priorities import (
    priority_create,
    priority_detail,
    priority_edit,
    priority_lead_remove,
    priority_leads,
    priority_status,
)
from priorities.views.subgroups import (
    subgroup_detail,
    subgroup_edit,
    subgroup_list,
    subgroup_member_add,
    subgroup_member_remove,
)

__all__ = [
    "partnership_home", "plan_edit", "plan_list", "priority_continue", "priority_create",
    "priority_demote", "priority_detail", "priority_edit", "priority_end", "priority_lead_remove",
    "priority_leads", "priority_link_remove", "priority_merge", "priority_split",
    "priority_status", "subgroup_detail", "subgroup_edit", "subgroup_list",
    "subgroup_member_add", "subgroup_member_remove",
]
