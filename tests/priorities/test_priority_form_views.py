"""Creating and editing priorities through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorities.models import Priority
from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_co_chair_creates_a_theme_and_is_told(client, partnership, member):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    client.force_login(member(Role.CO_CHAIR))
    response = client.post(reverse("priorities:create", args=[partnership.slug]), {
        "plan": plan.pk, "title": "Mental health", "kind": "theme", "aim": "", "order": 5,
        "subgroup": ""}, follow=True)
    priority = Priority.objects.get(title="Mental health")
    assert (priority.partnership, priority.plan, priority.kind) == (partnership, plan, "theme")
    assert response.redirect_chain[-1][0] == reverse(
        "priorities:detail", args=[partnership.slug, priority.pk])
    assert "“Mental health” was created." in response.content.decode()


def test_a_missing_title_is_reported_next_to_the_field_and_the_aim_is_kept(
    client, partnership, member
):
    plan = factories.PlanPeriodFactory(partnership=partnership)
    client.force_login(member(Role.CO_CHAIR))
    response = client.post(reverse("priorities:create", args=[partnership.slug]), {
        "plan": plan.pk, "title": "", "kind": "priority", "aim": "Words worth keeping.",
        "order": 1})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title-error"' in html and "This field is required." in html
    assert "Words worth keeping." in html
    assert not Priority.objects.exists()


def test_a_lead_sees_only_the_fields_they_may_change(client, partnership, member):
    lead = member(Role.LEAD)
    priority = factories.PriorityFactory(partnership=partnership)
    factories.PriorityLeadFactory(priority=priority, user=lead)
    client.force_login(lead)
    html = client.get(reverse("priorities:edit", args=[partnership.slug, priority.pk])
                      ).content.decode()
    assert 'name="title"' in html and 'name="aim"' in html and 'name="subgroup"' in html
    assert 'name="plan"' not in html and 'name="kind"' not in html
    assert 'name="order"' not in html


def test_a_co_chair_moves_a_priority_to_another_plan(client, partnership, member):
    priority = factories.PriorityFactory(partnership=partnership)
    later = factories.PlanPeriodFactory(partnership=partnership, start_year=2025, end_year=2027)
    client.force_login(member(Role.CO_CHAIR))
    client.post(reverse("priorities:edit", args=[partnership.slug, priority.pk]), {
        "plan": later.pk, "title": priority.title, "kind": "theme", "aim": "", "order": 4})
    priority.refresh_from_db()
    assert (priority.plan, priority.kind, priority.order) == (later, "theme", 4)
