"""Serve third-party browser bundles from installed Python packages.

Council networks are often offline and the house rule is no CDNs, so plotly.js
comes from the ``plotly`` wheel installed at set-up. Only the one file is
exposed, not the package's data folders.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

_PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
_FILES = {"vendor/plotly.min.js": _PLOTLY_DIR / "plotly.min.js"}


class PackageAssetFinder(BaseFinder):
    def check(self, **kwargs):  # noqa: ARG002 - Django's signature
        return []

    def find(self, path, find_all=False, **kwargs):
        source = _FILES.get(path)
        if source is None or not source.exists():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for relative, source in _FILES.items():
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(relative).parent)
            yield source.name, storage
