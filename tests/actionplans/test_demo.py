"""The demo loader: idempotent, real figures, no values for uploaded series."""

import pytest
from django.core.management import call_command

from actionplans import demo
from actionplans.models import Action, ActionPlan, Indicator
from actionplans.readings import summarise
from datasets.models import IndicatorSeries, IndicatorValue

pytestmark = pytest.mark.django_db


def _counts():
    from actionplans.models import ProgressUpdate, Target

    models = [ActionPlan, Action, Indicator, Target, ProgressUpdate, IndicatorSeries,
              IndicatorValue]
    return {m.__name__: (m.objects.count(), m.history.count()) for m in models}


def test_loading_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    before = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == before
    assert before["ActionPlan"][0] == 5


def test_the_substance_misuse_plan_carries_the_needle_finds_indicator():
    call_command("load_demo", verbosity=0)
    indicator = Indicator.objects.get(name="Annual number of needle finds (keep below 1,000)")
    assert indicator.plan.priority.title == "Substance misuse"
    assert indicator.plan.priority.leads.get().user.username == "lead.substance"
    assert indicator.series.name == "Needle finds"
    assert (indicator.series.unit, indicator.series.period_kind) == ("finds", "month")
    target = indicator.targets.get()
    assert (target.comparator, target.value) == ("below", 1000)
    action = indicator.plan.actions.get(description__startswith="Continued support with needle")
    assert action.lead_agency.short_name == "CGL" and action.cadence == "ongoing"


def test_indicators_link_to_series_named_as_in_the_published_file():
    call_command("load_demo", verbosity=0)
    names = set(demo.published_series())
    for name in ["MARAC cases", "Missing children reports (M-CET)",
                 "Public survey: feel safe in local area at night", "Youth offences",
                 "Killed or seriously injured (KSI)"]:
        assert name in names
        assert Indicator.objects.filter(series__name=name).exists()
    assert IndicatorSeries.objects.get(name="Youth offences").period_kind == "financial_year"
    assert IndicatorSeries.objects.get(name="MARAC cases").period_kind == "calendar_year"


def test_the_demo_enters_no_values_for_published_series():
    """Published series get their values only through the datasets upload path."""
    from datasets.models import IndicatorChange

    call_command("load_demo", verbosity=0)
    published = demo.published_series()
    values = IndicatorValue.objects.filter(series__name__in=published)
    assert values.exists()
    uploaded = {
        (c.series_id, c.period_start)
        for c in IndicatorChange.objects.filter(series__name__in=published,
                                                upload__status="succeeded")
    }
    assert {(v.series_id, v.period_start) for v in values} <= uploaded


def test_needle_finds_loaded_from_the_file_give_annual_totals(settings):
    """With the monthly file loaded (as the datasets demo does), 2019–22 totals appear."""
    import csv
    import datetime as dt

    call_command("load_demo", verbosity=0)
    series = IndicatorSeries.objects.get(name="Needle finds")
    if not series.values.exists():
        with open(demo.demo_dir() / "needle_finds_monthly.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if not row["needle_finds"]:
                    continue  # a month with no figure is a gap, not a zero
                start = dt.date.fromisoformat(row["month"] + "-01")
                end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                IndicatorValue.objects.create(series=series, period_start=start,
                                              period_end=end - dt.timedelta(days=1),
                                              label=row["month"], value=row["needle_finds"])
    indicator = Indicator.objects.get(series=series)
    summary = summarise(indicator)
    totals = {r.period.label: r.value for r in summary.readings}
    assert set(totals) == {"2019", "2020", "2021", "2022"}
    coverage = {r.period.label: r.coverage for r in summary.readings}
    assert coverage["2021"] == "11 of 12 months"  # April 2021 is missing in the papers
    assert coverage["2022"] == "12 of 12 months"
    assert summary.latest.period.label == "2022"
    expected = sum(int(v) for v in [80, 15, 18, 51, 22, 41, 79, 55, 26, 24, 43, 18])
    assert summary.latest.value == expected
    assert summary.result_label == "Met"
    assert summary.previous is None  # 2021 is incomplete: no trend is claimed


def _datasets_demo_present() -> bool:
    try:
        __import__("datasets.demo")
    except ModuleNotFoundError:
        return False
    return True
