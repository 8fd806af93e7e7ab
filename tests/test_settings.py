"""Settings come from the environment, with safe production defaults.

Production settings are only in force outside pytest, so these tests start a fresh
Python process with PYTEST_VERSION removed from its environment.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from smp import env

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_VARS = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
                 "PYTEST_VERSION", "SMP_TEST_DATABASE_NAME", "BEHIND_TLS_PROXY",
                 "EMAIL_BACKEND", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                 "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "CELERY_QUEUE",
                 "LOGIN_FAILURE_LIMIT", "LOGIN_LOCKOUT_MINUTES",
                 "DJANGO_ALLOW_ASYNC_UNSAFE"]  # set by the browser fixture


def _production_env(**overrides: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    base.update(DJANGO_SETTINGS_MODULE="smp.settings", SECRET_KEY=secrets.token_urlsafe(64),
                ALLOWED_HOSTS="smp.example.org", SMP_VAR_DIR=str(ROOT / "var"))
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def _run(args: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120, check=False)


def _settings(names: list[str], **overrides: str) -> dict:
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}, default=str))")
    result = _run(["-c", code], _production_env(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_production_settings():
    environ = _production_env()
    assert "PYTEST_VERSION" not in environ and "DEBUG" not in environ
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], environ)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["manage.py", "check"], _production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "Environment variable SECRET_KEY must be set" in result.stderr


def test_a_mistyped_boolean_stops_start_up_and_names_the_variable():
    result = _run(["manage.py", "check"], _production_env(DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_defaults_are_safe():
    values = _settings(["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS",
                        "EMAIL_BACKEND", "SECURE_PROXY_SSL_HEADER"])
    assert values == {
        "DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
        "ALLOWED_HOSTS": ["smp.example.org"],
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_production_allows_no_host_unless_told():
    assert _settings(["ALLOWED_HOSTS"], ALLOWED_HOSTS=None)["ALLOWED_HOSTS"] == []


def test_behind_a_tls_proxy_trusts_x_forwarded_proto():
    values = _settings(["SECURE_PROXY_SSL_HEADER"], BEHIND_TLS_PROXY="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_without_database_url_it_uses_sqlite_under_var():
    values = _settings(["DATABASES"])
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(ROOT / "var" / "smp.sqlite3")


def test_database_url_selects_postgresql():
    values = _settings(["DATABASES"], DATABASE_URL="postgres://smp:pw@db:5432/smp")
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"], db["USER"]) == ("smp", "db", 5432, "smp")


def test_without_redis_url_celery_runs_tasks_eagerly():
    values = _settings(["CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL"])
    assert values == {"CELERY_TASK_ALWAYS_EAGER": True, "CELERY_BROKER_URL": "memory://"}


def test_with_redis_url_celery_uses_redis_as_broker():
    values = _settings(["CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL"],
                       REDIS_URL="redis://redis:6379/0")
    assert values == {"CELERY_TASK_ALWAYS_EAGER": False,
                      "CELERY_BROKER_URL": "redis://redis:6379/0"}


def test_debug_mode_needs_no_secret_key_and_serves_localhost():
    values = _settings(["DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE"], DEBUG="1",
                       SECRET_KEY=None, ALLOWED_HOSTS=None)
    assert values == {"DEBUG": True, "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"],
                      "SESSION_COOKIE_SECURE": False}


def test_login_throttling_is_configured_by_environment_variables():
    values = _settings(["AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME"],
                       LOGIN_FAILURE_LIMIT="3", LOGIN_LOCKOUT_MINUTES="60")
    assert values == {"AXES_FAILURE_LIMIT": 3, "AXES_COOLOFF_TIME": 1.0}
    result = _run(["manage.py", "check"], _production_env(LOGIN_FAILURE_LIMIT="0"))
    assert result.returncode != 0 and "LOGIN_FAILURE_LIMIT=0 must be at least 1" in result.stderr


def test_lock_outs_use_the_proxys_client_address_only_behind_the_proxy():
    names = ["AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT"]
    assert _settings(names) == {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
                                "AXES_IPWARE_PROXY_COUNT": None}
    behind = _settings(names, BEHIND_TLS_PROXY="1")
    assert behind == {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR",
                                                            "REMOTE_ADDR"],
                      "AXES_IPWARE_PROXY_COUNT": 1}


@pytest.mark.parametrize("extra", [{}, {"DEBUG": "0", "SMP_TEST_DATABASE_NAME": "/tmp/x.db"}])
def test_a_stray_pytest_version_does_not_weaken_a_production_process(extra):
    """Outside pytest, PYTEST_VERSION alone (or with DEBUG explicitly off) changes nothing."""
    values = _settings(["TESTING", "SESSION_COOKIE_SECURE", "PASSWORD_HASHERS"],
                       PYTEST_VERSION="8.3.0", **extra)
    assert values["TESTING"] is False and values["SESSION_COOKIE_SECURE"] is True
    assert "MD5" not in str(values["PASSWORD_HASHERS"])
    result = _run(["manage.py", "check"], _production_env(PYTEST_VERSION="8.3.0",
                                                          SECRET_KEY=None, **extra))
    assert "Environment variable SECRET_KEY must be set" in result.stderr


def test_a_worker_started_by_the_tests_gets_test_settings():
    values = _settings(["TESTING"], PYTEST_VERSION="8.3.0", SECRET_KEY=None,
                       SMP_TEST_DATABASE_NAME=str(ROOT / "var" / "test-worker.sqlite3"))
    assert values["TESTING"] is True


def test_inside_pytest_the_test_settings_are_on():
    from django.conf import settings

    assert settings.TESTING is True


def test_each_test_run_has_its_own_sqlite_database():
    """Two runs in one checkout must not share (and delete) one test database."""
    first = _settings(["DATABASES"])["DATABASES"]["default"]["TEST"]["NAME"]
    second = _settings(["DATABASES"])["DATABASES"]["default"]["TEST"]["NAME"]
    assert re.fullmatch(re.escape(str(ROOT / "var")) + r"/test-\d+\.sqlite3", first)
    assert first != second


# --- smp/env.py helpers ----------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("TRUE", True), (" yes ", True),
                                            ("on", True), ("0", False), ("false", False),
                                            ("No", False), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("SMP_FLAG", raw)
    assert env.env_bool("SMP_FLAG", not value) is value


def test_env_bool_defaults_when_unset_and_rejects_anything_else(monkeypatch):
    monkeypatch.delenv("SMP_FLAG", raising=False)
    assert env.env_bool("SMP_FLAG", True) is True
    monkeypatch.setenv("SMP_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SMP_FLAG='maybe' is not a boolean"):
        env.env_bool("SMP_FLAG", False)


def test_env_int_reads_whole_numbers_and_rejects_the_rest(monkeypatch):
    monkeypatch.setenv("SMP_N", "42")
    assert env.env_int("SMP_N", 1) == 42
    monkeypatch.setenv("SMP_N", " ")
    assert env.env_int("SMP_N", 7) == 7
    monkeypatch.setenv("SMP_N", "4.5")
    with pytest.raises(ImproperlyConfigured, match="SMP_N='4.5' is not a whole number"):
        env.env_int("SMP_N", 1)
    monkeypatch.setenv("SMP_N", "0")
    with pytest.raises(ImproperlyConfigured, match="SMP_N=0 must be at least 1"):
        env.env_int("SMP_N", 1, minimum=1)


def test_env_required_names_the_variable_and_why(monkeypatch):
    monkeypatch.delenv("SMP_NEEDED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SMP_NEEDED must be set: it signs things"):
        env.env_required("SMP_NEEDED", "it signs things")
    monkeypatch.setenv("SMP_NEEDED", "")
    with pytest.raises(ImproperlyConfigured):
        env.env_required("SMP_NEEDED", "it signs things")
    monkeypatch.setenv("SMP_NEEDED", "x")
    assert env.env_required("SMP_NEEDED", "it signs things") == "x"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SMP_HOSTS", " a.example.org, ,b.example.org ")
    assert env.env_list("SMP_HOSTS", ["x"]) == ["a.example.org", "b.example.org"]
    monkeypatch.delenv("SMP_HOSTS")
    assert env.env_list("SMP_HOSTS", ["x"]) == ["x"]
    assert env.env_str("SMP_HOSTS", "d") == "d"
