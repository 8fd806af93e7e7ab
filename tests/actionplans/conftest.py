"""Fixtures of the action plans tests."""

import pytest

from tests.actionplans.factories import ActionPlanFactory
from tests.factories import PriorityFactory, PriorityLeadFactory


@pytest.fixture
def led_plan(partnership, member):
    """A 2023–24 plan of a priority in ``partnership``; ``led_plan.lead`` leads it."""
    plan = ActionPlanFactory(priority=PriorityFactory(partnership=partnership), year=2023)
    plan.lead = member("lead")
    PriorityLeadFactory(priority=plan.priority, user=plan.lead)
    return plan
