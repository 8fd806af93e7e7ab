"""The site layout: error pages (403, 404, 500) with a way back, and a header that
offers only what the user may open, plus "Change password"; form error summaries."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from smp.models import Role
from smp.views import server_error
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_forbidden_page_explains_itself_and_leads_back(client, partnership, member):
    client.force_login(member(Role.PARTNER))
    response = client.get(reverse("priorities:create", args=[partnership.slug]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do this</h1>" in html and "Nothing was changed." in html
    assert f'href="{reverse("priorities:home", args=[partnership.slug])}"' in html
    assert 'class="site-header"' in html  # the site layout, with the signed-in header
    assert "Sign out" in html


def test_a_missing_page_explains_itself_without_naming_the_partnership(client, partnership):
    client.force_login(factories.MembershipFactory(role=Role.CO_CHAIR).user)  # an outsider
    response = client.get(reverse("priorities:home", args=[partnership.slug]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html and f'href="{reverse("home")}"' in html
    assert partnership.name not in html


def test_the_500_page_needs_neither_a_request_context_nor_the_database(
    django_db_blocker, settings
):
    request = RequestFactory().get("/p/maidstone/")
    with django_db_blocker.block():  # any database query would raise here
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html and 'href="/"' in html
    assert 'class="site-header"' in html


def test_an_unexpected_error_is_answered_with_the_500_page(partnership, member, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("priorities.views.home.current_plan_year", broken)
    client = Client(raise_request_exception=False)
    client.force_login(member(Role.PARTNER))
    response = client.get(reverse("priorities:home", args=[partnership.slug]))
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


@pytest.mark.parametrize(("role", "data", "admin"), [
    (Role.CO_CHAIR, True, False), (Role.LEAD, True, False), (Role.OFFICER, True, False),
    (Role.PARTNER, True, False), (Role.COMMITTEE, False, False), (Role.ADMIN, True, True),
])
def test_the_header_shows_only_what_the_role_may_open(client, partnership, member, role, data,
                                                      admin):
    client.force_login(member(role))
    html = client.get(reverse("priorities:home", args=[partnership.slug])).content.decode()
    header = html.split("</header>")[0]
    uploads = reverse("datasets:uploads", args=[partnership.slug])
    assert (f'href="{uploads}"' in header) is data
    assert (f'href="{reverse("manage:home", args=[partnership.slug])}"' in header) is admin
    assert f'href="{reverse("password_change")}">Change password</a>' in header
    # The header's promise holds: the pages it offers open, the others do not.
    assert (client.get(uploads).status_code == 200) is data
    assert (client.get(reverse("manage:home", args=[partnership.slug])).status_code == 200) is (
        admin)


def test_signed_out_visitors_see_no_partnership_links(client):
    header = client.get(reverse("login")).content.decode().split("</header>")[0]
    assert "Change password" not in header and "Sign out" not in header


def test_a_form_with_errors_opens_with_a_summary_linking_to_each_field(client, partnership,
                                                                        member):
    client.force_login(member(Role.CO_CHAIR))
    html = client.post(reverse("priorities:create", args=[partnership.slug]),
                       {"title": "", "kind": "priority"}).content.decode()
    summary = html.split('data-error-summary')[1].split("</div>")[0]
    assert 'role="alert"' in html.split("data-error-summary")[0][-200:]
    assert '<a href="#id_plan">Plan: This field is required.</a>' in summary
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert html.index("There is a problem") < html.index('id="id_plan"')
