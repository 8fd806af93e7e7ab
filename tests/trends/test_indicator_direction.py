"""Officers set which way is better for an indicator series and its SPC target; the chart's
colours and assurance follow (view, service, permissions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from datasets.models import IndicatorSeries, TrendSeries
from datasets.services.trends import trends_recalculate_partnership
from smp.models import Role
from tests.factories import MembershipFactory, PartnershipFactory
from tests.trends.factories import (
    AreaFactory,
    CategoryFactory,
    IndicatorSeriesFactory,
    add_counts,
    add_indicator_values,
)

pytestmark = pytest.mark.django_db
# 14 steady months then 6 high ones: a shift above the mean at the end.
VALUES = [50, 52, 49, 51, 50, 48, 52, 50, 51, 49, 50, 52, 51, 50, 70, 71, 72, 70, 71, 73]


@pytest.fixture
def series(partnership):
    indicator = IndicatorSeriesFactory(partnership=partnership, name="Needle finds")
    add_indicator_values(indicator, dt.date(2021, 1, 1), VALUES)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    return TrendSeries.objects.get(indicator=indicator)


def _url(series, name="indicator_direction"):
    return reverse(f"datasets:{name}", args=[series.partnership.slug, series.pk])


def _post(client, series, improvement="decrease", target="40", capture=None):
    data = {"improvement": improvement, "spc_target": target}
    if capture is None:
        return client.post(_url(series), data)
    with capture(execute=True):
        return client.post(_url(series), data)


def test_an_indicator_starts_neutral_so_its_special_causes_are_purple(series):
    assert series.improvement == "neutral"
    assert series.latest_signal == "neutral"


def test_an_officer_says_lower_is_better_and_the_rise_becomes_a_concern(
    client, member, series, django_capture_on_commit_callbacks
):
    officer = member(Role.OFFICER)
    client.force_login(officer)
    response = _post(client, series, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.improvement, series.latest_signal) == ("decrease", "concern")
    # target 40 is below the lower limit of the latest segment: the process fails it
    assert series.assurance == "fail"
    indicator = IndicatorSeries.objects.get(pk=series.indicator_id)
    assert indicator.history.first().history_user == officer
    page = client.get(_url(series, "trend_series")).content.decode()
    assert "will not meet the target" in page


def test_higher_is_better_turns_the_same_rise_into_an_improvement(
    client, member, series, django_capture_on_commit_callbacks
):
    client.force_login(member(Role.ADMIN))
    _post(client, series, improvement="increase", target="",
          capture=django_capture_on_commit_callbacks)
    series.refresh_from_db()
    assert (series.latest_signal, series.assurance) == ("improvement", "")


def test_a_target_that_is_not_a_number_is_refused_next_to_the_field(client, member, series):
    client.force_login(member(Role.OFFICER))
    response = _post(client, series, target="lots")
    assert response.status_code == 400
    assert 'id="id_spc_target-error"' in response.content.decode()
    assert IndicatorSeries.objects.get(pk=series.indicator_id).improvement == "neutral"


@pytest.mark.parametrize("role", [Role.LEAD, Role.PARTNER, Role.COMMITTEE, Role.CO_CHAIR])
def test_only_officers_and_administrators_may_change_it(client, member, series, role):
    client.force_login(member(role))
    assert _post(client, series).status_code == 403
    assert IndicatorSeries.objects.get(pk=series.indicator_id).improvement == "neutral"


def test_it_is_not_found_from_another_partnership_or_for_a_crime_series(
    client, member, partnership, series
):
    other = MembershipFactory(partnership=PartnershipFactory(), role=Role.OFFICER).user
    client.force_login(other)
    assert _post(client, series).status_code == 404
    ward = AreaFactory(partnership=partnership)
    category = CategoryFactory(partnership=partnership)
    add_counts(area=ward, category=category, start=dt.date(2021, 1, 1), values=[3] * 14)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    crime = TrendSeries.objects.get(area=ward)
    client.force_login(member(Role.OFFICER))
    assert _post(client, crime).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, series):
    response = _post(client, series)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
