from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress

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
