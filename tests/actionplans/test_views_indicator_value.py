"""The value form of an indicator: which periods it offers, bad ``?period=`` input,
and indicators whose values come from uploaded or crime data."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from actionplans import periods
from datasets.models import IndicatorValue
from tests.actionplans.factories import IndicatorFactory
from tests.datasets.factories import AreaFactory, CategoryFactory, IndicatorSeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(led_plan):
    return led_plan


def _url(indicator) -> str:
    return f"/p/{indicator.plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/value/"


def _selected(html: str) -> str:
    """The option of the Period list that is selected."""
    select = html[html.index('name="period_start"'):]
    return re.search(r'<option value="([^"]+)"[^>]*selected', select[:select.index("</select>")]
                     ).group(1)


@pytest.mark.parametrize("period", ["garbage", "2024-13-01", "<script>"])
def test_a_period_that_is_not_a_date_is_a_400_with_the_reason_next_to_the_field(
    client, plan, period
):
    indicator = IndicatorFactory(plan=plan, frequency="month")
    client.force_login(plan.lead)
    response = client.get(_url(indicator), {"period": period})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_period_start-error"' in html and "is not a date (YYYY-MM-DD)" in html
    assert "<script>" not in html[html.index("id_period_start-error"):]


def test_a_period_outside_the_offered_range_is_a_400(client, plan):
    indicator = IndicatorFactory(plan=plan, frequency="calendar_year")
    client.force_login(plan.lead)
    response = client.get(_url(indicator), {"period": "2999-01-01"})
    assert response.status_code == 400
    assert "2999 is not a period this indicator takes a value for" in response.content.decode()


def test_edit_on_an_old_monthly_value_opens_that_period_with_its_value(client, plan):
    indicator = IndicatorFactory(plan=plan, frequency="month")
    old = periods.containing("month", timezone.localdate().replace(day=1) - dt.timedelta(
        days=5 * 366))  # five years back: far beyond the last 24 months
    IndicatorValue.objects.create(series=indicator.series, period_start=old.start,
                                  period_end=old.end, label=old.label, value=41, note="Old")
    client.force_login(plan.lead)
    page = client.get(f"/p/{plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/")
    edit = f"{_url(indicator)}?period={old.start:%Y-%m-%d}"
    assert edit in page.content.decode()
    html = client.get(edit).content.decode()
    assert _selected(html) == old.start.isoformat()
    assert 'name="value" value="41"' in html and "\nOld</textarea>" in html
    saved = IndicatorValue.objects.get()
    response = client.post(_url(indicator), {"period_start": old.start.isoformat(),
                                             "value": "43", "note": "Corrected",
                                             "expected_updated_at": saved.updated_at.isoformat()})
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == 43


def test_any_day_of_a_period_opens_the_period_and_the_form_starts_on_the_one_just_closed(
    client, plan
):
    indicator = IndicatorFactory(plan=plan, frequency="quarter")
    client.force_login(plan.lead)
    closed = periods.last_closed("quarter", timezone.localdate())
    assert _selected(client.get(_url(indicator)).content.decode()) == closed.start.isoformat()
    day = closed.start + dt.timedelta(days=40)
    html = client.get(_url(indicator), {"period": day.isoformat()}).content.decode()
    assert _selected(html) == closed.start.isoformat()


def _crime_indicator(plan):
    partnership = plan.priority.partnership
    return IndicatorFactory(plan=plan, name="Drug offences", source="crime", series=None,
                            area=AreaFactory(partnership=partnership, name="Maidstone"),
                            category=CategoryFactory(partnership=partnership, name="Drugs"),
                            crime_source="police_uk", frequency="month")


@pytest.mark.parametrize("method", ["get", "get_with_period", "post"])
def test_the_value_url_of_a_crime_indicator_says_where_values_come_from(client, plan, method):
    indicator = _crime_indicator(plan)
    client.force_login(plan.lead)
    if method == "post":
        response = client.post(_url(indicator), {"period_start": "2024-01-01", "value": "3"})
    else:
        response = client.get(_url(indicator),
                              {"period": "2024-01-01"} if method == "get_with_period" else {})
    html = response.content.decode()
    assert response.status_code == 404
    assert "“Drug offences” takes its values from police crime data (Drugs, Maidstone)" in html
    assert not IndicatorValue.objects.exists()


def test_the_value_url_of_an_uploaded_series_indicator_says_where_values_come_from(client,
                                                                                   plan):
    series = IndicatorSeriesFactory(partnership=plan.priority.partnership, name="MARAC cases",
                                    period_kind="calendar_year")
    indicator = IndicatorFactory(plan=plan, name="MARAC", source="series", series=series)
    client.force_login(plan.lead)
    response = client.post(_url(indicator), {"period_start": "2024-01-01", "value": "3"})
    assert response.status_code == 404
    assert "takes its values from the data series “MARAC cases”" in response.content.decode()
    assert not IndicatorValue.objects.exists()
