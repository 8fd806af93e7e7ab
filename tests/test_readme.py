"""The README stays true to the code: every setting documented, commands real."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


APPS = ["smp", "priorities", "datasets", "actionplans"]
READS = [
    r'env_(?:str|bool|int|list|required)\(\s*"([A-Z_]+)"',  # smp/env.py helpers
    r'os\.environ\.get\(\s*"([A-Z_]+)"', r'os\.environ\[\s*"([A-Z_]+)"\s*\]',
    r'os\.getenv\(\s*"([A-Z_]+)"', r'"([A-Z_]+)"\s+(?:not\s+)?in\s+os\.environ',
]
# Read, but not configuration: set by pytest itself / by Django's entry points.
NOT_SETTINGS = {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}


def _variables_read() -> dict[str, set[str]]:
    """Every environment variable read anywhere in the apps, by file."""
    found: dict[str, set[str]] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            names = {name for pattern in READS for name in re.findall(pattern, text)}
            names |= set(re.findall(r'os\.environ\.setdefault\(\s*"([A-Z_]+)"', text))
            if names - NOT_SETTINGS:
                found[str(path.relative_to(ROOT))] = names - NOT_SETTINGS
    return found


def test_every_environment_variable_the_code_reads_is_documented():
    by_file = _variables_read()
    read = set().union(*by_file.values())
    assert len(read) > 20
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, re.M))
    assert read - documented == set(), "undocumented settings"
    assert documented - read - {"SMP_REQUIRE_SERVICES"} == set(), "documented but never read"


def test_only_the_settings_read_the_environment():
    """House style: one smp/settings.py reads environment variables, failing loudly."""
    assert set(_variables_read()) == {"smp/settings.py"}


def test_the_two_setup_commands_are_the_dev_scripts():
    assert "```sh\n./dev demo\n```" in README
    assert "```sh\n./dev test\n```" in README
    dev = (ROOT / "dev").read_text()
    assert "  demo)" in dev and "  test)" in dev


def test_the_demo_password_in_the_readme_is_the_real_one():
    from smp.demo import DEMO_PASSWORD

    assert f"`{DEMO_PASSWORD}`" in README
