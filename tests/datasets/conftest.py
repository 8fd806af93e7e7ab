"""Fixtures shared by the datasets tests."""

from __future__ import annotations

import pytest

from smp.models import Role
from tests.datasets.factories import build_reference


@pytest.fixture
def ref(partnership):
    """The partnership's reference data: district → cluster → 2 wards → 2 LSOAs each,
    reporting groups and police.uk mappings (``build_reference``)."""
    return build_reference(partnership)


@pytest.fixture
def officer(member):
    return member(Role.OFFICER)
