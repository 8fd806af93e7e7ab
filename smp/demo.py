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
    """Where the partnership's published figures live: ``docs/demo`` in the repository.

    The files are committed (real published figures, see docs/demo/README.md) so that a
    fresh clone, a Docker image and CI all load the same demo with nothing beside them.
    ``SMP_DEMO_DIR`` in the environment (settings.SMP_DEMO_DIR) points elsewhere.
    """
    path = Path(settings.SMP_DEMO_DIR)
    if not (path / "maidstone_ward_crime_2021_2022.csv").exists():
        raise FileNotFoundError(f"Demo data not found in {path}")
    return path


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
