"""Sign in, sign out, change and reset a password (the reset email uses locmem)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from smp.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_labelled_fields(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html


def test_a_member_signs_in_and_lands_on_their_partnership(client, partnership, member):
    user = member(Role.PARTNER)
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).url == reverse("priorities:home", args=[partnership.slug])


def test_a_wrong_password_is_refused_with_a_clear_message(client, member):
    user = member(Role.PARTNER)
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_returns_to_the_page_asked_for(client, partnership, member):
    user = member(Role.PARTNER)
    wanted = reverse("priorities:subgroups", args=[partnership.slug])
    response = client.get(wanted)
    assert response.url == f"{reverse('login')}?next={wanted}"
    response = client.post(
        response.url, {"username": user.username, "password": factories.PASSWORD, "next": wanted}
    )
    assert response.url == wanted


def test_signing_out_ends_the_session(client, member):
    client.force_login(member(Role.PARTNER))
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302  # back to sign-in
    assert "_auth_user_id" not in client.session


def test_a_member_changes_their_password(client, member):
    user = member(Role.PARTNER)
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "Change your password" in page.content.decode()
    response = client.post(reverse("password_change"), {
        "old_password": factories.PASSWORD,
        "new_password1": "a-much-longer-passphrase-42",
        "new_password2": "a-much-longer-passphrase-42",
    })
    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("a-much-longer-passphrase-42")


def test_password_reset_emails_a_link_that_sets_a_new_password(client, member):
    user = member(Role.LEAD)
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

    # The link redirects to a one-time "set-password" URL holding the token in the session.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response.url
    assert "Choose a new password" in client.get(form_url).content.decode()
    response = client.post(form_url, {
        "new_password1": "another-long-passphrase-7",
        "new_password2": "another-long-passphrase-7",
    })
    assert response.url == reverse("password_reset_complete")
    assert get_user_model().objects.get(pk=user.pk).check_password("another-long-passphrase-7")

    # Used once, the link no longer works.
    client.logout()
    reused = client.get(link, follow=True)
    assert "expired or was already used" in reused.content.decode()


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []
