"""Service: concurrent recalculations of the same series never interleave or duplicate."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from datasets.models import RecalculationRun, StepChange, TrendSeries
from datasets.services.trends import trends_recalculate_partnership
from tests.trends.factories import AreaFactory, CategoryFactory, add_counts

SHIFTED = [10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 10, 12, 11, 10] + [30] * 10


@pytest.mark.django_db(transaction=True)
def test_two_recalculations_at_once_store_one_identical_result_per_series(partnership):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the advisory lock is PostgreSQL's")
    wards = [AreaFactory(partnership=partnership) for _ in range(5)]
    categories = [CategoryFactory(partnership=partnership) for _ in range(4)]
    for ward in wards:
        for category in categories:
            add_counts(area=ward, category=category, start=dt.date(2020, 1, 1), values=SHIFTED)
    errors: list[BaseException] = []

    def recalculate() -> None:
        try:
            trends_recalculate_partnership(partnership_id=partnership.pk, force=True)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=recalculate) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert TrendSeries.objects.count() == 20
    assert StepChange.objects.count() == 20  # one suggestion per series, no duplicates
    assert RecalculationRun.objects.filter(status="done").count() == 3
    first = list(TrendSeries.objects.order_by("key").values("key", "spc", "fingerprint"))
    trends_recalculate_partnership(partnership_id=partnership.pk, force=True)
    assert list(TrendSeries.objects.order_by("key").values("key", "spc", "fingerprint")) == first
