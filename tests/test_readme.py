"""The README stays true to the code: every setting documented, commands real."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_environment_variable_the_settings_read_is_documented():
    source = (ROOT / "smp" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|required)\(\s*"([A-Z_]+)"', source))
    assert len(read) > 20
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, re.M))
    assert read - documented == set(), "undocumented settings"
    assert documented - read - {"SMP_REQUIRE_SERVICES"} == set(), "documented but never read"


def test_the_two_setup_commands_are_the_dev_scripts():
    assert "```sh\n./dev demo\n```" in README
    assert "```sh\n./dev test\n```" in README
    dev = (ROOT / "dev").read_text()
    assert "  demo)" in dev and "  test)" in dev


def test_the_demo_password_in_the_readme_is_the_real_one():
    from smp.demo import DEMO_PASSWORD

    assert f"`{DEMO_PASSWORD}`" in README
