"""Delivery: after commit, by email (title, link and how to change preferences — nothing else)
or to the organisation's Slack or Teams webhook (a real HTTP server on 127.0.0.1), retried with
backoff when the webhook fails or times out and given up after the last attempt, claimed so it
is never sent twice, and a bounced address (a real SMTP server refusing it) is never mailed
again."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.authz import Actors
from tests.notifications.factories import connect_webhook, notify, smtp_server, webhook_server
from twoway.notifications import delivery as delivery_module
from twoway.notifications.delivery import (
    BACKOFF,
    MAX_ATTEMPTS,
    address_is_public,
    deliveries_retry_due,
    delivery_send,
)
from twoway.notifications.models import BouncedAddress, Delivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
TITLE = "Your mentorship has been quiet for 3 weeks"


def webhook_deliveries() -> list[Delivery]:
    return list(Delivery.objects.filter(channel=Delivery.Channel.WEBHOOK))


def test_an_email_carries_the_title_a_link_and_how_to_change_preferences_nothing_else(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(actors.organisation, actors.participant, title=TITLE)[0]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == TITLE
    assert email.to == [actors.participant.email]
    assert email.body.splitlines() == [
        TITLE,
        "",
        f"{BASE}/o/acme/notifications/{notification.pk}/open/",
        "",
        f"To choose which emails you get: {BASE}/o/acme/notifications/preferences/",
    ]
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert delivery.sent_at is not None


def test_nothing_is_sent_before_the_callers_transaction_commits(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(actors.organisation, actors.participant)
    assert mail.outbox == [] and len(callbacks) == 1
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_a_rolled_back_caller_notifies_no_one(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(actors.organisation, actors.participant)
                raise RuntimeError("the caller failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_a_delivery_is_sent_once_however_often_its_task_runs(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(actors.organisation, actors.participant)
    delivery = Delivery.objects.get()
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_a_delivery_claimed_by_another_worker_is_left_to_it_until_its_lease_ends(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        notify(actors.organisation, actors.participant)
    delivery = Delivery.objects.get()
    # Another worker claimed it (the same conditional UPDATE delivery_send makes) and died.
    assert delivery_module._claim(delivery.pk, timezone.now())
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENDING
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry_due(now=timezone.now() + timedelta(minutes=1)) == 0
        assert deliveries_retry_due(now=timezone.now() + timedelta(minutes=11)) == 1
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_a_delivery_whose_task_was_lost_is_picked_up_by_the_retry_sweep(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        notify(actors.organisation, actors.participant)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry_due(now=timezone.now()) == 0  # just created: its task may run
        assert deliveries_retry_due(now=timezone.now() + timedelta(minutes=6)) == 1
    assert len(mail.outbox) == 1


# --- Chat webhooks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("slack", lambda link: {"text": f"{TITLE} {link}"}),
        (
            "teams",
            lambda link: {
                "@type": "MessageCard",
                "@context": "https://schema.org/extensions",
                "summary": TITLE,
                "text": f"{TITLE} {link}",
            },
        ),
    ],
)
def test_the_webhook_receives_the_title_and_link_in_its_services_shape(
    actors: Actors,
    django_capture_on_commit_callbacks: Callable[..., Any],
    service: str,
    expected: Callable[[str], dict[str, str]],
) -> None:
    with webhook_server() as server:
        endpoint = connect_webhook(actors.organisation, server, service=service)
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant, title=TITLE, url="/o/acme/threads/")
    assert server.received == [
        ("/services/T000/B000/secret-token", expected(f"{BASE}/o/acme/threads/"))
    ]
    assert webhook_deliveries()[0].status == Delivery.Status.SENT
    endpoint.refresh_from_db()
    assert endpoint.last_success_at is not None and endpoint.last_error == ""


def test_no_webhook_delivery_without_an_active_webhook_or_for_someone_who_turned_chat_off(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from twoway.notifications.services import notification_preference_update

    with webhook_server() as server:
        endpoint = connect_webhook(actors.organisation, server)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True)
        notification_preference_update(
            actor=actors.participant,
            organisation=actors.organisation,
            email="immediate",
            chat=False,
            muted_kinds=[],
        )
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.program_manager)  # chat on by default
    assert len(server.received) == 1
    assert [d.notification.user for d in webhook_deliveries()] == [actors.program_manager]


def _retry(django_capture_on_commit_callbacks: Callable[..., Any], delay: timedelta) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return deliveries_retry_due(now=timezone.now() + delay)


def test_a_failing_webhook_is_retried_with_backoff_then_given_up(
    actors: Actors,
    django_capture_on_commit_callbacks: Callable[..., Any],
    log_lines: list[str],
) -> None:
    with webhook_server(status=500) as server:
        endpoint = connect_webhook(actors.organisation, server)
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
        delivery = webhook_deliveries()[0]
        assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
        assert delivery.last_error == "HTTPError 500"
        assert delivery.next_attempt_at is not None
        assert before + BACKOFF[0] <= delivery.next_attempt_at <= timezone.now() + BACKOFF[0]
        # Not due yet: nothing happens.
        assert _retry(django_capture_on_commit_callbacks, timedelta(seconds=30)) == 0
        assert len(server.received) == 1
        for attempt in range(2, MAX_ATTEMPTS + 1):
            assert _retry(django_capture_on_commit_callbacks, BACKOFF[attempt - 2]) == 1
            delivery.refresh_from_db()
            assert delivery.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert delivery.status == Delivery.Status.PENDING
                assert delivery.next_attempt_at is not None
                assert delivery.next_attempt_at > timezone.now() + BACKOFF[attempt - 1] * 0.9
        assert delivery.status == Delivery.Status.FAILED and delivery.next_attempt_at is None
        assert _retry(django_capture_on_commit_callbacks, timedelta(days=2)) == 0
        assert len(server.received) == MAX_ATTEMPTS
    endpoint.refresh_from_db()
    assert endpoint.last_error == "HTTPError 500" and endpoint.last_error_at is not None
    warnings = [line for line in log_lines if "HTTPError 500" in line]
    assert len(warnings) == MAX_ATTEMPTS
    assert not any("secret-token" in line for line in log_lines)
    # The email channel was unaffected.
    assert len(mail.outbox) == 1


def test_a_webhook_on_an_internal_address_is_refused_before_a_byte_is_sent(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # An admin could otherwise point the webhook at the server's own network (a database, a
    # cloud metadata service); the check is on the address actually connected to.
    with webhook_server() as server, override_settings(TWOWAY_WEBHOOK_ALLOW_PRIVATE=False):
        endpoint = connect_webhook(actors.organisation, server)
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
    assert server.received == []
    delivery = webhook_deliveries()[0]
    assert delivery.status == Delivery.Status.FAILED  # retrying cannot help
    assert delivery.last_error.startswith("PrivateAddress")
    assert not BouncedAddress.objects.exists()  # the person's email address is fine
    endpoint.refresh_from_db()
    assert endpoint.last_error.startswith("PrivateAddress")


def test_a_webhook_that_redirects_is_not_followed(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with (
        webhook_server() as target,
        webhook_server(status=302, location=target.url("/internal")) as server,
    ):
        connect_webhook(actors.organisation, server)
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
    assert len(server.received) == 1 and target.received == []
    delivery = webhook_deliveries()[0]
    assert (delivery.status, delivery.last_error) == (Delivery.Status.PENDING, "HTTPError 302")


@pytest.mark.parametrize(
    ("host", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("0.0.0.0", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("fd00::1", False),
        ("fe80::1%eth0", False),
        ("224.0.0.1", False),
        ("not-an-address", False),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
    ],
)
def test_only_public_addresses_count_as_public(host: str, public: bool) -> None:
    assert address_is_public(host) is public


def test_a_webhook_that_answers_too_late_is_retried_later(
    actors: Actors,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery_module, "WEBHOOK_TIMEOUT_SECONDS", 0.3)
    with webhook_server(delay=2) as server:
        connect_webhook(actors.organisation, server)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
        assert time.monotonic() - started < 1.5  # gave up at the timeout
        delivery = webhook_deliveries()[0]
        assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
        assert "Timeout" in delivery.last_error or "timeout" in delivery.last_error
        assert delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now()
        server.delay = 0  # the chat service is back
        assert _retry(django_capture_on_commit_callbacks, BACKOFF[0]) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_a_dead_webhook_does_not_slow_the_request_that_notifies(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with webhook_server(delay=3) as server:
        connect_webhook(actors.organisation, server)
        started = time.monotonic()
        with (
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            transaction.atomic(),  # what a view's request does
        ):
            notify(actors.organisation, actors.participant, count=5)
        elapsed = time.monotonic() - started
        assert server.received == []  # the worker sends, after commit
    assert elapsed < 1, elapsed
    assert len(callbacks) == 1
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 10


# --- Bounces -------------------------------------------------------------------------------------


def test_a_refused_address_is_marked_bounced_and_never_mailed_again(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    address = actors.participant.email
    with smtp_server(refuse={address: "550 5.1.1 no such user"}) as smtp:
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
            notify(actors.organisation, actors.program_manager)
        first = Delivery.objects.get(notification__user=actors.participant)
        assert first.status == Delivery.Status.BOUNCED and first.attempts == 1
        assert first.last_error == "SMTPRecipientsRefused 550"
        assert BouncedAddress.objects.filter(email=address).exists()
        assert _retry(django_capture_on_commit_callbacks, timedelta(days=1)) == 0
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
        second = Delivery.objects.filter(notification__user=actors.participant).latest("id")
        assert second.status == Delivery.Status.SKIPPED
        assert second.last_error == "address bounced before"
        # Only the program manager's email reached the server.
        assert [recipients for recipients, _body in smtp.messages] == [
            [actors.program_manager.email]
        ]
        assert TITLE in smtp.messages[0][1]


def test_a_temporary_refusal_is_retried_not_a_bounce(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    address = actors.participant.email
    with smtp_server(refuse={address: "451 4.7.1 greylisted, try later"}) as smtp:
        with django_capture_on_commit_callbacks(execute=True):
            notify(actors.organisation, actors.participant)
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
        assert delivery.last_error == "SMTPRecipientsRefused 451"
        assert not BouncedAddress.objects.exists()
        del smtp.refuse[address]
        assert _retry(django_capture_on_commit_callbacks, BACKOFF[0]) == 1
        assert [recipients for recipients, _body in smtp.messages] == [[address]]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_an_unreachable_mail_server_is_retried(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with smtp_server() as smtp:
        port = smtp.port
    # The server is gone: connecting is refused.
    from django.test import override_settings

    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_TIMEOUT=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(actors.organisation, actors.participant)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.last_error == "ConnectionRefusedError"
