"""Pages read a fixed number of queries however much a plan holds (no N+1).

Each test counts the queries of a page, makes the plan three times bigger (actions
with an edit, relinked outcomes and a note each; manual, uploaded-series and crime
indicators with values and targets) and counts again: the count must not grow.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans import services
from datasets.models import IndicatorValue, MonthlyCount
from tests.actionplans.factories import (
    IndicatorFactory,
    OutcomeFactory,
    TargetFactory,
)
from tests.datasets.factories import AreaFactory, CategoryFactory, IndicatorSeriesFactory
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


series_number = itertools.count().__next__


def _grow(plan, actor, n: int) -> None:
    """Add n of everything the plan page shows, each with audit history."""
    partnership = plan.priority.partnership
    for _ in range(n):
        first, second = OutcomeFactory(plan=plan), OutcomeFactory(plan=plan)
        action = services.action_create(
            plan=plan, actor=actor, outcomes=[first],
            data={"description": "Bins", "lead_agency": AgencyFactory(partnership=partnership),
                  "owner": actor, "due_date": dt.date(2020, 1, 1), "status": "on_track"})
        services.action_update(action=action, expected_version=1, actor=actor,
                               outcomes=[first, second],
                               data={"status": "at_risk",
                                     "lead_agency": AgencyFactory(partnership=partnership)})
        services.action_record_progress(action=action, note="Supplier late", new_status="",
                                        actor=actor)
        manual = IndicatorFactory(plan=plan, frequency="calendar_year")
        TargetFactory(indicator=manual, comparator="below", value=1000)
        TargetFactory(indicator=manual, comparator="below", value=900,
                      period_start=dt.date(2022, 1, 1))
        for year in (2021, 2022):
            services.indicator_value_save(indicator=manual, period_start=dt.date(year, 1, 1),
                                          value=Decimal(year - 2000), note="", actor=actor)
        series = IndicatorSeriesFactory(partnership=partnership, period_kind="month",
                                        name=f"Uploaded series {series_number()}")
        IndicatorFactory(plan=plan, source="series", series=series, frequency="calendar_year")
        for month in range(1, 13):
            IndicatorValue.objects.create(series=series, period_start=dt.date(2022, month, 1),
                                          period_end=dt.date(2022, month, 28),
                                          label=f"2022-{month:02d}", value=month)
        area, category = AreaFactory(partnership=partnership), CategoryFactory(
            partnership=partnership)
        IndicatorFactory(plan=plan, source="crime", series=None, area=area, category=category,
                         crime_source="police_uk", frequency="month", direction="down")
        for month in range(1, 4):
            MonthlyCount.objects.create(partnership=partnership, source="police_uk", area=area,
                                        category=category, month=dt.date(2022, month, 1),
                                        count=month)


@pytest.fixture
def plan(led_plan):
    return led_plan


def _does_not_grow(client, plan, url: str, n: int = 2) -> None:
    _grow(plan, plan.lead, n)
    client.get(url)  # warm caches (content types, sessions) before counting
    before = _count(client, url)
    _grow(plan, plan.lead, 2 * n)
    assert _count(client, url) == before


@pytest.mark.parametrize("suffix", ["", "print/"])
def test_the_plan_page_and_print_view_do_not_grow_with_the_plan(client, plan, suffix):
    client.force_login(plan.lead)  # a lead: every row carries its update form
    _does_not_grow(client, plan,
                   f"/p/{plan.priority.partnership.slug}/plans/{plan.pk}/{suffix}")


def test_my_work_does_not_grow_with_the_leads_work(client, plan):
    client.force_login(plan.lead)
    _does_not_grow(client, plan, f"/p/{plan.priority.partnership.slug}/plans/my-work/")


@pytest.mark.parametrize("suffix", ["", "export.csv", "export.xlsx"])
def test_the_actions_table_and_exports_do_not_grow_with_the_actions(client, plan, suffix):
    client.force_login(plan.lead)
    _does_not_grow(client, plan, f"/p/{plan.priority.partnership.slug}/plans/actions/{suffix}")


def test_the_indicator_page_does_not_grow_with_values_and_targets(client, plan):
    indicator = IndicatorFactory(plan=plan, frequency="month", direction="down")
    client.force_login(plan.lead)
    url = f"/p/{plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/"

    def grow(months: range) -> None:
        for month in months:
            start = dt.date(2020 + month // 12, month % 12 + 1, 1)
            services.indicator_value_save(indicator=indicator, period_start=start,
                                          value=Decimal(month), note="n", actor=plan.lead)
            TargetFactory(indicator=indicator, period_start=start, comparator="below",
                          value=50)

    grow(range(0, 4))
    client.get(url)
    before = _count(client, url)
    grow(range(4, 12))
    assert _count(client, url) == before
