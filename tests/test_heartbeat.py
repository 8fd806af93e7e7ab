"""The worker heartbeat task and the health check command built on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from smp.models import WorkerHeartbeat
from smp.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def test_beat_sends_a_heartbeat_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry == {"task": "smp.tasks.worker_heartbeat", "schedule": 60.0}
    assert worker_heartbeat.name == entry["task"]


def test_the_heartbeat_records_a_row_and_drops_those_older_than_a_day():
    old = WorkerHeartbeat.objects.create(hostname="old")
    WorkerHeartbeat.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2))
    pk = worker_heartbeat.delay().get()
    assert list(WorkerHeartbeat.objects.values_list("pk", flat=True)) == [pk]


def test_the_check_fails_without_any_heartbeat():
    with pytest.raises(CommandError, match="No worker heartbeat yet"):
        call_command("heartbeat_check")


def test_the_check_fails_when_the_newest_heartbeat_is_stale():
    beat = WorkerHeartbeat.objects.create(hostname="worker-1")
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=10))
    with pytest.raises(CommandError, match="600s old .*worker-1.*limit 180s"):
        call_command("heartbeat_check")
    call_command("heartbeat_check", "--max-age", "700")


def test_the_check_passes_after_a_recent_heartbeat(capsys):
    worker_heartbeat.delay()
    call_command("heartbeat_check")
    assert capsys.readouterr().out.startswith("ok: heartbeat")
