"""Rolling back an upload removes its data and restores what it replaced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from datasets.models import (
    AggregateRecord,
    IndicatorSeries,
    IndicatorValue,
    MonthlyCount,
    PoliceRecord,
    UploadStatus,
)
from datasets.services.uploads import upload_rollback
from smp.models import Role
from tests.datasets.factories import POLICE_HEADER, csv_bytes, police_row
from tests.datasets.helpers import import_file

AGG_HEADER = "month,area_code,area_name,category,count"


def _district(ref, source="police_uk", month="2023-01-01", category="Burglary"):
    row = MonthlyCount.objects.filter(area=ref["areas"]["district"], source=source,
                                      category=ref["categories"][category], month=month).first()
    return row.count if row else None


def _police(partnership, officer, n, capture, month="2023-01"):
    return import_file(partnership, officer, "police_uk", "p.csv",
                       csv_bytes(POLICE_HEADER, [police_row(month=month) for _ in range(n)]),
                       capture)


def test_rolling_back_a_replacement_restores_the_previous_records_and_counts(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    first = _police(partnership, officer, 3, django_capture_on_commit_callbacks)
    second = _police(partnership, officer, 5, django_capture_on_commit_callbacks)
    assert _district(ref) == 5
    with django_capture_on_commit_callbacks(execute=True):
        upload_rollback(upload=second, user=officer)
    second.refresh_from_db()
    assert second.status == UploadStatus.ROLLED_BACK
    assert second.rolled_back_by == officer
    assert _district(ref) == 3
    assert PoliceRecord.objects.filter(upload=second).count() == 0
    assert PoliceRecord.objects.filter(upload=first).count() == 3
    audit = second.history.first()
    assert audit.history_user == officer and audit.status == UploadStatus.ROLLED_BACK


def test_rolling_back_the_only_upload_of_a_month_removes_its_counts(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    upload = _police(partnership, officer, 2, django_capture_on_commit_callbacks)
    upload_rollback(upload=upload, user=officer)
    assert MonthlyCount.objects.count() == 0
    assert PoliceRecord.objects.count() == 0


def test_an_upload_replaced_by_a_later_one_cannot_be_rolled_back_first(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    first = _police(partnership, officer, 3, django_capture_on_commit_callbacks)
    second = _police(partnership, officer, 5, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match=f"#{second.pk}"):
        upload_rollback(upload=first, user=officer)
    assert _district(ref) == 5


def test_a_rejected_upload_cannot_be_rolled_back(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    upload = _police(partnership, officer, 1, django_capture_on_commit_callbacks,
                     month="nope")
    with pytest.raises(ValidationError):
        upload_rollback(upload=upload, user=officer)


def test_rollback_enqueues_the_trend_recalculation(
        partnership, officer, ref, django_capture_on_commit_callbacks, monkeypatch):
    upload = _police(partnership, officer, 1, django_capture_on_commit_callbacks)
    from datasets import tasks

    calls = []
    monkeypatch.setattr(tasks.recalculate_for_upload, "delay", lambda i: calls.append(i))
    with django_capture_on_commit_callbacks(execute=True):
        upload_rollback(upload=upload, user=officer)
    assert calls == [upload.pk]


def test_aggregate_extracts_replace_and_roll_back(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    def extract(count):
        return csv_bytes(AGG_HEADER, [["2023-01", "E01000000", "", "Burglary", str(count)],
                                      ["2023-01", "E01000010", "", "Burglary", "1"]])
    first = import_file(partnership, officer, "aggregate", "a.csv", extract(4),
                        django_capture_on_commit_callbacks)
    second = import_file(partnership, officer, "aggregate", "a.csv", extract(9),
                         django_capture_on_commit_callbacks)
    assert second.summary["replaced_records"] == 2
    assert _district(ref, "aggregate") == 10
    assert _district(ref, "aggregate", category="Victim Based Crime") == 10
    upload_rollback(upload=second, user=officer)
    assert _district(ref, "aggregate") == 5
    assert AggregateRecord.objects.filter(upload=first).count() == 2


def test_indicator_rollback_restores_previous_values_and_removes_new_ones(
        partnership, officer, ref, django_capture_on_commit_callbacks):
    header = "indicator,period,value,unit,note"
    import_file(partnership, officer, "indicators", "i.csv",
                csv_bytes(header, [["MARAC cases", "2021", "220", "cases", ""]]),
                django_capture_on_commit_callbacks)
    second = import_file(partnership, officer, "indicators", "i.csv",
                         csv_bytes(header, [["MARAC cases", "2021", "225", "cases", "revised"],
                                            ["MARAC cases", "2022", "237", "cases", ""],
                                            ["KSI", "2022", "50", "people", ""]]),
                         django_capture_on_commit_callbacks)
    assert second.summary["replaced_records"] == 1
    assert second.summary["new_records"] == 2
    upload_rollback(upload=second, user=officer)
    values = IndicatorValue.objects.filter(series__name="MARAC cases")
    assert [(v.label, v.value, v.note) for v in values] == [("2021", Decimal("220"), "")]
    assert not IndicatorSeries.objects.filter(name="KSI").exists()


def test_rolling_back_indicator_values_keeps_what_a_lead_corrected_by_hand_afterwards(
        client, partnership, officer, member, django_capture_on_commit_callbacks):
    from actionplans.services.indicators import indicator_value_save
    from tests.actionplans.factories import IndicatorFactory

    lead = member(Role.LEAD)
    indicator = IndicatorFactory(plan__priority__partnership=partnership, name="MARAC cases",
                                 frequency="calendar_year")
    with django_capture_on_commit_callbacks(execute=True):
        indicator_value_save(indicator=indicator, period_start=dt.date(2020, 1, 1),
                             value=Decimal("200"), note="by hand", actor=lead)
    upload = import_file(partnership, officer, "indicators", "i.csv", csv_bytes(
        "indicator,period,value", [["MARAC cases", "2020", "205"], ["MARAC cases", "2021", "220"],
                                   ["MARAC cases", "2022", "237"]]),
        django_capture_on_commit_callbacks)
    assert upload.summary["replaced_records"] == 1
    corrected = IndicatorValue.objects.get(series=indicator.series, label="2022")
    with django_capture_on_commit_callbacks(execute=True):
        indicator_value_save(indicator=indicator, period_start=dt.date(2022, 1, 1),
                             value=Decimal("240"), note="corrected by the MARAC coordinator",
                             actor=lead, expected_updated_at=corrected.updated_at)

    with django_capture_on_commit_callbacks(execute=True):
        upload_rollback(upload=upload, user=officer)
    values = {v.label: (v.value, v.note) for v in IndicatorValue.objects.filter(
        series=indicator.series)}
    assert values == {"2020": (Decimal("200"), "by hand"),  # restored
                      "2022": (Decimal("240"), "corrected by the MARAC coordinator")}  # kept
    upload.refresh_from_db()
    rollback = upload.summary["rollback"]
    assert (rollback["values_restored"], rollback["values_removed"], rollback["values_kept"]) \
        == (1, 1, 1)
    kept = rollback["kept"][0]
    assert (kept["series"], kept["period"], kept["value"]) == ("MARAC cases", "2022", "240")
    assert kept["by"] == lead.get_full_name()
    assert "entered or corrected by hand after this upload" in kept["reason"]
    client.force_login(officer)
    page = client.get(reverse("datasets:upload_detail", args=[partnership.slug, upload.pk]))
    assert "MARAC cases 2022 = 240, by " in page.content.decode()


def test_a_rolled_back_upload_keeps_the_series_an_action_plan_indicator_now_uses(
        partnership, officer, django_capture_on_commit_callbacks):
    from tests.actionplans.factories import IndicatorFactory

    upload = import_file(partnership, officer, "indicators", "i.csv", csv_bytes(
        "indicator,period,value", [["KSI casualties", "2022", "50"]]),
        django_capture_on_commit_callbacks)
    series = IndicatorSeries.objects.get(name="KSI casualties")
    IndicatorFactory(plan__priority__partnership=partnership, name="Road safety KSI",
                     source="series", series=series)
    with django_capture_on_commit_callbacks(execute=True):
        upload_rollback(upload=upload, user=officer)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.ROLLED_BACK
    assert not series.values.exists()
    assert IndicatorSeries.objects.filter(pk=series.pk).exists()
    assert upload.summary["rollback"]["series_kept"] == ["KSI casualties"]
