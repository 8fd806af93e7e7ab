import socket

from celery import shared_task

from smp.models import WorkerHeartbeat


@shared_task(soft_time_limit=10, time_limit=20)
def worker_heartbeat() -> int:
    """Record that a worker picked up a job; the status page shows the latest."""
    return WorkerHeartbeat.objects.create(hostname=socket.gethostname()).pk
