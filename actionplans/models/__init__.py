"""Action plans (OBA): plan → outcomes → actions (+ progress updates) → indicators
(+ targets), and the record of reminder digests sent. Re-exported here so
``actionplans.models.X`` works for Django and other apps."""

from actionplans.models.indicators import Indicator, IndicatorKind, IndicatorSource, Target
from actionplans.models.plans import (
    Action,
    ActionPlan,
    ActionStatus,
    Cadence,
    Outcome,
    ProgressUpdate,
    Strand,
)
from actionplans.models.reminders import ReminderDigest

__all__ = [
    "Action",
    "ActionPlan",
    "ActionStatus",
    "Cadence",
    "Indicator",
    "IndicatorKind",
    "IndicatorSource",
    "Outcome",
    "ProgressUpdate",
    "ReminderDigest",
    "Strand",
    "Target",
]
