"""Administration → Agencies: the table (filter, sort) and creating and editing an
agency with its responsible-authority flag, audited. Who may: test_permission_matrix.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smp.models import Agency, Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, member):
    client.force_login(member(Role.ADMIN, agency__name="Maidstone Borough Council"))
    return client


def _list(client, partnership, **params):
    return client.get(reverse("manage:agencies", args=[partnership.slug]), params)


def test_the_table_filters_by_name_and_responsible_authority(admin_client, partnership):
    factories.AgencyFactory(partnership=partnership, name="Kent Police")
    factories.AgencyFactory(partnership=partnership, name="Golding Homes",
                            is_responsible_authority=False)
    factories.AgencyFactory(name="Other partnership's agency")

    everything = _list(admin_client, partnership).content.decode()
    statutory = _list(admin_client, partnership, is_responsible_authority="true").content.decode()
    found = _list(admin_client, partnership, q="gold").content.decode()

    assert "Kent Police" in everything and "Golding Homes" in everything
    assert "Other partnership" not in everything
    assert "Kent Police" in statutory and "Golding Homes" not in statutory
    assert "Golding Homes" in found and "Kent Police" not in found
    sorted_desc = _list(admin_client, partnership, sort="-name").content.decode()
    assert sorted_desc.index("Kent Police") < sorted_desc.index("Golding Homes")


def test_an_administrator_creates_and_edits_an_agency(admin_client, partnership):
    url = reverse("manage:agency_create", args=[partnership.slug])
    response = admin_client.post(url, {"name": "Kent Fire and Rescue Service",
                                       "short_name": "KFRS", "is_responsible_authority": "on"})
    assert response.url == reverse("manage:agencies", args=[partnership.slug])
    agency = Agency.objects.get(name="Kent Fire and Rescue Service")
    assert (agency.partnership, agency.short_name, agency.is_responsible_authority) == (
        partnership, "KFRS", True)

    admin_client.post(reverse("manage:agency_edit", args=[partnership.slug, agency.pk]),
                      {"name": "Kent Fire and Rescue Service", "short_name": "KFRS"})
    agency.refresh_from_db()
    assert agency.is_responsible_authority is False
    assert [h.is_responsible_authority for h in agency.history.all()] == [False, True]


def test_a_duplicate_name_is_explained_and_nothing_is_saved(admin_client, partnership):
    factories.AgencyFactory(partnership=partnership, name="Kent Police")
    html = admin_client.post(reverse("manage:agency_create", args=[partnership.slug]),
                             {"name": "Kent Police"}).content.decode()
    assert 'id="id_name-error"' in html and "already has an agency with this name" in html
    assert Agency.objects.filter(name="Kent Police").count() == 1


def test_another_partnerships_agency_is_not_found(admin_client, partnership):
    elsewhere = factories.AgencyFactory()
    url = reverse("manage:agency_edit", args=[partnership.slug, elsewhere.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"name": "Hijacked"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name != "Hijacked"
