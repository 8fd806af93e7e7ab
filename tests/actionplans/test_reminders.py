"""The daily reminder digest: one email per person per day (a section per partnership),
only when there is work the lead can do; one failure does not stop the others."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from actionplans import services
from actionplans.models import Action, ReminderDigest
from actionplans.tasks import send_reminders
from tests.actionplans.factories import ActionFactory, ActionPlanFactory, IndicatorFactory
from tests.conftest import wait_for
from tests.datasets.factories import AreaFactory, CategoryFactory, IndicatorSeriesFactory
from tests.factories import PriorityLeadFactory, UserFactory

TODAY = dt.date(2025, 2, 3)


def _lead_with_overdue_action(**user_kwargs):
    lead = PriorityLeadFactory(user=UserFactory(**user_kwargs))
    plan = ActionPlanFactory(priority=lead.priority, year=2024)
    ActionFactory(plan=plan, due_date=dt.date(2025, 1, 31), status="on_track",
                  description="Needle bin audit")
    return lead


@pytest.mark.django_db
def test_each_lead_gets_exactly_one_digest_a_day(settings):
    settings.ACTIONPLANS_STALE_DAYS = 30
    first = _lead_with_overdue_action(username="lead.one")
    second = _lead_with_overdue_action(username="lead.two")
    assert services.reminders_send(today=TODAY) == 2
    assert services.reminders_send(today=TODAY) == 0  # rerun the same day: nothing new
    assert sorted(m.to[0] for m in mail.outbox) == [first.user.email, second.user.email]
    assert "Needle bin audit" in mail.outbox[0].body
    assert ReminderDigest.objects.filter(day=TODAY).count() == 2
    assert services.reminders_send(today=TODAY + dt.timedelta(days=1)) == 2


@pytest.mark.django_db
def test_a_lead_with_two_priorities_still_gets_one_digest():
    lead = _lead_with_overdue_action()
    other = PriorityLeadFactory(user=lead.user, priority__partnership=lead.priority.partnership)
    ActionFactory(plan=ActionPlanFactory(priority=other.priority, year=2024),
                  due_date=dt.date(2025, 1, 1), description="Second priority action")
    services.reminders_send(today=TODAY)
    assert len(mail.outbox) == 1
    assert "Second priority action" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_lead_in_two_partnerships_gets_one_email_with_a_section_each():
    lead = _lead_with_overdue_action(username="lead.both")
    elsewhere = PriorityLeadFactory(user=lead.user)  # a priority of another partnership
    assert elsewhere.priority.partnership != lead.priority.partnership
    ActionFactory(plan=ActionPlanFactory(priority=elsewhere.priority, year=2024),
                  due_date=dt.date(2025, 1, 1), description="Other district action")
    assert services.reminders_send(today=TODAY) == 1
    [email] = mail.outbox
    assert email.subject.startswith("2 partnerships: 2 action plan item(s) need you")
    first, second = sorted([lead.priority.partnership, elsewhere.priority.partnership],
                           key=lambda p: p.name)
    body = email.body
    assert body.index(f"== {first.name} ==") < body.index(f"== {second.name} ==")
    assert "Needle bin audit" in body and "Other district action" in body
    assert f"/p/{second.slug}/plans/my-work/" in body
    assert ReminderDigest.objects.get(user=lead.user).items == 2
    assert services.reminders_send(today=TODAY) == 0


@pytest.mark.django_db
def test_one_failed_email_is_logged_does_not_stop_the_others_and_is_retried(caplog):
    failing = _lead_with_overdue_action(username="lead.a", email="broken@example.org")
    other = _lead_with_overdue_action(username="lead.b")
    real_send = services.reminders.send_mail

    def send(**kwargs):
        if kwargs["recipient_list"] == ["broken@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"broken@example.org": (550, b"No such user")})
        return real_send(**kwargs)

    with mock.patch("actionplans.services.reminders.send_mail", side_effect=send):
        assert services.reminders_send(today=TODAY) == 1
    assert [m.to for m in mail.outbox] == [[other.user.email]]
    assert f"Reminder digest for user {failing.user.pk} failed" in caplog.text
    assert "SMTPRecipientsRefused" in caplog.text
    assert not ReminderDigest.objects.filter(user=failing.user).exists()
    assert services.reminders_send(today=TODAY) == 1  # the next run retries only them
    assert [m.to for m in mail.outbox][1:] == [["broken@example.org"]]


@pytest.mark.django_db
def test_leads_are_not_asked_for_values_of_uploaded_or_crime_indicators():
    lead = PriorityLeadFactory()
    partnership = lead.priority.partnership
    plan = ActionPlanFactory(priority=lead.priority, year=2024)
    series = IndicatorSeriesFactory(partnership=partnership, name="MARAC cases",
                                    period_kind="calendar_year")
    IndicatorFactory(plan=plan, name="MARAC cases heard", source="series", series=series)
    IndicatorFactory(plan=plan, name="Drug offences", source="crime", series=None,
                     area=AreaFactory(partnership=partnership),
                     category=CategoryFactory(partnership=partnership),
                     crime_source="police_uk", frequency="month")
    assert services.reminders_send(today=TODAY) == 0  # nothing the lead can do
    IndicatorFactory(plan=plan, name="Pupils reached", frequency="calendar_year")
    assert services.reminders_send(today=TODAY) == 1
    body = mail.outbox[0].body
    assert "Pupils reached: 2024" in body
    assert "MARAC" not in body and "Drug offences" not in body


@pytest.mark.django_db
def test_no_digest_without_anything_to_do():
    lead = PriorityLeadFactory()
    plan = ActionPlanFactory(priority=lead.priority, year=2024)
    ActionFactory(plan=plan, due_date=dt.date(2025, 6, 1))
    ActionFactory(plan=plan, due_date=dt.date(2024, 6, 1), status="completed")
    assert services.reminders_send(today=TODAY) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_stale_actions_and_missing_indicator_values_are_reported(settings):
    settings.ACTIONPLANS_STALE_DAYS = 14
    lead = PriorityLeadFactory()
    plan = ActionPlanFactory(priority=lead.priority, year=2024)
    action = ActionFactory(plan=plan, due_date=None, cadence="ongoing",
                           description="Outreach to rough sleepers")
    Action.objects.filter(pk=action.pk).update(
        last_activity_at=timezone.now() - dt.timedelta(days=20))
    IndicatorFactory(plan=plan, name="Pupils reached", frequency="calendar_year")
    services.reminders_send(today=timezone.localdate())
    body = mail.outbox[0].body
    assert "without an update for 14 days" in body
    assert "Outreach to rough sleepers" in body
    assert f"Pupils reached: {timezone.localdate().year - 1}" in body


@pytest.mark.django_db
def test_only_the_newest_plan_of_a_priority_counts():
    lead = PriorityLeadFactory()
    old = ActionPlanFactory(priority=lead.priority, year=2023)
    ActionFactory(plan=old, due_date=dt.date(2024, 1, 1), description="Old year")
    ActionPlanFactory(priority=lead.priority, year=2024)
    assert services.reminders_send(today=TODAY) == 0


@pytest.mark.django_db
def test_the_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["actionplans-daily-reminders"]
    assert entry["task"] == send_reminders.name
    assert entry["schedule"].hour == {7}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_digest_once(celery_worker, settings):
    lead = PriorityLeadFactory()
    ActionFactory(plan=ActionPlanFactory(priority=lead.priority, year=2024),
                  due_date=dt.date(2020, 1, 1))
    send_reminders.delay()
    wait_for(lambda: ReminderDigest.objects.filter(user=lead.user).exists(), timeout=30)
    send_reminders.delay()
    send_reminders.apply()  # and once in-process: still only one for today
    assert ReminderDigest.objects.filter(user=lead.user).count() == 1
