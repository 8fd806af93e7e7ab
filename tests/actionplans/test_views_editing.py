"""Editing on the pages: two-click progress, conflicts shown with the other changes,
validation next to fields, indicator values and targets, a new plan year."""


import pytest
from django.test import Client
from django.utils import timezone

from actionplans.models import Action, ActionPlan, Indicator, ProgressUpdate
from datasets.models import IndicatorValue
from tests.actionplans.factories import ActionFactory, ActionPlanFactory, IndicatorFactory
from tests.factories import PriorityFactory, PriorityLeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(partnership):
    return ActionPlanFactory(priority=PriorityFactory(partnership=partnership), year=2023)


@pytest.fixture
def lead(plan, member):
    user = member("lead")
    PriorityLeadFactory(priority=plan.priority, user=user)
    return user


def _signed_in(member, role: str, first: str = "Alison", last: str = "Broom") -> Client:
    """A second browser, signed in as a new member with that role and name."""
    other = Client()
    other.force_login(member(role, user__first_name=first, user__last_name=last))
    return other


def _edit(action) -> tuple[str, dict]:
    """The full edit URL of ``action`` and its form as the page offers it."""
    slug = action.plan.priority.partnership.slug
    return f"/p/{slug}/plans/action/{action.pk}/edit/", {
        "description": action.description, "lead_agency": action.lead_agency_id,
        "due_date": f"{action.due_date:%Y-%m-%d}", "cadence": "", "status": action.status,
        "strand": ""}


def _progress(client, action, **data):
    prefix = f"a{action.pk}-"
    payload = {prefix + k: v for k, v in data.items()}
    slug = action.plan.priority.partnership.slug
    return client.post(f"/p/{slug}/plans/action/{action.pk}/progress/", payload,
                       headers={"HX-Request": "true"})


def test_status_and_note_in_one_htmx_post_returns_the_updated_row(client, plan, lead):
    action = ActionFactory(plan=plan, status="on_track")
    client.force_login(lead)
    response = _progress(client, action, new_status="at_risk", note="Supplier late",
                         version=1)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="action-{action.pk}"')
    assert "At risk" in html and "Supplier late" in html and 'role="status"' in html
    action.refresh_from_db()
    assert action.status == "at_risk"
    assert action.latest_update.author == lead


def test_a_missing_note_is_reported_next_to_the_field_and_nothing_saved(client, plan, lead):
    action = ActionFactory(plan=plan, status="on_track")
    client.force_login(lead)
    html = _progress(client, action, new_status="off_track", note="", version=1
                     ).content.decode()
    assert 'class="error-message"' in html and "Write a progress note." in html
    assert Action.objects.get(pk=action.pk).status == "on_track"
    assert not ProgressUpdate.objects.exists()


def test_a_second_lead_with_a_stale_page_sees_the_first_leads_change(client, plan, lead,
                                                                     member):
    action = ActionFactory(plan=plan, status="on_track")
    other = member("co_chair")
    other.first_name, other.last_name = "Alison", "Broom"
    other.save()
    first = Client()
    first.force_login(other)
    _progress(first, action, new_status="off_track", note="Funding cut", version=1)
    client.force_login(lead)
    response = _progress(client, action, new_status="completed", note="All done", version=1)
    html = response.content.decode()
    assert "Someone else changed this action" in html
    assert "Alison Broom" in html and "On track → Off track" in html
    assert "All done" in html  # their unsaved note is still in the form
    assert Action.objects.get(pk=action.pk).status == "off_track"
    assert list(ProgressUpdate.objects.values_list("note", flat=True)) == ["Funding cut"]


def test_a_note_from_one_lead_never_conflicts_with_another_leads_status_change(
    client, plan, lead, member
):
    action = ActionFactory(plan=plan, status="on_track")
    first = _signed_in(member, "co_chair")
    assert _progress(first, action, new_status="", note="Bins ordered",
                     version=1).status_code == 200
    client.force_login(lead)  # opened the page before the note
    response = _progress(client, action, new_status="at_risk", note="Supplier late",
                         version=1)
    html = response.content.decode()
    assert "Someone else changed" not in html and 'role="status"' in html
    assert Action.objects.get(pk=action.pk).status == "at_risk"


