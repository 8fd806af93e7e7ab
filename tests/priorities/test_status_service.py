"""priority_set_status: one status per priority and plan year, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from priorities.models import PriorityStatus
from priorities.services import priority_set_status
from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_setting_a_status_records_who_set_it(partnership, member):
    co_chair = member(Role.CO_CHAIR)
    priority = factories.PriorityFactory(partnership=partnership)
    status = priority_set_status(
        priority=priority, year=2023, status="at_risk", commentary="Fewer referrals.",
        actor=co_chair,
    )
    assert (status.year, status.status, status.commentary, status.set_by) == (
        2023, "at_risk", "Fewer referrals.", co_chair)


def test_setting_a_status_again_changes_the_one_row_for_that_year(partnership, member):
    first, second = member(Role.CO_CHAIR), member(Role.CO_CHAIR)
    priority = factories.PriorityFactory(partnership=partnership)
    priority_set_status(priority=priority, year=2023, status="at_risk", commentary="",
                        actor=first)
    priority_set_status(priority=priority, year=2023, status="on_track", commentary="Better.",
                        actor=second)
    status = PriorityStatus.objects.get(priority=priority)
    assert (status.status, status.set_by) == ("on_track", second)
    # Both judgements stay in the audit history.
    assert [h.status for h in status.history.order_by("history_date")] == ["at_risk", "on_track"]


def test_a_status_outside_the_plan_years_is_refused(partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)  # 2022–2024
    with pytest.raises(ValidationError):
        priority_set_status(priority=priority, year=2030, status="on_track", commentary="",
                            actor=member(Role.CO_CHAIR))
    assert not PriorityStatus.objects.exists()


def test_an_unknown_status_is_refused(partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)
    with pytest.raises(ValidationError):
        priority_set_status(priority=priority, year=2022, status="brilliant", commentary="",
                            actor=member(Role.CO_CHAIR))


def test_a_status_for_a_year_the_priority_does_not_run_in_is_refused(partnership, member):
    priority = factories.PriorityFactory(partnership=partnership, start_year=2023)
    with pytest.raises(ValidationError, match="does not run in 2022–23"):
        priority_set_status(priority=priority, year=2022, status="on_track", commentary="",
                            actor=member(Role.CO_CHAIR))
    assert not PriorityStatus.objects.exists()
