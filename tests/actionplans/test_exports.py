"""CSV and XLSX exports of the actions table, including formula injection."""

import csv
import io

import pytest
from openpyxl import load_workbook

from actionplans import exports
from tests.actionplans.factories import ActionFactory, ActionPlanFactory
from tests.factories import MembershipFactory, PriorityLeadFactory

pytestmark = pytest.mark.django_db

EVIL = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("value", EVIL)
def test_cells_starting_with_formula_characters_are_neutralised(value):
    assert exports.neutralise(value) == "'" + value


def test_ordinary_cells_and_numbers_are_left_alone():
    assert exports.neutralise("Needle bins") == "Needle bins"
    assert exports.neutralise(5) == 5


@pytest.fixture
def setup(client):
    lead = PriorityLeadFactory()
    plan = ActionPlanFactory(priority=lead.priority, year=2024)
    for text in EVIL:
        ActionFactory(plan=plan, description=text)
    ActionFactory(plan=plan, description="Needle bins", status="completed")
    MembershipFactory(user=lead.user, partnership=plan.priority.partnership, role="lead")
    client.force_login(lead.user)
    return plan


def test_csv_export_neutralises_formulas(client, setup):
    slug = setup.priority.partnership.slug
    response = client.get(f"/p/{slug}/plans/actions/export.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Priority", "Plan year", "Action"]
    descriptions = {row[2] for row in rows[1:]}
    assert descriptions == {"'" + v for v in EVIL} | {"Needle bins"}


def test_xlsx_export_neutralises_formulas_and_keeps_text(client, setup):
    slug = setup.priority.partnership.slug
    response = client.get(f"/p/{slug}/plans/actions/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    descriptions = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert descriptions == {"'" + v for v in EVIL} | {"Needle bins"}
    for row in sheet.iter_rows(min_row=2):
        assert row[2].data_type == "s"  # stored as text, never as a formula


def test_exports_follow_the_table_filters(client, setup):
    slug = setup.priority.partnership.slug
    response = client.get(f"/p/{slug}/plans/actions/export.csv?status=completed")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[2] for row in rows[1:]] == ["Needle bins"]


def test_unknown_export_format_is_404(client, setup):
    slug = setup.priority.partnership.slug
    assert client.get(f"/p/{slug}/plans/actions/export.pdf").status_code == 404