def test_a_conflict_shows_every_change_since_the_page_was_opened(client, plan, lead, member):
    action = ActionFactory(plan=plan, status="on_track", description="Bins")
    url, form = _edit(action)
    for version, (first, last), change in [
        (1, ("Alison", "Broom"), {"status": "at_risk"}),
        (2, ("Omar", "Shah"), {"status": "at_risk", "description": "Bins and sharps"}),
    ]:
        other = _signed_in(member, "officer", first, last)
        assert other.post(url, {**form, **change, "version": version}).status_code == 302
    client.force_login(lead)
    response = client.post(url, {**form, "status": "completed", "version": 1})
    html = response.content.decode()
    assert response.status_code == 409
    alison, omar = html.index("Alison Broom"), html.index("Omar Shah")
    assert alison < omar  # oldest first
    assert "Status: On track → At risk" in html[alison:omar]
    assert "Description: Bins → Bins and sharps" in html[omar:]
    assert Action.objects.get(pk=action.pk).status == "at_risk"


def test_the_full_edit_form_shows_a_conflict_and_keeps_the_input(client, plan, lead, member):
    action = ActionFactory(plan=plan, status="on_track", description="Bins")
    url, form = _edit(action)
    form.update(description="Bins and sharps boxes", version=1)
    first = _signed_in(member, "officer")
    assert first.post(url, {**form, "description": "Bins (officer)"}).status_code == 302
    client.force_login(lead)
    response = client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Bins (officer)" in html  # as saved now
    assert "Bins and sharps boxes" in html  # their version, not lost
    assert 'name="version" value="2"' in html
    assert Action.objects.get(pk=action.pk).description == "Bins (officer)"
    assert client.post(url, {**form, "version": 2}).status_code == 302  # deliberate overwrite
    assert Action.objects.get(pk=action.pk).description == "Bins and sharps boxes"


def test_a_date_and_a_cadence_together_get_an_error_next_to_the_field(client, plan, lead):
    action = ActionFactory(plan=plan)
    client.force_login(lead)
    slug = plan.priority.partnership.slug
    response = client.post(f"/p/{slug}/plans/action/{action.pk}/edit/", {
        "description": "x", "lead_agency": action.lead_agency_id, "due_date": "2024-03-31",
        "cadence": "quarterly", "status": "on_track", "version": 1})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_cadence-error"' in html and "not both" in html
    assert Action.objects.get(pk=action.pk).version == 1


def test_a_lead_enters_a_value_and_the_plan_shows_it(client, plan, lead):
    indicator = IndicatorFactory(plan=plan, frequency="calendar_year", unit="cases")
    client.force_login(lead)
    slug = plan.priority.partnership.slug
    response = client.post(f"/p/{slug}/plans/indicator/{indicator.pk}/value/", {
        "period_start": "2024-01-01", "value": "237", "note": "65 repeat cases"})
    assert response.status_code == 302
    row = IndicatorValue.objects.get(series=indicator.series)
    assert (row.label, row.value, row.entered_by, row.note) == (
        "2024", 237, lead, "65 repeat cases")
    page = client.get(f"/p/{slug}/plans/{plan.pk}/").content.decode()
    assert "237 cases" in page


