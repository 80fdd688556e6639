from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.core.factories import MembershipFactory
from tests.people.factories import PersonFactory
from tests.people.test_selectors import four_level_chart
from twoway.accounts.models import User
from twoway.core.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def log_in_with_session(page: Any, live_server: Any, user: User) -> None:
    """Sign in without the login form: a server-side session, its cookie given to the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_a_member_searches_the_directory_and_walks_the_org_chart(
    page: Any, live_server: Any
) -> None:
    membership = MembershipFactory(role=Role.PARTICIPANT, organisation__slug="acme")
    organisation = membership.organisation
    chart = four_level_chart(organisation)
    for i in range(8):
        PersonFactory(organisation=organisation, first_name="Sam", last_name=f"Sample{i}")
    log_in_with_session(page, live_server, membership.user)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    children_requests: list[str] = []
    page.on("request", lambda r: children_requests.append(r.url) if "/children/" in r.url else None)

    # The directory lists everyone; typing filters the results in place (HTMX).
    page.goto(f"{live_server.url}/o/acme/people/")
    results = page.locator("#results")
    expect(results).to_contain_text("14 people")
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("searchbox", name="Search").press_sequentially("vera pi", delay=30)
    expect(results).to_contain_text("1 person found")
    expect(page.locator("#results-status")).to_have_text("1 person found")
    expect(results.get_by_role("link", name="Vera Pike")).to_be_visible()
    expect(results.get_by_role("link", name="Sam Sample0")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
    # The search is in the address bar (without the empty filters), so it can be shared.
    assert parse_qs(urlsplit(page.url).query) == {"q": ["vera pi"], "per_page": ["25"]}
    assert_accessible(page)

    # The person page shows the reporting line.
    results.get_by_role("link", name="Vera Pike").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vera Pike")
    line = page.get_by_role("navigation", name="Reporting line")
    expect(line.get_by_role("link", name="Cyrus Oakes")).to_be_visible()
    assert_accessible(page)

    # The org chart opens and closes with the keyboard.
    page.goto(f"{live_server.url}/o/acme/people/chart/")
    assert_accessible(page)
    ceo_toggle = page.get_by_role("button", name="2 direct reports of Cyrus Oakes")
    expect(ceo_toggle).to_have_attribute("aria-expanded", "false")
    ceo_toggle.focus()
    page.keyboard.press("Enter")
    expect(ceo_toggle).to_have_attribute("aria-expanded", "true")
    vp_toggle = page.get_by_role("button", name="1 direct report of Vera Pike")
    expect(vp_toggle).to_be_visible()
    vp_toggle.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("link", name="Leo Ash")).to_be_visible()
    assert_accessible(page)
    assert len(children_requests) == 2

    ceo_toggle.focus()
    page.keyboard.press("Enter")
    expect(ceo_toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Vera Pike")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.get_by_role("link", name="Leo Ash")).to_be_visible()  # as it was left
    assert len(children_requests) == 2  # collapsing and reopening fetched nothing
    assert chart.dev.pk
    assert console_errors == [], console_errors  # e.g. an htmx trigger it cannot parse
