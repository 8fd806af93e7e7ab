"""Management command: recalculate_trends --partnership SLUG [--all]."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from datasets.models import RecalculationRun, TrendSeries
from tests.trends.factories import AreaFactory, CategoryFactory, add_counts

pytestmark = pytest.mark.django_db


def test_it_recalculates_a_partnership_and_then_skips_unchanged_series(partnership):
    ward = AreaFactory(partnership=partnership)
    add_counts(area=ward, category=CategoryFactory(partnership=partnership),
               start=dt.date(2020, 1, 1), values=[3] * 24)
    out = StringIO()
    call_command("recalculate_trends", "--partnership", partnership.slug, stdout=out)
    assert "1 series recalculated, 0 unchanged" in out.getvalue()
    assert TrendSeries.objects.count() == 1

    call_command("recalculate_trends", "--partnership", partnership.slug, stdout=out)
    assert "0 series recalculated, 1 unchanged" in out.getvalue()
    call_command("recalculate_trends", "--partnership", partnership.slug, "--all", stdout=out)
    assert out.getvalue().count("1 series recalculated") == 2
    assert RecalculationRun.objects.filter(status="done").count() == 3


def test_it_rejects_an_unknown_partnership():
    with pytest.raises(CommandError, match="No partnership"):
        call_command("recalculate_trends", "--partnership", "nowhere")