def test_a_value_changed_meanwhile_is_a_conflict_on_the_indicator_page(client, plan, lead):
    indicator = IndicatorFactory(plan=plan, frequency="calendar_year")
    client.force_login(lead)
    url = f"/p/{plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/value/"
    client.post(url, {"period_start": "2024-01-01", "value": "10"})
    response = client.post(url, {"period_start": "2024-01-01", "value": "11"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this value" in html
    assert IndicatorValue.objects.get().value == 10


def test_a_value_conflict_names_the_other_persons_value_note_and_time(client, plan, lead,
                                                                      member):
    indicator = IndicatorFactory(plan=plan, frequency="calendar_year", unit="cases")
    url = f"/p/{plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/value/"
    other = _signed_in(member, "officer")
    other.post(url, {"period_start": "2024-01-01", "value": "237", "note": "From MARAC"})
    saved = IndicatorValue.objects.get()
    client.force_login(lead)
    response = client.post(url, {"period_start": "2024-01-01", "value": "240"})
    html = response.content.decode()
    assert response.status_code == 409
    when = timezone.localtime(saved.updated_at)
    assert f"Alison Broom, {when:%-d %b %Y %H:%M}: 237 cases – note: “From MARAC”" in html
    assert 'value="240"' in html  # their input is kept
    assert f'value="{saved.updated_at.isoformat()}"' in html  # saving again replaces it


def test_a_stale_indicator_edit_shows_the_other_change_and_keeps_the_input(client, plan, lead,
                                                                           member):
    indicator = IndicatorFactory(plan=plan, name="Pupils reached", direction="up")
    url = f"/p/{plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/edit/"
    form = {"name": "Pupils reached", "kind": "how_much", "direction": "up", "unit": "pupils",
            "version": 1}
    other = _signed_in(member, "officer")
    assert other.post(url, {**form, "name": "Pupils reached (all schools)"}).status_code == 302
    client.force_login(lead)
    response = client.post(url, {**form, "unit": "children"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this indicator" in html and "Alison Broom" in html
    assert "Name: Pupils reached → Pupils reached (all schools)" in html
    assert 'value="children"' in html and 'name="version" value="2"' in html
    assert Indicator.objects.get(pk=indicator.pk).unit == "pupils"  # theirs, not ours


def test_a_bad_value_is_reported_next_to_the_field(client, plan, lead):
    indicator = IndicatorFactory(plan=plan, frequency="calendar_year")
    client.force_login(lead)
    url = f"/p/{plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/value/"
    response = client.post(url, {"period_start": "2024-01-01", "value": "lots"})
    assert response.status_code == 422
    assert 'id="id_value-error"' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_indicator_page_charts_values_with_local_plotly(client, plan, lead):
    indicator = IndicatorFactory(plan=plan, frequency="calendar_year")
    client.force_login(lead)
    slug = plan.priority.partnership.slug
    client.post(f"/p/{slug}/plans/indicator/{indicator.pk}/value/",
                {"period_start": "2023-01-01", "value": "5"})
    client.post(f"/p/{slug}/plans/indicator/{indicator.pk}/target/",
                {"comparator": "below", "value": "10"})
    html = client.get(f"/p/{slug}/plans/indicator/{indicator.pk}/").content.decode()
    assert "/static/vendor/plotly.min.js" in html and "cdn" not in html.lower()
    assert "Plotly.newPlot" in html
    assert "keep below 10" in html and "Met" in html


def test_adding_a_manual_indicator_with_a_target(client, plan, lead):
    client.force_login(lead)
    slug = plan.priority.partnership.slug
    response = client.post(f"/p/{slug}/plans/{plan.pk}/indicators/new/", {
        "name": "Pupils reached", "unit": "pupils", "kind": "how_much", "source": "manual",
        "frequency": "financial_year", "direction": "up", "target_comparator": "at_least",
        "target_value": "1000"})
    indicator = Indicator.objects.get(name="Pupils reached")
    assert response["Location"] == f"/p/{slug}/plans/indicator/{indicator.pk}/"
    assert indicator.series.name == "Pupils reached"
    assert indicator.targets.get().comparator == "at_least"


def test_a_crime_indicator_needs_category_area_and_source(client, plan, lead):
    client.force_login(lead)
    slug = plan.priority.partnership.slug
    response = client.post(f"/p/{slug}/plans/{plan.pk}/indicators/new/", {
        "name": "Drug offences", "kind": "population", "source": "crime",
        "frequency": "month", "direction": "neither"})
    html = response.content.decode()
    assert 'id="id_category-error"' in html and 'id="id_area-error"' in html
    assert not Indicator.objects.exists()


def test_starting_the_next_year_from_the_page(client, plan, lead):
    ActionFactory(plan=plan, status="on_track", description="Keep going")
    ActionFactory(plan=plan, status="completed", description="Finished")
    client.force_login(lead)
    slug = plan.priority.partnership.slug
    response = client.post(f"/p/{slug}/plans/{plan.pk}/next-year/", {"year": 2024})
    new = ActionPlan.objects.get(year=2024)
    assert response["Location"] == f"/p/{slug}/plans/{new.pk}/"
    assert list(new.actions.values_list("description", flat=True)) == ["Keep going"]


def test_a_target_contradicting_the_direction_is_refused_next_to_the_field(client, plan, lead):
    client.force_login(lead)
    slug = plan.priority.partnership.slug
    response = client.post(f"/p/{slug}/plans/{plan.pk}/indicators/new/", {
        "name": "Repeat victims", "unit": "cases", "kind": "better_off", "source": "manual",
        "frequency": "financial_year", "direction": "down", "target_comparator": "increase"})
    html = response.content.decode()
    assert 'id="id_target_comparator-error"' in html
    assert "“increase on previous period” contradicts the direction of improvement " \
           "(down is better)" in html
    assert not Indicator.objects.exists()


def test_the_target_form_refuses_a_contradiction_next_to_the_comparator(client, plan, lead):
    indicator = IndicatorFactory(plan=plan, direction="up")
    client.force_login(lead)
    response = client.post(
        f"/p/{plan.priority.partnership.slug}/plans/indicator/{indicator.pk}/target/",
        {"comparator": "below", "value": "10"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_comparator-error"' in html and "(up is better)" in html
    assert not indicator.targets.exists()
