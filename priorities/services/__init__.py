"""Multi-step changes to priorities, and their lineage, one module per concern.
Audit history is written by simple-history, with the actor passed in."""

from priorities.services.leads import priority_lead_add, priority_lead_remove
from priorities.services.lineage import (
    Start,
    priority_continue,
    priority_demote,
    priority_end,
    priority_merge,
    priority_split,
)
from priorities.services.status import priority_set_status

__all__ = [
    "Start", "priority_continue", "priority_demote", "priority_end", "priority_lead_add",
    "priority_lead_remove", "priority_merge", "priority_set_status", "priority_split",
]
