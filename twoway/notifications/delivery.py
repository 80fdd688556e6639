"""Sending deliveries: one email or one chat-webhook message per delivery row, with retries.

Every send happens in a task, after the transaction that created the notification committed,
so a slow mail server or a dead webhook never holds up a request. A worker first *claims* the
delivery with a conditional UPDATE (pending → sending); only the worker whose UPDATE changed the
row sends, so two workers never send the same delivery. A failure leaves the delivery pending
with a later ``next_attempt_at`` (1 min, 5 min, 30 min, 2 h) and after ``MAX_ATTEMPTS`` it is
given up. ``deliveries_retry_due`` (run periodically by the worker) hands due deliveries back
to the task queue.

What leaves the site is the notification's title and a link, never content; what is recorded
about a failure (the delivery's ``last_error``, the log) is the exception's class and an HTTP or
SMTP status, never a message body, an address or the webhook's secret URL.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import smtplib
import socket
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from twoway.notifications.models import BouncedAddress, Delivery, Notification, WebhookEndpoint

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The wait after the n-th failed attempt; the MAX_ATTEMPTS-th failure gives up instead.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
WEBHOOK_TIMEOUT_SECONDS: float = 5
# How long a claimed delivery may stay "sending" before the retry sweep assumes its worker died.
CLAIM_LEASE = timedelta(minutes=10)
# A pending delivery never tried after this long lost its task (e.g. the process stopped
# between commit and enqueue); the retry sweep enqueues it again.
LOST_AFTER = timedelta(minutes=5)


class DeliveryError(Exception):
    """A send failed; ``summary`` is safe to store and log (no content, no URL)."""

    def __init__(self, summary: str, *, permanent: bool = False) -> None:
        super().__init__(summary)
        self.summary = summary[:300]
        self.permanent = permanent


def absolute_url(path: str) -> str:
    return settings.TWOWAY_BASE_URL.rstrip("/") + path


ENQUEUE_BATCH = 200


def deliveries_enqueue(*, delivery_ids: Sequence[int]) -> None:
    """Hand the deliveries to the task worker (immediately in tests), ``ENQUEUE_BATCH`` to a
    task: one queued task per delivery cost one insert and commit each, most of a large nudge
    sweep's time. Each delivery is still claimed and sent on its own."""
    from twoway.notifications.tasks import deliver_batch

    ids = list(delivery_ids)
    for start in range(0, len(ids), ENQUEUE_BATCH):
        deliver_batch.enqueue(ids[start : start + ENQUEUE_BATCH])


def deliveries_retry_due(*, now: datetime | None = None) -> int:
    """Enqueue again every delivery that is due: pending past its ``next_attempt_at``, claimed
    by a worker whose lease ran out, or pending and never tried for a while. Returns how many
    were enqueued. Safe to run from several workers at once: sending claims each delivery."""
    now = now or timezone.now()
    due = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    due |= Q(status=Delivery.Status.SENDING, next_attempt_at__lte=now)
    due |= Q(
        status=Delivery.Status.PENDING,
        next_attempt_at__isnull=True,
        created_at__lte=now - LOST_AFTER,
    )
    ids = list(Delivery.objects.filter(due).values_list("pk", flat=True)[:5000])
    if not ids:
        return 0
    # Due now: clear the wait so the worker's claim (which only takes a delivery that is not
    # waiting) succeeds whatever its clock says.
    Delivery.objects.filter(due, pk__in=ids).update(
        status=Delivery.Status.PENDING, next_attempt_at=None, updated_at=timezone.now()
    )
    transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=ids))
    return len(ids)


def _claim(delivery_id: int, now: datetime) -> bool:
    claimed = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery_id,
        status=Delivery.Status.PENDING,
    ).update(status=Delivery.Status.SENDING, next_attempt_at=now + CLAIM_LEASE, updated_at=now)
    return claimed == 1


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is pending and not waiting; returns its status afterwards."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        status = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        return status or "missing"
    delivery = Delivery.objects.select_related(
        "notification__user", "notification__organisation"
    ).get(pk=delivery_id)
    notification = delivery.notification
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            email = notification.user.email
            if BouncedAddress.objects.filter(email__iexact=email).exists():
                return _finish(delivery, Delivery.Status.SKIPPED, error="address bounced before")
            _send_email(notification)
        else:
            endpoint = WebhookEndpoint.objects.filter(
                organisation_id=notification.organisation_id, is_active=True
            ).first()
            if endpoint is None:
                return _finish(delivery, Delivery.Status.SKIPPED, error="no active webhook")
            _post_webhook_recorded(
                endpoint, title=notification.title, link=absolute_url(notification.url)
            )
    except DeliveryError as error:
        return _failed(delivery, error)
    except Exception as error:  # a bug or an unexpected backend error: retry, never lose it
        logger.exception("notification delivery %s: unexpected error", delivery.pk)
        return _failed(delivery, DeliveryError(type(error).__name__))
    return _finish(delivery, Delivery.Status.SENT)


def _finish(delivery: Delivery, status: str, *, error: str = "") -> str:
    now = timezone.now()
    delivery.status = status
    delivery.attempts += 1 if status == Delivery.Status.SENT else 0
    delivery.next_attempt_at = None
    delivery.last_error = error
    delivery.sent_at = now if status == Delivery.Status.SENT else None
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "sent_at",
            "updated_at",
        ]
    )
    return status


