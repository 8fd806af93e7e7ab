"""A real Celery worker process executes a task through Redis (CI proves it)."""

import pytest

from smp.models import WorkerHeartbeat
from smp.tasks import worker_heartbeat
from tests.conftest import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_heartbeat_task_through_redis(celery_worker):
    worker_heartbeat.delay()
    beat = wait_for(lambda: WorkerHeartbeat.objects.first(), timeout=30)
    assert beat.hostname
    assert celery_worker.poll() is None  # the worker process is still running
