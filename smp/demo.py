"""Helpers shared by each app's demo loader: idempotent upserts.

``upsert`` saves only when something differs, so running the demo twice writes
nothing the second time (not even audit history rows).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import models

DEMO_PASSWORD = "smp-demo-2025"  # noqa: S105 - printed demo login, documented
M = TypeVar("M", bound=models.Model)


def demo_dir() -> Path:
    """Where the partnership's published figures live (``shared/demo`` beside the repo)."""
    candidates = [
        Path(getattr(settings, "SMP_DEMO_DIR", "") or ""),
        settings.BASE_DIR.parent / "shared" / "demo",
        settings.BASE_DIR / "docs" / "demo",
    ]
    for path in candidates:
        if str(path) and (path / "maidstone_ward_crime_2021_2022.csv").exists():
            return path
    raise FileNotFoundError("Demo data not found: expected ../shared/demo or docs/demo")


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj
