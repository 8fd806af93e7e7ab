"""Demo loader of trends: idempotent, real needle-finds figures."""

from __future__ import annotations

import pytest

from datasets import demo_trends
from datasets.models import SeriesAnnotation, TrendSeries
from tests.factories import PartnershipFactory
from tests.trends.factories import IndicatorSeriesFactory, add_indicator_values, needle_finds

pytestmark = pytest.mark.django_db


def test_it_annotates_and_stores_trends_and_a_second_run_changes_nothing():
    partnership = PartnershipFactory(slug="maidstone")
    start, values = needle_finds()
    add_indicator_values(IndicatorSeriesFactory(partnership=partnership, name="Needle finds"),
                         start, values)

    demo_trends.load()
    first = list(TrendSeries.objects.values("key", "calculated_at", "fingerprint"))
    demo_trends.load()

    assert list(TrendSeries.objects.values("key", "calculated_at", "fingerprint")) == first
    assert len(first) == 1
    note = SeriesAnnotation.objects.get()
    assert note.series is None and "April 2017" in note.text
    assert note.history.count() == 1


def test_it_does_nothing_without_the_demo_partnership():
    demo_trends.load()
    assert not TrendSeries.objects.exists()
