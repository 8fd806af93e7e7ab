"""The datasets demo: real wards and indicators through the real import path."""

from __future__ import annotations

import pytest

from datasets import demo
from datasets.models import Area, AreaLevel, IndicatorSeries, MonthlyCount, Upload
from priorities import demo as priorities_demo
from tests.datasets.helpers import table_counts


@pytest.mark.django_db
def test_the_demo_loads_wards_indicators_and_crime_and_is_idempotent(
        django_capture_on_commit_callbacks):
    priorities_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    assert Area.objects.filter(level=AreaLevel.WARD, is_demo_code=True).count() == 27
    assert Area.objects.filter(level=AreaLevel.CLUSTER).count() == 8
    assert Area.objects.filter(code="E01024345").exists()
    needles = IndicatorSeries.objects.get(name="Needle finds")
    assert (needles.unit, needles.period_kind) == ("finds", "month")
    assert not needles.values.filter(label="2021-04").exists()  # a gap, not a zero
    assert needles.values.count() == 47
    assert IndicatorSeries.objects.filter(name="Youth offences",
                                          period_kind="financial_year").exists()
    assert Upload.objects.filter(status="succeeded").count() == 3
    district = Area.objects.get(code="E07000110")
    assert MonthlyCount.objects.filter(area=district, source="police_uk").dates(
        "month", "month").count() == 24
    before = table_counts()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    assert table_counts() == before
