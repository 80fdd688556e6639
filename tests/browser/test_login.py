from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.app_settings import TOTP_PERIOD
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.browser.conftest import assert_accessible, log_in
from tests.core.factories import PASSWORD, MembershipFactory
from twoway.core.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_logs_in_and_lands_on_their_organisation(page: Any, live_server: Any) -> None:
    membership = MembershipFactory(role=Role.PARTICIPANT, organisation__name="Acme Group")
    user = membership.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    log_in(page, live_server, user.email, PASSWORD)

    page.wait_for_url(f"**/o/{membership.organisation.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Acme Group"
    assert_accessible(page)


def test_a_wrong_password_is_refused_with_a_message(page: Any, live_server: Any) -> None:
    membership = MembershipFactory()
    log_in(page, live_server, membership.user.email, "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_text("not correct").count() >= 1
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
    ],
)
def test_the_public_account_pages_are_accessible(page: Any, live_server: Any, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)


def test_a_member_edits_their_profile_and_turns_on_two_factor_authentication(
    page: Any, live_server: Any
) -> None:
    membership = MembershipFactory(role=Role.PARTICIPANT)
    user = membership.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    log_in(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"**/o/{membership.organisation.slug}/")

    page.get_by_role("banner").get_by_role("link", name="Profile").click()
    page.wait_for_url("**/me/")
    assert_accessible(page)
    page.get_by_label("Display name").fill("Rui Tanaka")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/me/")
    assert page.get_by_text("Your profile is saved.").count() == 1
    assert page.get_by_text("Times shown in Asia/Tokyo").count() == 1
    assert_accessible(page)

    page.get_by_role("banner").get_by_role("link", name="Security").click()
    page.wait_for_url("**/accounts/2fa/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)

    # Setting up an authenticator app first asks for the password again
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert_accessible(page)

    # Next time, signing in takes the password and then a code from the app
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, user.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**/o/{membership.organisation.slug}/")


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now. Waits out the last seconds of a period so the
    code is still current when the server checks it."""
    if time.time() % TOTP_PERIOD > TOTP_PERIOD - 3:
        time.sleep(3)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
