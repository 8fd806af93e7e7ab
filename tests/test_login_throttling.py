"""Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed attempts for one
username from one address, even the right password is refused for
LOGIN_LOCKOUT_MINUTES, with a clear message; other people and addresses are not
affected, and a successful sign-in clears the count."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_the_defaults_are_five_attempts_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.25  # hours
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_after_too_many_failures_even_the_right_password_is_refused(client, member):
    user = member(Role.PARTNER)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.username, "wrong").status_code == 200
    locked = _sign_in(client, user.username, "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "paused for 15 minutes" in html and user.username in html
    assert 'role="alert"' in html

    right = _sign_in(client, user.username, factories.PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_out_is_for_that_username_from_that_address_only(client, member):
    user = member(Role.PARTNER)
    colleague = member(Role.PARTNER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, user.username, "wrong")
    assert _sign_in(client, colleague.username, factories.PASSWORD).status_code == 302
    client.logout()
    assert _sign_in(client, user.username, factories.PASSWORD,
                    address="198.51.100.7").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, member):
    user = member(Role.PARTNER)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.username, "wrong")
    assert _sign_in(client, user.username, factories.PASSWORD).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    assert _sign_in(client, user.username, "wrong").status_code == 200  # counting afresh


def test_the_admin_sign_in_is_throttled_too(client):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": staff.username, "password": "wrong"},
                    REMOTE_ADDR="192.0.2.10")
    response = client.post(url, {"username": staff.username, "password": factories.PASSWORD},
                           REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
