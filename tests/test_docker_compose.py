"""docker-compose.yml and the Dockerfile, checked by structure.

No Docker engine runs where these tests run, so the stack itself is not started
here; these tests catch a missing service, health check or volume, and any
environment variable the settings do not actually read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _settings_variables() -> set[str]:
    source = (ROOT / "smp" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list|required)\(\s*"([A-Z_]+)"', source))


def test_it_has_the_five_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_every_service_has_a_health_check(compose):
    for name, service in compose["services"].items():
        check = service.get("healthcheck", {})
        assert check.get("test"), f"{name} has no health check"
        assert check.get("interval") and check.get("retries"), name


def test_the_app_services_wait_for_healthy_database_and_redis(compose):
    for name in APP_SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert depends == {"db": {"condition": "service_healthy"},
                           "redis": {"condition": "service_healthy"}}, name


def test_web_migrates_collects_static_and_serves_with_gunicorn(compose):
    web = compose["services"]["web"]
    command = web["command"]
    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn")
    assert "exec gunicorn smp.wsgi" in command
    assert "8000:8000" in web["ports"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_worker_and_beat_run_celery(compose):
    assert compose["services"]["worker"]["command"].startswith("celery -A smp worker")
    assert "inspect ping" in " ".join(compose["services"]["worker"]["healthcheck"]["test"])
    assert compose["services"]["beat"]["command"].startswith("celery -A smp beat")
    assert "heartbeat_check" in compose["services"]["beat"]["healthcheck"]["test"]


def test_uploads_live_on_a_named_volume_at_the_private_storage_root(compose):
    assert {"uploads", "pgdata"} <= set(compose["volumes"])
    for name in ("web", "worker"):
        service = compose["services"][name]
        root = service["environment"]["PRIVATE_STORAGE_ROOT"]
        assert f"uploads:{root}" in service["volumes"], name
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]


def test_the_app_environment_is_complete_and_read_by_the_settings(compose):
    read = _settings_variables()
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS",
                "BEHIND_TLS_PROXY"} <= set(environment), name
        unknown = set(environment) - read
        assert not unknown, f"{name} sets variables smp/settings.py never reads: {unknown}"
        assert environment["DATABASE_URL"].startswith("postgres://smp:")
        assert environment["DATABASE_URL"].endswith("@db:5432/smp")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DEBUG"] == "0"


def test_compose_refuses_to_start_without_a_secret_key(compose):
    secret = compose["services"]["web"]["environment"]["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", secret)
    example = (ROOT / ".env.example").read_text()
    assert re.search(r"^SECRET_KEY=$", example, re.M), ".env.example must not ship a key"
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_dockerfile_installs_the_project_and_runs_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    lines = [line.strip() for line in dockerfile.splitlines()]
    assert lines[[i for i, line in enumerate(lines) if line.startswith("FROM")][0]] == (
        "FROM python:3.11-slim")
    assert "RUN pip install ." in lines
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert "PRIVATE_STORAGE_ROOT=/data/uploads" in dockerfile


def test_the_docker_context_leaves_out_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", ".env"} <= set(ignored)
