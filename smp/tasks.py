import datetime as dt
import socket

from celery import shared_task
from django.utils import timezone

from smp.models import WorkerHeartbeat

HEARTBEAT_KEEP = dt.timedelta(days=1)


@shared_task(soft_time_limit=10, time_limit=20)
def worker_heartbeat() -> int:
    """Record that a worker picked up a job (beat sends one every minute); the
    ``heartbeat_check`` command, used as docker compose's beat health check, reads the
    latest. Rows older than a day are dropped so the table stays small."""
    WorkerHeartbeat.objects.filter(created_at__lt=timezone.now() - HEARTBEAT_KEEP).delete()
    return WorkerHeartbeat.objects.create(hostname=socket.gethostname()).pk
