"""Series page: financial/calendar years, compare two periods, figures at each period end
(paginated, quarter ends, CSV), permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from datasets.models import TrendSeries
from datasets.services.trends import trends_recalculate_partnership
from smp.models import Role
from tests.factories import MembershipFactory, PartnershipFactory
from tests.trends.factories import AreaFactory, CategoryFactory, PopulationFactory, add_counts

pytestmark = pytest.mark.django_db
START = dt.date(2019, 4, 1)  # April 2019 - March 2022: three financial years


@pytest.fixture
def series(partnership):
    ward = AreaFactory(partnership=partnership, name="High Street")
    category = CategoryFactory(partnership=partnership, name="Burglary")
    PopulationFactory(area=ward, year=2021, population=10000)
    add_counts(area=ward, category=category, start=START,
               values=[10] * 12 + [12] * 12 + [9] * 5 + [None] + [9] * 6)  # no Sep 2021
    trends_recalculate_partnership(partnership_id=partnership.pk)
    return TrendSeries.objects.get(area=ward, category=category)


def _url(series, name="trend_series"):
    return reverse(f"datasets:{name}", args=[series.partnership.slug, series.pk])


def test_the_page_shows_financial_and_calendar_years_and_says_when_one_is_incomplete(
    client, member, series
):
    client.force_login(member(Role.PARTNER))
    response = client.get(_url(series))
    html = response.content.decode()
    assert "Financial years (April to March)" in html and "Calendar years" in html
    (fy, _), (cy, _) = response.context["year_tables"]
    years = {label: p for label, p in fy}
    assert (years["2019–20"].rolling_total, years["2020–21"].rolling_total) == (120, 144)
    assert round(years["2020–21"].pct_change, 1) == 20.0 and "+20.0%" in html
    assert years["2021–22"].rolling_total is None  # September 2021 is missing
    assert "incomplete" in html
    calendar = {label: p.rolling_total for label, p in cy}
    assert calendar["2020"] == 3 * 10 + 9 * 12 and "2019" not in calendar


def test_comparing_two_chosen_periods_prints_the_change_as_the_papers_do(
    client, member, series
):
    client.force_login(member(Role.LEAD))
    response = client.get(_url(series), {
        "current_from": "2021-04", "current_to": "2021-08",
        "previous_from": "2020-04", "previous_to": "2020-08",
    })
    html = response.content.decode()
    assert response.context["comparison"].change == 45 - 60
    assert "−25.0%" in html or "-25.0%" in html
    assert "fewer crimes per day" in html


def test_a_period_outside_the_series_or_backwards_is_explained_next_to_the_field(
    client, member, series
):
    client.force_login(member(Role.OFFICER))
    response = client.get(_url(series), {
        "current_from": "2018-01", "current_to": "2021-09",
        "previous_from": "2020-09", "previous_to": "2020-04",
    })
    form = response.context["compare_form"]
    assert response.context["comparison"] is None
    assert "This series runs from April 2019 to March 2022." in form.errors["current_from"]
    assert "must not be before the start month" in form.errors["previous_to"][0]
    assert 'id="id_current_from-error"' in response.content.decode()


def test_a_comparison_over_a_gap_is_not_totalled(client, member, series):
    client.force_login(member(Role.OFFICER))
    response = client.get(_url(series), {
        "current_from": "2021-04", "current_to": "2022-03",
        "previous_from": "2020-04", "previous_to": "2021-03",
    })
    assert response.context["comparison"].current_total is None
    assert "Not comparable" in response.content.decode()


def test_quarter_ends_are_listed_latest_first_and_paged(client, member, partnership):
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=dt.date(2010, 1, 1), values=[4] * 121)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    long = TrendSeries.objects.get(area=ward)
    client.force_login(member(Role.PARTNER))
    page = client.get(_url(long)).context["periods"]
    # 40 quarter ends (Mar 2010 - Dec 2019) and the latest month, January 2020
    assert page.paginator.count == 41 and len(page) == 24
    assert [p.period_end for p in page[:2]] == [dt.date(2020, 1, 1), dt.date(2019, 12, 1)]
    second = client.get(_url(long), {"periods_page": 2}).context["periods"]
    assert second[0].period_end == dt.date(2014, 3, 1)
    assert {p.period_end.month for p in second} <= {3, 6, 9, 12}


def test_every_period_end_downloads_as_csv_oldest_first(client, member, series):
    client.force_login(member(Role.COMMITTEE))
    response = client.get(_url(series, "trend_series_periods_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Period end", "Value", "Rolling 12 months"]
    assert [r[0] for r in rows[1:4]] == ["2019-06", "2019-09", "2019-12"]
    assert len(rows) == 1 + 12  # the quarter ends of April 2019 - March 2022
    march_2021 = next(r for r in rows if r[0] == "2021-03")
    assert march_2021[2:6] == ["144.0", "120.0", "24.0", "20.0"]


def test_the_csv_and_the_page_are_not_found_from_another_partnership(client, series):
    other = MembershipFactory(partnership=PartnershipFactory(), role=Role.OFFICER).user
    client.force_login(other)
    assert client.get(_url(series, "trend_series_periods_csv")).status_code == 404
    assert client.get(_url(series), {"current_from": "2021-04"}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, series):
    response = client.get(_url(series, "trend_series_periods_csv"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_measure_that_goes_below_zero_keeps_its_negative_lower_limit(
    client, member, partnership
):
    from tests.trends.factories import IndicatorSeriesFactory, add_indicator_values

    indicator = IndicatorSeriesFactory(partnership=partnership, name="Net change in reports")
    add_indicator_values(indicator, START, [-3, 4, -2, 5, -1, 3, -4, 2, 0, -2, 3, -1, 1, 2])
    trends_recalculate_partnership(partnership_id=partnership.pk)
    series = TrendSeries.objects.get(indicator=indicator)
    client.force_login(member(Role.PARTNER))
    response = client.get(_url(series))
    assert response.context["floor_at_zero"] is False
    lower = response.context["figure"]["data"]
    assert any(min((y for y in trace.get("y", []) if y is not None), default=0) < -5
               for trace in lower)


def test_a_count_never_shows_a_lower_limit_below_zero(client, member, series):
    client.force_login(member(Role.PARTNER))
    response = client.get(_url(series))
    assert response.context["floor_at_zero"] is True
