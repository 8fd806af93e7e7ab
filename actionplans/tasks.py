"""Celery tasks of the action plans app: thin; the service does the work."""

from __future__ import annotations

from celery import shared_task

from actionplans.services import reminders_send


@shared_task(soft_time_limit=300, time_limit=360)
def send_reminders() -> int:
    """Daily (beat): one digest per lead; idempotent per day."""
    return reminders_send()
