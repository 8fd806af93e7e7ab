"""Plan periods, priorities (and cross-cutting themes), subgroups, leads, yearly
status and lineage between plan years. One module per concept."""

from priorities.models.lineage import PriorityLink
from priorities.models.plans import PlanPeriod, PlanPeriodQuerySet, current_plan_year, year_label
from priorities.models.priorities import Priority, PriorityLead, PriorityQuerySet
from priorities.models.statuses import PriorityStatus, StatusChoice
from priorities.models.subgroups import Subgroup, SubgroupMember

__all__ = [
    "PlanPeriod", "PlanPeriodQuerySet", "Priority", "PriorityLead", "PriorityLink",
    "PriorityQuerySet", "PriorityStatus", "StatusChoice", "Subgroup", "SubgroupMember",
    "current_plan_year", "year_label",
]
