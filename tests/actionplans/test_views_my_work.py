"""My work: a lead's overdue, soon-due and stale actions, the indicators they must
enter a value for, and those awaiting the officers' upload."""

import datetime as dt

import pytest
from django.utils import timezone

from actionplans import periods
from actionplans.models import Action
from tests.actionplans.factories import ActionFactory, IndicatorFactory
from tests.datasets.factories import IndicatorSeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(led_plan):
    return led_plan


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    following = html.find("<h2", start + 1)
    return html[start:following if following != -1 else None]


def test_my_work_lists_every_section(client, plan, settings):
    settings.ACTIONPLANS_STALE_DAYS = 30
    today = timezone.localdate()
    ActionFactory(plan=plan, description="Overdue bins", due_date=today - dt.timedelta(days=3))
    ActionFactory(plan=plan, description="Soon training", due_date=today + dt.timedelta(days=9))
    ActionFactory(plan=plan, description="Later campaign",
                  due_date=today + dt.timedelta(days=90))
    quiet = ActionFactory(plan=plan, description="Quiet outreach", due_date=None,
                          cadence="ongoing")
    Action.objects.filter(pk=quiet.pk).update(
        last_activity_at=timezone.now() - dt.timedelta(days=45))
    ActionFactory(plan=plan, description="Finished thing", status="completed",
                  due_date=today - dt.timedelta(days=3))
    manual = IndicatorFactory(plan=plan, name="Pupils reached", frequency="calendar_year")
    series = IndicatorSeriesFactory(partnership=plan.priority.partnership, name="MARAC cases",
                                    period_kind="calendar_year")
    IndicatorFactory(plan=plan, name="MARAC cases heard", source="series", series=series)
    client.force_login(plan.lead)
    html = client.get(f"/p/{plan.priority.partnership.slug}/plans/my-work/").content.decode()
    assert "Overdue bins" in _section(html, "overdue")
    due = _section(html, "due")
    assert "Soon training" in due and "Later campaign" not in due
    assert "Quiet outreach" in _section(html, "stale")
    closed = periods.last_closed("calendar_year", today)
    missing = _section(html, "missing")
    assert "Pupils reached" in missing and f"no value for {closed.label}" in missing
    assert f"/indicator/{manual.pk}/value/?period={closed.start:%Y-%m-%d}" in missing
    assert "MARAC" not in missing
    assert "MARAC cases heard" in _section(html, "awaiting")
    assert "Finished thing" not in html


def test_my_work_shows_empty_sections_plainly(client, plan):
    client.force_login(plan.lead)
    html = client.get(f"/p/{plan.priority.partnership.slug}/plans/my-work/").content.decode()
    for text in ["Nothing overdue.", "Nothing due in the next 30 days.",
                 "Every open action has a recent update."]:
        assert text in html
    assert 'id="awaiting"' not in html


def test_my_work_tells_a_non_lead_there_is_nothing_for_them(client, plan, member):
    client.force_login(member("partner"))
    html = client.get(f"/p/{plan.priority.partnership.slug}/plans/my-work/").content.decode()
    assert "You do not lead any priority" in html
