"""Administration → Plan periods: the table and creating and editing a plan period's
title, years and publication, with the checks that keep its priorities and statuses
inside its years. Who may: test_permission_matrix.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorities.models import PlanPeriod
from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, member):
    client.force_login(member(Role.ADMIN))
    return client


def test_the_table_lists_plans_newest_first_with_their_years(admin_client, partnership):
    factories.PlanPeriodFactory(partnership=partnership, title="Plan 2015–18", start_year=2015,
                                end_year=2017, is_published=False)
    plan = factories.PlanPeriodFactory(partnership=partnership, title="Plan 2022–25")
    factories.PriorityFactory.create_batch(2, partnership=partnership, plan=plan)
    factories.PlanPeriodFactory(title="Another partnership's plan")

    html = admin_client.get(reverse("priorities:plans", args=[partnership.slug])
                            ).content.decode()

    assert html.index("Plan 2022–25") < html.index("Plan 2015–18")
    assert "2022–25" in html and "2015–18" in html
    assert "Another partnership" not in html
    row = html.split("Plan 2022–25</td>")[1].split("</tr>")[0]
    assert ">2<" in row.replace(" ", "")  # its priorities


def test_an_administrator_adds_a_plan_period_that_the_home_page_then_shows(
    admin_client, partnership
):
    home = admin_client.get(reverse("priorities:home", args=[partnership.slug])).content.decode()
    assert reverse("priorities:plan_create", args=[partnership.slug]) in home  # empty state

    response = admin_client.post(reverse("priorities:plan_create", args=[partnership.slug]), {
        "title": "Community Safety Partnership Plan 2025–28", "start_year": 2025,
        "end_year": 2027, "is_published": "on"})

    assert response.url == reverse("priorities:plans", args=[partnership.slug])
    plan = PlanPeriod.objects.get(partnership=partnership)
    assert (plan.label, plan.is_published) == ("2025–28", True)
    home = admin_client.get(reverse("priorities:home", args=[partnership.slug])).content.decode()
    assert "Community Safety Partnership Plan 2025–28" in home


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"start_year": 2025, "end_year": 2024}, "end_year", "cannot be before the first"),
    ({"start_year": 1990, "end_year": 1992}, "start_year", "greater than or equal to 1998"),
    ({"title": "Taken", "start_year": 2025, "end_year": 2027}, "title", "already has a plan"),
])
def test_bad_years_or_titles_are_explained(admin_client, partnership, data, field, message):
    factories.PlanPeriodFactory(partnership=partnership, title="Taken")
    response = admin_client.post(reverse("priorities:plan_create", args=[partnership.slug]),
                                 {"title": "New plan", **data})
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html and message in html
    assert PlanPeriod.objects.count() == 1


def test_new_years_must_keep_the_plans_priorities_and_statuses(admin_client, partnership):
    plan = factories.PlanPeriodFactory(partnership=partnership, start_year=2022, end_year=2024)
    late = factories.PriorityFactory(partnership=partnership, plan=plan, start_year=2024,
                                     title="Late starter")
    factories.PriorityStatusFactory(priority=late, year=2024)
    url = reverse("priorities:plan_edit", args=[partnership.slug, plan.pk])

    html = admin_client.post(url, {"title": plan.title, "start_year": 2022,
                                   "end_year": 2023}).content.decode()

    assert "“Late starter” starts in 2024–25, outside 2022–2023." in html
    assert "“Late starter” has a status for 2024–25." in html
    plan.refresh_from_db()
    assert plan.end_year == 2024
    admin_client.post(url, {"title": "Renamed", "start_year": 2022, "end_year": 2025})
    plan.refresh_from_db()
    assert (plan.title, plan.end_year, plan.is_published) == ("Renamed", 2025, False)
