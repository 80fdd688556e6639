"""The organisation's chat webhook page: admins only; https only, with the reason on the field;
the test message is queued (not sent inline) and its outcome shows on the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.notifications.factories import connect_webhook, webhook_server
from twoway.notifications.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

SLUG = "acme"
URL = reverse("notifications:webhook", args=[SLUG])
TEST_URL = reverse("notifications:webhook_test", args=[SLUG])
SLACK = "https://hooks.slack.com/services/T000/B000/abc"


def test_only_organisation_admins_reach_the_webhook_pages(client: Client, actors: Actors) -> None:
    assert_access(client, actors, URL, allowed={"admin"})
    assert_access(client, actors, TEST_URL, allowed={"admin"}, method="post", ok_status=302)
    data = {"service": "slack", "url": SLACK, "is_active": "on"}
    assert_access(client, actors, URL, allowed={"admin"}, method="post", data=data, ok_status=302)
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.organisation, endpoint.url, endpoint.is_active) == (
        actors.organisation,
        SLACK,
        True,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.slack.com/services/x", "it must start with https://"),
        ("not a url", "this is not a web address"),
        ("ftp://hooks.slack.com/x", "this is not a web address"),
        ("", "paste the incoming webhook address"),
        ("https://127.0.0.1:5432/x", "this address is on a private network"),
        ("https://169.254.169.254/latest/meta-data", "this address is on a private network"),
        ("https://localhost/hook", "this address is on a private network"),
        ("https://[::1]/hook", "this address is on a private network"),
    ],
)
def test_anything_but_an_https_address_is_refused_on_the_field(
    client: Client, actors: Actors, url: str, message: str
) -> None:
    client.force_login(actors.admin)
    response = client.post(URL, {"service": "slack", "url": url, "is_active": "on"})
    assert response.status_code == 200
    [error] = response.context["form"].errors["url"]
    assert message in error
    assert 'aria-invalid="true"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_service_is_refused(client: Client, actors: Actors) -> None:
    client.force_login(actors.admin)
    response = client.post(URL, {"service": "irc", "url": SLACK})
    assert response.context["form"].errors["service"]
    assert not WebhookEndpoint.objects.exists()


def test_saving_again_updates_the_one_webhook_and_can_disable_it(
    client: Client, actors: Actors
) -> None:
    client.force_login(actors.admin)
    client.post(URL, {"service": "slack", "url": SLACK, "is_active": "on"})
    client.post(URL, {"service": "teams", "url": "https://example.webhook.office.com/x"})
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.service, endpoint.is_active) == ("teams", False)


def test_the_test_message_is_queued_and_its_outcome_shown(
    client: Client, actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client.force_login(actors.admin)
    with webhook_server(status=500) as server:
        endpoint = connect_webhook(actors.organisation, server)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(TEST_URL)
        assert response["Location"] == URL
        assert server.received == [] and len(callbacks) == 1  # not sent inside the request
        callbacks[0]()  # the worker runs the task
        assert len(server.received) == 1
        assert server.received[0][1]["text"].startswith("Twoway test message for Acme")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        last_error_at=datetime(2026, 5, 4, 10, 15, tzinfo=UTC)
    )
    html = client.get(URL).content.decode()
    assert "HTTPError 500" in html and "4 May 2026, 10:15" in html
    assert "secret-token" in html  # the admin sees the address in the form, nobody else


def test_a_test_message_without_a_webhook_says_what_to_do(client: Client, actors: Actors) -> None:
    client.force_login(actors.admin)
    response = client.post(TEST_URL, follow=True)
    assert "Save a webhook URL before sending a test message." in response.content.decode()