def _failed(delivery: Delivery, error: DeliveryError) -> str:
    delivery.attempts += 1
    delivery.last_error = error.summary
    if error.permanent and delivery.channel == Delivery.Channel.WEBHOOK:
        delivery.status = Delivery.Status.FAILED  # e.g. an internal address: retrying won't help
        delivery.next_attempt_at = None
    elif error.permanent:  # the mail server refused the address
        delivery.status = Delivery.Status.BOUNCED
        delivery.next_attempt_at = None
        BouncedAddress.objects.get_or_create(
            email=delivery.notification.user.email.lower(), defaults={"reason": error.summary}
        )
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = timezone.now() + BACKOFF[delivery.attempts - 1]
    delivery.save(
        update_fields=["status", "attempts", "next_attempt_at", "last_error", "updated_at"]
    )
    logger.warning(
        "notification delivery %s (%s) failed: %s; attempt %s, now %s",
        delivery.pk,
        delivery.channel,
        error.summary,
        delivery.attempts,
        delivery.status,
    )
    return delivery.status


# --- Email ---------------------------------------------------------------------------------------


def preferences_url(organisation_slug: str) -> str:
    return absolute_url(reverse("notifications:preferences", args=[organisation_slug]))


def open_url(notification: Notification) -> str:
    """The link emails carry: it marks the notification read, then goes to its page."""
    return absolute_url(
        reverse("notifications:open", args=[notification.organisation.slug, notification.pk])
    )


def email_body(notification: Notification) -> str:
    return (
        f"{notification.title}\n\n"
        f"{open_url(notification)}\n\n"
        "To choose which emails you get: "
        f"{preferences_url(notification.organisation.slug)}\n"
    )


def _send_email(notification: Notification) -> None:
    send_email_or_raise(
        subject=notification.title, body=email_body(notification), to=notification.user.email
    )


def send_email_or_raise(*, subject: str, body: str, to: str) -> None:
    """Send one email; a refusal of the address raises a permanent ``DeliveryError``, any other
    failure a temporary one."""
    try:
        send_mail(
            subject=subject, message=body, from_email=None, recipient_list=[to], fail_silently=False
        )
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _message in error.recipients.values()]
        # 5xx is the server's final word on the address; 4xx (mailbox busy, greylisting) passes.
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        summary = f"SMTPRecipientsRefused {','.join(str(code) for code in codes)}"
        raise DeliveryError(summary, permanent=permanent) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(f"{type(error).__name__} {error.smtp_code}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(type(error).__name__) from error


# --- Chat webhooks -------------------------------------------------------------------------------


def webhook_payload(service: str, *, title: str, link: str) -> dict[str, str]:
    """Slack's and Teams' incoming webhooks both take a JSON ``text``; Teams' connector card
    also wants a summary."""
    if service == WebhookEndpoint.Service.TEAMS:
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": title,
            "text": f"{title} {link}",
        }
    return {"text": f"{title} {link}"}


def address_is_public(host: str) -> bool:
    """Whether ``host`` (an IP address) is on the public internet: not loopback, private,
    link-local (cloud metadata services live there), multicast, reserved or unspecified."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _public_only_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    """``socket.create_connection`` that refuses a peer off the public internet. The check is
    on the address actually connected to, after DNS, so a name that resolves (or is rebound)
    to an internal address is refused before a byte is sent."""
    sock = socket.create_connection(address, *args, **kwargs)
    if not settings.TWOWAY_WEBHOOK_ALLOW_PRIVATE and not address_is_public(sock.getpeername()[0]):
        sock.close()
        raise DeliveryError("PrivateAddress: the webhook is on an internal address", permanent=True)
    return sock


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_only_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_only_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPSConnection, req)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """An incoming webhook answers, it does not redirect; following one could lead anywhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_GuardedHTTPHandler, _GuardedHTTPSHandler, _NoRedirect)


def post_webhook(url: str, payload: dict[str, str]) -> None:
    """POST JSON with a short timeout; any failure raises ``DeliveryError`` with a summary that
    does not contain the URL (its path is the webhook's secret).

    The organisation's admin chooses the URL, so the request must not become a way to reach the
    server's own network: the connection is refused unless its peer is a public address
    (``TWOWAY_WEBHOOK_ALLOW_PRIVATE`` allows an on-premises chat server), and redirects are
    not followed."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Twoway"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(1024)
    except DeliveryError:
        raise
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTPError {error.code}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, DeliveryError):
            raise reason from None
        name = type(reason).__name__ if isinstance(reason, BaseException) else "URLError"
        raise DeliveryError(name) from None
    except OSError as error:  # a timeout while reading the answer, a reset connection
        raise DeliveryError(type(error).__name__) from None


def _post_webhook_recorded(endpoint: WebhookEndpoint, *, title: str, link: str) -> None:
    """Post, and keep the endpoint's last success or error for its settings page."""
    now = timezone.now()
    try:
        post_webhook(endpoint.url, webhook_payload(endpoint.service, title=title, link=link))
    except DeliveryError as error:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            last_error=error.summary, last_error_at=now
        )
        raise
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(last_success_at=now)


def webhook_test_send(*, endpoint_id: int) -> str:
    """Post a test message to an organisation's webhook (from the task queue); returns "sent"
    or the error summary, which the settings page shows."""
    endpoint = WebhookEndpoint.objects.select_related("organisation").filter(pk=endpoint_id).first()
    if endpoint is None:
        return "missing"
    link = absolute_url(reverse("notifications:centre", args=[endpoint.organisation.slug]))
    try:
        _post_webhook_recorded(
            endpoint, title=f"Twoway test message for {endpoint.organisation.name}", link=link
        )
    except DeliveryError as error:
        logger.warning("webhook test for endpoint %s failed: %s", endpoint.pk, error.summary)
        return error.summary
    return "sent"
