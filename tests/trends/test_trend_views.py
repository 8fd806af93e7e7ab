"""Views: trends overview (filter, sort, paginate, CSV), series page, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from datasets.models import AreaLevel, StepChange, TrendSeries
from datasets.services.trends import trends_recalculate_partnership
from smp.models import Role
from tests.factories import (
    PASSWORD,  # noqa: F401 - login helper uses it
    MembershipFactory,
    PartnershipFactory,
)
from tests.trends.factories import (
    AreaFactory,
    CategoryFactory,
    PopulationFactory,
    add_counts,
)

pytestmark = pytest.mark.django_db
START = dt.date(2020, 1, 1)
ALL_ROLES = [Role.CO_CHAIR, Role.LEAD, Role.OFFICER, Role.PARTNER, Role.COMMITTEE, Role.ADMIN]


@pytest.fixture
def data(partnership):
    district = AreaFactory(partnership=partnership, level=AreaLevel.DISTRICT, name="Maidstone")
    ward = AreaFactory(partnership=partnership, name="High Street", parent=district)
    burglary = CategoryFactory(partnership=partnership, name="Burglary")
    asb = CategoryFactory(partnership=partnership, name="Anti-social behaviour", is_crime=False)
    PopulationFactory(area=ward, year=2021, population=11930)
    shifted = [10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 10, 12, 11, 10, 30, 31, 29, 32, 30, 31, 30,
               29, 31, 30]
    add_counts(area=ward, category=burglary, start=START, values=shifted)
    add_counts(area=district, category=burglary, start=START, values=[40] * 12 + [41] * 12)
    add_counts(area=ward, category=asb, start=START, values=[0] * 12 + [3] * 12)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    return {"ward": ward, "district": district, "burglary": burglary, "asb": asb}


def _series(data, area="ward", category="burglary"):
    return TrendSeries.objects.get(area=data[area], category=data[category])


def _url(partnership, name="trends", *args):
    return reverse(f"datasets:{name}", args=[partnership.slug, *args])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_member_reads_the_overview_and_series_pages(client, partnership, member, data, role):
    client.force_login(member(role))
    assert client.get(_url(partnership)).status_code == 200
    assert client.get(_url(partnership, "trend_series", _series(data).pk)).status_code == 200


def test_a_user_of_another_partnership_gets_404(client, partnership, data):
    other = MembershipFactory(partnership=PartnershipFactory(), role=Role.OFFICER).user
    client.force_login(other)
    series = _series(data)
    step = StepChange.objects.filter(series=series).first()
    assert client.get(_url(partnership)).status_code == 404
    assert client.get(_url(partnership, "trend_series", series.pk)).status_code == 404
    assert client.post(_url(partnership, "trends_recalculate")).status_code == 404
    assert client.post(_url(partnership, "step_change_decide", step.pk)).status_code == 404
    assert client.post(_url(partnership, "series_annotate", series.pk)).status_code == 404
    assert client.post(_url(partnership, "step_change_add", series.pk)).status_code == 404


def test_a_series_of_another_partnership_is_not_found_through_this_one(client, member, data):
    mine = PartnershipFactory()
    MembershipFactory(partnership=mine, user=member(Role.OFFICER), role=Role.OFFICER)
    client.force_login(mine.memberships.get().user)
    response = client.get(reverse("datasets:trend_series", args=[mine.slug, _series(data).pk]))
    assert response.status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, partnership):
    response = client.get(_url(partnership))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_overview_shows_rolling_figures_rounded_as_the_papers_print_them(
    client, partnership, member, data
):
    client.force_login(member(Role.PARTNER))
    content = client.get(_url(partnership)).content.decode()
    # district 480 -> 492: +12, +2.5%
    assert "+2.5%" in content
    assert "undefined (zero base)" in content  # ASB 0 -> 36
    assert "Small numbers" in content
    assert "Burglary – High Street" in content


def test_the_overview_filters_by_level_and_category(client, partnership, member, data):
    client.force_login(member(Role.PARTNER))
    response = client.get(_url(partnership), {"level": "district"})
    rows = list(response.context["table"].data)
    assert [r.area_id for r in rows] == [data["district"].pk]
    response = client.get(_url(partnership), {"category": data["asb"].pk})
    assert {r.category_id for r in response.context["table"].data} == {data["asb"].pk}


def test_the_overview_sorts_by_percentage_change(client, partnership, member, data):
    client.force_login(member(Role.PARTNER))
    response = client.get(_url(partnership), {"sort": "-pct_change"})
    rows = [r for r in response.context["table"].data if r.pct_change is not None]
    assert [r.pct_change for r in rows] == sorted([r.pct_change for r in rows], reverse=True)


def test_the_overview_reads_stored_results_in_a_fixed_number_of_queries(
    client, partnership, member, data
):
    client.force_login(member(Role.PARTNER))
    client.get(_url(partnership))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(_url(partnership))
    ward2 = AreaFactory(partnership=partnership)
    for category in (data["burglary"], data["asb"]):
        add_counts(area=ward2, category=category, start=START, values=[5] * 24)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    with CaptureQueriesContext(connection) as more:
        client.get(_url(partnership))
    assert len(more) == len(few)
    assert len(few) <= 10
    assert not any("monthlycount" in q["sql"] for q in more.captured_queries)


def test_the_series_page_reads_stored_results_in_a_fixed_number_of_queries(
    client, partnership, member, data
):
    client.force_login(member(Role.OFFICER))
    url = _url(partnership, "trend_series", _series(data).pk)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) <= 12  # incl. the period-ends pager (count) and the years
    assert not any("monthlycount" in q["sql"] for q in queries.captured_queries)


def test_the_csv_export_has_every_filtered_series(client, partnership, member, data):
    client.force_login(member(Role.COMMITTEE))
    response = client.get(_url(partnership), {"category": data["burglary"].pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("Series,Source,Area")
    assert len(lines) == 3
    assert any(",2.5," in line for line in lines)


def test_the_series_page_has_chart_data_table_and_local_plotly(client, partnership, member, data):
    client.force_login(member(Role.PARTNER))
    content = client.get(_url(partnership, "trend_series", _series(data).pk)).content.decode()
    assert "vendor/plotly.min.js" in content and "cdn" not in content.lower()
    assert 'id="spc-figure"' in content
    assert "<caption>Data of the chart" in content
    assert "Special cause – concern" in content or "special cause – concern" in content.lower()
    assert "Suggested: from March 2021" in content


def test_partners_see_no_decision_forms(client, partnership, member, data):
    client.force_login(member(Role.PARTNER))
    content = client.get(_url(partnership, "trend_series", _series(data).pk)).content.decode()
    assert "Save decision" not in content and "Recalculate everything" not in content


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.OFFICER, True), (Role.ADMIN, True), (Role.CO_CHAIR, False), (Role.LEAD, False),
     (Role.PARTNER, False), (Role.COMMITTEE, False)],
)
def test_only_officers_and_admins_decide_step_changes(
    client, partnership, member, data, role, allowed, django_capture_on_commit_callbacks
):
    client.force_login(member(role))
    step = StepChange.objects.get(series=_series(data))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(partnership, "step_change_decide", step.pk),
            {f"step-{step.pk}-decision": "confirm",
             f"step-{step.pk}-reason": "April 2017 recording change"},
        )
    step.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert step.status == "confirmed" and step.reason == "April 2017 recording change"
        series = _series(data)
        assert [s["start"] for s in series.segments()] == [0, 14]  # recalculated on commit
    else:
        assert response.status_code == 403
        assert step.status == "suggested"


def test_a_decision_without_a_reason_shows_the_error_next_to_the_field(
    client, partnership, member, data
):
    client.force_login(member(Role.OFFICER))
    step = StepChange.objects.get(series=_series(data))
    response = client.post(_url(partnership, "step_change_decide", step.pk),
                           {f"step-{step.pk}-decision": "reject", f"step-{step.pk}-reason": ""})
    assert response.status_code == 400
    assert "error-message" in response.content.decode()
    step.refresh_from_db()
    assert step.status == "suggested"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.OFFICER, True), (Role.ADMIN, True), (Role.CO_CHAIR, False), (Role.LEAD, False),
     (Role.PARTNER, False), (Role.COMMITTEE, False)],
)
def test_only_officers_and_admins_add_annotations(client, partnership, member, data, role, allowed):
    client.force_login(member(role))
    series = _series(data)
    response = client.post(_url(partnership, "series_annotate", series.pk),
                           {"month": "2021-04", "text": "April 2021 recording change"})
    assert response.status_code == (302 if allowed else 403)
    assert series.annotations.count() == (1 if allowed else 0)
    if allowed:
        note = series.annotations.get()
        assert note.month == dt.date(2021, 4, 1) and note.history.count() == 1
        page = client.get(_url(partnership, "trend_series", series.pk)).content.decode()
        assert "April 2021 recording change" in page


def test_an_annotation_can_apply_to_every_series(client, partnership, member, data):
    client.force_login(member(Role.OFFICER))
    client.post(_url(partnership, "series_annotate", _series(data).pk),
                {"month": "2020-06", "text": "Force-wide change", "all_series": "on"})
    other = _series(data, "district")
    page = client.get(_url(partnership, "trend_series", other.pk)).content.decode()
    assert "Force-wide change" in page


def test_an_annotation_with_a_bad_month_is_refused_with_an_error(client, partnership, member, data):
    client.force_login(member(Role.OFFICER))
    series = _series(data)
    response = client.post(_url(partnership, "series_annotate", series.pk),
                           {"month": "April", "text": "x"})
    assert response.status_code == 400
    assert "error-message" in response.content.decode()
    assert series.annotations.count() == 0


def test_an_officer_adds_a_known_step_change(
    client, partnership, member, data, django_capture_on_commit_callbacks
):
    client.force_login(member(Role.OFFICER))
    series = _series(data, "district")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(partnership, "step_change_add", series.pk),
                               {"month": "2021-01", "reason": "Recording change"})
    assert response.status_code == 302
    assert [s["start"] for s in _series(data, "district").segments()] == [0, 12]


def test_a_step_change_outside_the_series_is_refused(client, partnership, member, data):
    client.force_login(member(Role.OFFICER))
    series = _series(data, "district")
    response = client.post(_url(partnership, "step_change_add", series.pk),
                           {"month": "2030-01", "reason": "Recording change"})
    assert response.status_code == 400
    assert not series.step_changes.confirmed().exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.OFFICER, True), (Role.ADMIN, True), (Role.CO_CHAIR, False), (Role.LEAD, False),
     (Role.PARTNER, False), (Role.COMMITTEE, False)],
)
def test_only_officers_and_admins_recalculate_everything(
    client, partnership, member, data, role, allowed, django_capture_on_commit_callbacks
):
    from datasets.models import RecalculationRun

    client.force_login(member(role))
    before = RecalculationRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(partnership, "trends_recalculate"))
    assert response.status_code == (302 if allowed else 403)
    assert RecalculationRun.objects.count() == before + (1 if allowed else 0)
    if allowed:
        run = RecalculationRun.objects.first()
        assert run.status == "done" and run.requested_by is not None
        assert (run.total, run.skipped) == (3, 0)  # everything, even unchanged series


def test_the_run_status_fragment_is_polled_while_a_run_is_active(
    client, partnership, member, data
):
    from datasets.models import RecalculationRun

    run = RecalculationRun.objects.create(partnership=partnership, scope="all", total=10, done=4)
    client.force_login(member(Role.PARTNER))
    response = client.get(_url(partnership, "trends_run_status", run.pk))
    content = response.content.decode()
    assert 'hx-trigger="every 2s"' in content and 'role="status"' in content
    run.status = "done"
    run.save()
    again = client.get(_url(partnership, "trends_run_status", run.pk)).content.decode()
    assert "hx-trigger" not in again


def test_the_run_status_of_another_partnership_is_not_found(client, partnership, member):
    from datasets.models import RecalculationRun

    run = RecalculationRun.objects.create(partnership=PartnershipFactory(), scope="all")
    client.force_login(member(Role.OFFICER))
    assert client.get(_url(partnership, "trends_run_status", run.pk)).status_code == 404


def test_a_decision_is_audited_with_the_user_who_made_it(client, partnership, member, data):
    officer = member(Role.OFFICER)
    client.force_login(officer)
    step = StepChange.objects.get(series=_series(data))
    client.post(_url(partnership, "step_change_decide", step.pk),
                {f"step-{step.pk}-decision": "reject", f"step-{step.pk}-reason": "A real rise"})
    record = step.history.first()
    assert (record.status, record.reason, record.history_user) == ("rejected", "A real rise",
                                                                   officer)


def test_the_overview_paginates_fifty_series_a_page(client, partnership, member):
    category = CategoryFactory(partnership=partnership)
    for _ in range(51):
        add_counts(area=AreaFactory(partnership=partnership), category=category,
                   start=START, values=[1, 2])
    trends_recalculate_partnership(partnership_id=partnership.pk)
    client.force_login(member(Role.PARTNER))
    first = client.get(_url(partnership))
    assert len(first.context["table"].page.object_list) == 50
    assert "Next page" in first.content.decode()
    second = client.get(_url(partnership), {"page": 2})
    assert len(second.context["table"].page.object_list) == 1


def test_the_site_navigation_links_to_trends(client, partnership, member):
    client.force_login(member(Role.COMMITTEE))
    content = client.get(_url(partnership)).content.decode()
    assert f'href="{_url(partnership)}"' in content


def test_an_empty_partnership_says_there_are_no_results_yet(client, partnership, member):
    client.force_login(member(Role.OFFICER))
    content = client.get(_url(partnership)).content.decode()
    assert "No trend results yet" in content and "Recalculate everything" in content


def test_the_series_page_lists_earlier_period_ends(client, partnership, member, data):
    add_counts(area=data["district"], category=data["burglary"], start=dt.date(2022, 1, 1),
               values=[50])
    trends_recalculate_partnership(partnership_id=partnership.pk)
    client.force_login(member(Role.PARTNER))
    series = _series(data, "district")
    content = client.get(_url(partnership, "trend_series", series.pk)).content.decode()
    assert "Figures at each quarter end" in content
    table = content[content.index("Figures at each quarter end"):]
    assert "Jan 2022" in table and "Dec 2021" in table and "Sep 2021" in table
    assert "Nov 2021" not in table  # not a quarter end


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.OFFICER, True), (Role.ADMIN, True), (Role.CO_CHAIR, False), (Role.LEAD, False),
     (Role.PARTNER, False), (Role.COMMITTEE, False)],
)
def test_only_officers_and_admins_choose_a_c_chart(
    client, partnership, member, data, role, allowed, django_capture_on_commit_callbacks
):
    client.force_login(member(role))
    series = _series(data, category="asb")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(partnership, "series_chart", series.pk),
                               {"kind": "c", "reason": "Rare"})
    assert response.status_code == (302 if allowed else 403)
    assert _series(data, category="asb").spc["chart"] == ("c" if allowed else "xmr")


def test_an_unknown_chart_kind_is_refused_next_to_the_field(client, partnership, member, data):
    client.force_login(member(Role.OFFICER))
    series = _series(data)
    response = client.post(_url(partnership, "series_chart", series.pk), {"kind": "pie"})
    assert response.status_code == 400 and "error-message" in response.content.decode()


def test_a_user_of_another_partnership_cannot_choose_a_chart(client, partnership, data):
    client.force_login(MembershipFactory(partnership=PartnershipFactory(), role=Role.OFFICER).user)
    response = client.post(_url(partnership, "series_chart", _series(data).pk), {"kind": "c"})
    assert response.status_code == 404


def test_an_added_step_change_has_one_audit_record(client, partnership, member, data):
    client.force_login(member(Role.OFFICER))
    series = _series(data, "district")
    client.post(_url(partnership, "step_change_add", series.pk),
                {"month": "2020-07", "reason": "Recording change"})
    step = series.step_changes.get(month=dt.date(2020, 7, 1))
    assert step.history.count() == 1 and step.history.first().history_user is not None


def test_choosing_a_category_and_level_lists_the_highest_and_lowest_five(
    client, partnership, member
):
    category = CategoryFactory(partnership=partnership, name="Robbery")
    rates = [10, 9, 8, 7, 7, 5, 4]  # crimes a month for 1,000 people each
    wards = []
    for i, count in enumerate(rates):
        ward = AreaFactory(partnership=partnership, name=f"Ward {chr(65 + i)}")
        PopulationFactory(area=ward, year=2021, population=1000)
        add_counts(area=ward, category=category, start=START, values=[count] * 24)
        wards.append(ward)
    trends_recalculate_partnership(partnership_id=partnership.pk)
    client.force_login(member(Role.PARTNER))

    response = client.get(_url(partnership), {"category": category.pk, "level": "ward"})

    (top, _), (bottom, _) = response.context["league"]["tables"]
    assert [r.area.name for r in top] == ["Ward A", "Ward B", "Ward C", "Ward D", "Ward E"]
    assert [r.rank for r in top] == [1, 2, 3, 4, 4]  # D and E tie for fourth
    assert [r.area.name for r in bottom][:2] == ["Ward G", "Ward F"]
    assert {r.area.name for r in bottom} == {"Ward G", "Ward F", "Ward E", "Ward D", "Ward C"}
    assert "Highest and lowest rates: Robbery" in response.content.decode()
    assert client.get(_url(partnership), {"category": category.pk}).context["league"] is None
