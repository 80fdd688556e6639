"""Logging in: failed attempts are rate limited, TOTP is a second step, and a forgotten password
can be reset from an emailed link."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.app_settings import TOTP_PERIOD
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import last_mail_to, links_in
from tests.core.factories import PASSWORD, UserFactory
from twoway.accounts.models import User


@pytest.fixture
def user(db: None) -> User:
    user = UserFactory(email="kim.ortiz@example.test")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client: Client, email: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(client: Client, user: User) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def rate_limit(action: str, per: str) -> int:
    """The number of attempts ``ACCOUNT_RATE_LIMITS[action]`` allows per ``per`` (ip or key)."""
    for rule in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _period, *scope = rule.split("/")
        if (scope or ["ip"])[0] == per:
            return int(amount)
    raise AssertionError(f"no {per} limit for {action}")


def valid_totp_codes(secret: str) -> set[str]:
    """Every code allauth accepts right now (the current step and its tolerance window)."""
    return {format_hotp_value(hotp_value(secret, c)) for c in yield_hotp_counters_from_time()}


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now; waits out the last seconds of a period so the
    code is still current when the server checks it."""
    if time.time() % TOTP_PERIOD > TOTP_PERIOD - 3:
        time.sleep(3)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


# --- Rate limits ---------------------------------------------------------------------------


def test_after_too_many_failed_logins_even_the_right_password_is_refused(user: User) -> None:
    client = Client()
    allowed = rate_limit("login_failed", per="key")

    # Given as many wrong passwords as the limit allows, each refused as a wrong password
    for _ in range(allowed):
        response = log_in(client, user.email, "not-the-password")
        assert response.status_code == 200
        assert b"not correct" in response.content

    # When the right password comes next
    response = log_in(client, user.email, PASSWORD)

    # Then it is refused as rate limited, and nobody is signed in
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert not is_signed_in(client, user)


def test_failed_logins_for_one_account_do_not_lock_out_another(user: User) -> None:
    other = UserFactory(email="lee.park@example.test")
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    for _ in range(rate_limit("login_failed", per="key")):
        log_in(Client(REMOTE_ADDR="10.0.0.1"), user.email, "not-the-password")

    client = Client(REMOTE_ADDR="10.0.0.2")
    assert log_in(client, other.email, PASSWORD).status_code == 302
    assert is_signed_in(client, other)


def test_too_many_login_posts_from_one_address_get_429(user: User) -> None:
    client = Client()
    allowed = rate_limit("login", per="ip")
    for _ in range(allowed):
        assert log_in(client, "nobody@example.test", "whatever-it-is").status_code == 200

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client, user)


# --- TOTP ----------------------------------------------------------------------------------


def activate_totp(client: Client) -> str:
    """Activate an authenticator app through allauth's pages; returns its secret."""
    # A security change asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_with_totp_on_a_login_takes_the_password_then_a_code(user: User) -> None:
    # Given a user who turned on an authenticator app from the Security pages
    client = Client()
    assert log_in(client, user.email, PASSWORD).status_code == 302
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))

    # When they log in with the right password
    response = log_in(client, user.email, PASSWORD)

    # Then they are asked for a code and are not signed in yet
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client, user)

    # A wrong code is refused
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid_totp_codes(secret))
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert not is_signed_in(client, user)

    # The code the app shows now lets them in
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert is_signed_in(client, user)


# --- Password reset ------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_from_the_emailed_link(user: User) -> None:
    client = Client()
    new_password = "a-brand-new-passphrase-for-kim"

    # When Kim asks for a reset
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302

    # Then the email holds a link that opens a form to choose a new password
    link = next(p for p in links_in(last_mail_to(user.email)) if "/password/reset/key/" in p)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302

    # ...the old password no longer works, and the new one does
    assert log_in(Client(), user.email, PASSWORD).status_code == 200
    fresh = Client()
    assert log_in(fresh, user.email, new_password).status_code == 302
    assert is_signed_in(fresh, user)
