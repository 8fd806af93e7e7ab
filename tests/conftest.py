"""Shared fixtures: users per role, a real Celery worker, a real browser.

Services that a test needs (Redis for the worker, /usr/bin/chromium for the
browser) are skipped when absent on a developer's machine, but CI sets
SMP_REQUIRE_SERVICES=1 and then a missing service fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from smp.celery import app as celery_app
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("SMP_REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"


def _missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (SMP_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


WORKER_FIXTURES = {"celery_worker", "start_celery_worker"}


@pytest.fixture(autouse=True)
def _eager_celery_unless_worker(request):
    """Tests run tasks in-process unless they ask for a real worker."""
    eager = not WORKER_FIXTURES & set(request.fixturenames)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


def _start_worker(queue: str) -> subprocess.Popen:
    """A ``celery worker`` process (solo pool: the job runs in that very process) on
    Redis and the test database, reading ``queue``; returns once it answers a ping."""
    if not os.environ.get("REDIS_URL"):
        _missing("REDIS_URL is not set: no broker for a real worker")
    db = settings.DATABASES["default"]
    env = dict(os.environ, CELERY_QUEUE=queue, SMP_TEST_DATABASE_NAME=str(db["NAME"]))
    name = f"{queue}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
    # Output goes to a file, not a pipe nobody reads (a full pipe would block the worker).
    log = tempfile.NamedTemporaryFile(prefix="smp-worker-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "smp", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-gossip", "--without-mingle",
         "--loglevel=INFO", "--hostname", name],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    proc.log_path = log.name
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if celery_app.control.ping(timeout=0.5, destination=[name]):
            return proc
    proc.kill()
    proc.wait(timeout=10)
    pytest.fail(f"Celery worker did not start:\n{worker_output(proc)[-4000:]}")


def worker_output(proc: subprocess.Popen) -> str:
    return Path(proc.log_path).read_text(errors="replace")


def _stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    Path(proc.log_path).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real ``celery worker`` process on Redis, using the test database.

    Tests that use it must be ``django_db(transaction=True)`` so their rows are
    committed and visible to the worker.
    """
    queue = f"smp-test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    proc = _start_worker(queue)
    celery_app.conf.task_default_queue = queue
    yield proc
    _stop_worker(proc)
    celery_app.conf.task_default_queue = previous


@pytest.fixture
def start_celery_worker(django_db_setup):
    """``start_celery_worker()`` -> a new worker process of this test's own (killable;
    tasks sent during the test go to it). Stopped at the end of the test."""
    queue = f"smp-test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        celery_app.conf.task_default_queue = queue
        started.append(_start_worker(queue))
        return started[-1]

    yield start
    for proc in started:
        _stop_worker(proc)
    celery_app.conf.task_default_queue = previous


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll ``predicate`` until it returns a truthy value or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def wait_for_trends_of(upload_id: int, timeout: float = 120.0):
    """Wait until the trend recalculation an import enqueues has finished on the worker,
    so the test's database flush cannot race it (a deadlock on TRUNCATE)."""
    from datasets.models import RecalculationRun

    return wait_for(lambda: RecalculationRun.objects.filter(
        upload_id=upload_id, status__in=["done", "failed"]).first(), timeout)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or not shutil.which(CHROMIUM):
        _missing(f"{CHROMIUM} is not installed (Debian package 'chromium')")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def browser_login(page, username: str, password: str = factories.PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def partnership(db):
    return factories.PartnershipFactory()


@pytest.fixture
def member(partnership):
    """``member(role)`` -> a new user holding that role in ``partnership``."""

    def make(role: str, **kwargs):
        return factories.MembershipFactory(partnership=partnership, role=role, **kwargs).user

    return make
