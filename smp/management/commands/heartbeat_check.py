"""Exit non-zero unless a worker recorded a heartbeat recently.

Used as the health check of the ``beat`` service in docker-compose.yml: beat sends
``smp.tasks.worker_heartbeat`` every minute, so a recent row proves that beat,
the broker, a worker and the database all work together.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from smp.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "Fail unless a Celery worker ran the heartbeat task within --max-age seconds."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--max-age", type=int, default=180,
                            help="Seconds since the newest heartbeat (default 180).")

    def handle(self, *args, max_age: int, **options) -> None:
        latest = WorkerHeartbeat.objects.order_by("-created_at").first()
        if latest is None:
            raise CommandError("No worker heartbeat yet: is celery beat and a worker running?")
        age = timezone.now() - latest.created_at
        if age > dt.timedelta(seconds=max_age):
            raise CommandError(
                f"Newest worker heartbeat is {int(age.total_seconds())}s old "
                f"(from {latest.hostname}); limit {max_age}s."
            )
        self.stdout.write(f"ok: heartbeat {int(age.total_seconds())}s ago from {latest.hostname}")
