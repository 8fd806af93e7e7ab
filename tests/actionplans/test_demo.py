"""The demo loader: idempotent, real figures, no values for uploaded series."""

import pytest
from django.core.management import call_command

from actionplans import demo
from actionplans.models import Action, ActionPlan, Indicator
from actionplans.readings import summarise
from datasets.models import IndicatorSeries, IndicatorValue, Upload

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


def test_needle_finds_loaded_from_the_file_give_annual_totals():
    """The datasets demo uploads the monthly file; the 2019–22 totals come from it."""
    from datasets.models import IndicatorChange

    call_command("load_demo", verbosity=0)
    series = IndicatorSeries.objects.get(name="Needle finds")
    upload = Upload.objects.get(original_name="needle_finds_monthly.csv", status="succeeded")
    from_upload = set(IndicatorChange.objects.filter(series=series, upload=upload)
                      .values_list("period_start", flat=True))
    assert set(series.values.values_list("period_start", flat=True)) == from_upload
    assert len(from_upload) == 47  # 2019-01 … 2022-12 without April 2021
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


def test_the_demo_shows_all_three_indicator_sources():
    call_command("load_demo", verbosity=0)
    assert set(Indicator.objects.values_list("source", flat=True)) == {
        "manual", "series", "crime"}
    violence = Indicator.objects.get(source="crime")
    assert violence.plan.priority.title.startswith("Protecting our communities")
    assert (violence.area.code, violence.category.name, violence.crime_source) == (
        "E07000110", "Violence against the person (incl. sexual offences)", "police_uk")
    target = violence.targets.get()
    assert (violence.direction, target.comparator) == ("down", "decrease")
    summary = summarise(violence)
    assert [(r.period.label, r.coverage) for r in summary.readings] == [
        ("2021", "12 of 12 months"), ("2022", "12 of 12 months")]
    assert summary.latest.value > 0 and summary.result_label in {"Met", "Not met"}
