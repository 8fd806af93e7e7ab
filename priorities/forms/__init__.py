"""Forms of the priorities pages, one module per concern."""

from priorities.forms.common import add_errors
from priorities.forms.lineage import ContinueForm, DemoteForm, EndForm, MergeForm, SplitForm
from priorities.forms.plans import PlanPeriodForm
from priorities.forms.priorities import LeadForm, PriorityForm, PriorityStatusForm, SubgroupForm
from priorities.forms.subgroups import SubgroupMemberForm

__all__ = [
    "ContinueForm", "DemoteForm", "EndForm", "LeadForm", "MergeForm", "PlanPeriodForm",
    "PriorityForm", "PriorityStatusForm", "SplitForm", "SubgroupForm", "SubgroupMemberForm",
    "add_errors",
]
