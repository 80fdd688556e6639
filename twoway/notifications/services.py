"""Writes of notifications: create them (with their deliveries) in bulk, mark them read,
people's preferences, the organisation's chat webhook and the weekly digest.

``notifications_send`` is the one door every feature uses: the nudge sweep, a manager's
one-click nudge, survey invitations. It writes the rows in the caller's transaction and sends
after commit, so a rolled-back caller notifies no one and a slow mail server or webhook never
holds up a request.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from twoway.core.errors import ApplicationError
from twoway.core.models import Organisation
from twoway.notifications.delivery import address_is_public
from twoway.notifications.models import (
    BouncedAddress,
    Delivery,
    DigestRun,
    Kind,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """A notification to create: for ``user_id``, a title (metadata only) and a site path."""

    user_id: int
    kind: str
    title: str
    url: str


def notifications_send(
    *, organisation: Organisation, drafts: Sequence[Draft]
) -> list[Notification]:
    """Create the notifications and their deliveries; deliver them after commit.

    Delivery per person follows their preference: email at once (a pending email delivery),
    in the weekly digest (a digest delivery), or not at all; a muted kind gets no email and no
    chat message; the organisation's active webhook gets a pending webhook delivery unless the
    person turned chat off. The in-app centre always has the notification.
    """
    from twoway.notifications.delivery import deliveries_enqueue  # avoids an import cycle
    from twoway.notifications.models import WebhookEndpoint

    if not drafts:
        return []
    for draft in drafts:
        if draft.kind not in Kind.values:
            raise ValueError(f"unknown notification kind {draft.kind!r}")
        if not is_local_path(draft.url):
            raise ValueError("a notification links to a path on this site, e.g. /o/acme/…")
    preferences = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(
            organisation=organisation, user_id__in={d.user_id for d in drafts}
        )
    }
    has_webhook = WebhookEndpoint.objects.filter(organisation=organisation, is_active=True).exists()
    created = Notification.objects.bulk_create(
        [
            Notification(
                organisation=organisation,
                user_id=d.user_id,
                kind=d.kind,
                title=d.title[:200],
                url=d.url,
            )
            for d in drafts
        ],
        batch_size=1000,
    )
    deliveries = []
    for notification in created:
        preference = preferences.get(notification.user_id)
        email = preference.email if preference else NotificationPreference.Email.IMMEDIATE
        muted = set(preference.muted_kinds) if preference else set()
        chat = preference.chat if preference else True
        if notification.kind in muted:
            continue
        if email == NotificationPreference.Email.IMMEDIATE:
            status = Delivery.Status.PENDING
        elif email == NotificationPreference.Email.DIGEST:
            status = Delivery.Status.DIGEST
        else:
            status = None
        if status is not None:
            deliveries.append(
                Delivery(
                    organisation=organisation,
                    notification=notification,
                    channel=Delivery.Channel.EMAIL,
                    status=status,
                )
            )
        if has_webhook and chat:
            deliveries.append(
                Delivery(
                    organisation=organisation,
                    notification=notification,
                    channel=Delivery.Channel.WEBHOOK,
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=1000)
    pending = [d.pk for d in deliveries if d.status == Delivery.Status.PENDING and d.pk]
    if pending:
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=pending))
    return created


def is_local_path(url: str) -> bool:
    """True for a path on this site ("/o/acme/…"), false for anything that could leave it
    ("//evil.example", "https://…", "/\\evil.example")."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts=None, require_https=False
    )


# --- Reading -------------------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless)."""
    if notification.user_id != actor.pk:
        raise ApplicationError("Only its recipient can mark a notification read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, actor: Any, organisation: Organisation) -> int:
    """Mark every unread notification of the actor in the organisation read; returns how many."""
    now = timezone.now()
    return (
        Notification.objects.for_organisation(organisation)
        .filter(user=actor, read_at__isnull=True)
        .update(read_at=now, updated_at=now)
    )


# --- Preferences ---------------------------------------------------------------------------------


def notification_preference_update(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    chat: bool,
    muted_kinds: Sequence[str],
) -> NotificationPreference:
    """Save the actor's choices in the organisation (the row is created on first change)."""
    if email not in NotificationPreference.Email.values:
        raise ApplicationError(
            "Email: choose one of "
            + ", ".join(label.lower() for label in NotificationPreference.Email.labels)
            + ".",
            extra={"field": "email"},
        )
    unknown = sorted(set(muted_kinds) - set(Kind.values))
    if unknown:
        raise ApplicationError(
            f"Muted kinds: {', '.join(unknown)} is not a kind of notification; choose from "
            + ", ".join(Kind.values)
            + ".",
            extra={"field": "muted_kinds"},
        )
    muted = [kind for kind in Kind.values if kind in set(muted_kinds)]  # stable order
    preference, _created = NotificationPreference.objects.update_or_create(
        organisation=organisation,
        user=actor,
        defaults={"email": email, "chat": bool(chat), "muted_kinds": muted},
    )
    return preference


def bounced_address_clear(*, actor: Any) -> int:
    """The person says their address works again: mail it again. Returns rows removed."""
    deleted, _by_model = BouncedAddress.objects.filter(email__iexact=actor.email).delete()
    return deleted


# --- The organisation's chat webhook -------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def webhook_endpoint_save(
    *, actor: Any, organisation: Organisation, service: str, url: str, is_active: bool
) -> WebhookEndpoint:
    """Set the organisation's Slack or Teams incoming webhook (an organisation admin's page
    calls this). Only https: the URL is a secret and so is what it carries."""
    if service not in WebhookEndpoint.Service.values:
        raise ApplicationError(
            "Service: choose Slack or Microsoft Teams.", extra={"field": "service"}
        )
    url = url.strip()
    if not url:
        raise ApplicationError(
            "Webhook URL: paste the incoming webhook address your chat service gave you.",
            extra={"field": "url"},
        )
    try:
        _url_validator(url)
    except ValidationError:
        raise ApplicationError(
            "Webhook URL: this is not a web address; it should look like https://hooks.slack.com/…",
            extra={"field": "url"},
        ) from None
    if not url.lower().startswith("https://"):
        raise ApplicationError(
            "Webhook URL: it must start with https:// — an http:// address would send the "
            "webhook's secret and every message unencrypted.",
            extra={"field": "url"},
        )
    if len(url) > 500:
        raise ApplicationError("Webhook URL: at most 500 characters.", extra={"field": "url"})
    host = (urlsplit(url).hostname or "").lower()
    literal = host == "localhost" or host.endswith(".localhost") or _is_ip(host)
    if literal and not settings.TWOWAY_WEBHOOK_ALLOW_PRIVATE and not address_is_public(host):
        raise ApplicationError(
            "Webhook URL: this address is on a private network; use the address your chat "
            "service gave you (an on-premises server needs the operator's permission).",
            extra={"field": "url"},
        )
    endpoint = WebhookEndpoint.objects.for_organisation(organisation).first()
    if endpoint is None:
        endpoint = WebhookEndpoint(organisation=organisation)
    changed = endpoint.url != url or endpoint.service != service
    endpoint.service = service
    endpoint.url = url
    endpoint.is_active = bool(is_active)
    if changed:  # the old errors were about another address
        endpoint.last_error = ""
        endpoint.last_error_at = None
        endpoint.last_success_at = None
    endpoint.full_clean(exclude=["organisation"])
    endpoint.save()
    return endpoint


def webhook_test_enqueue(*, actor: Any, endpoint: WebhookEndpoint) -> None:
    """Queue a test message to the webhook; the page shows its outcome once the worker ran."""
    from twoway.notifications.tasks import webhook_test

    endpoint_id = endpoint.pk
    transaction.on_commit(lambda: webhook_test.enqueue(endpoint_id))


# --- Weekly digest -------------------------------------------------------------------------------


def iso_week(moment: datetime) -> tuple[str, datetime]:
    """The ISO week of ``moment`` (UTC) as "2026-W05", and the Monday 00:00 UTC it starts."""
    utc = moment.astimezone(UTC)
    year, week, weekday = utc.isocalendar()
    start = (utc - timedelta(days=weekday - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return f"{year}-W{week:02d}", start


def digest_body(*, organisation: Organisation, notifications: Sequence[Notification]) -> str:
    from twoway.notifications.delivery import open_url, preferences_url

    lines = [f"Your weekly Twoway digest for {organisation.name}:", ""]
    for notification in notifications:
        lines += [f"- {notification.title}", f"  {open_url(notification)}"]
    lines += ["", f"To choose which emails you get: {preferences_url(organisation.slug)}", ""]
    return "\n".join(lines)


def digests_send(*, now: datetime | None = None) -> int:
    """Email each person, per organisation, one digest of the notifications that waited for it
    before this ISO week began (so a digest goes out early each week with the week before).
    Exactly once per person, organisation and week: a ``DigestRun`` row is inserted first and
    only the sweep whose insert won sends. Returns the number of digest emails sent."""
    from twoway.notifications.delivery import DeliveryError, send_email_or_raise

    now = now or timezone.now()
    week, week_start = iso_week(now)
    waiting = (
        Delivery.objects.filter(
            channel=Delivery.Channel.EMAIL,
            status=Delivery.Status.DIGEST,
            created_at__lt=week_start,
        )
        .select_related("notification__user", "notification__organisation")
        .order_by("notification__organisation_id", "notification__user_id", "notification_id")
    )
    groups: dict[tuple[int, int], list[Delivery]] = defaultdict(list)
    for delivery in waiting:
        groups[(delivery.organisation_id, delivery.notification.user_id)].append(delivery)
    sent = 0
    for deliveries in groups.values():
        first = deliveries[0].notification
        organisation, user = first.organisation, first.user
        ids = [d.pk for d in deliveries]
        if BouncedAddress.objects.filter(email__iexact=user.email).exists():
            Delivery.objects.filter(pk__in=ids, status=Delivery.Status.DIGEST).update(
                status=Delivery.Status.SKIPPED, last_error="address bounced before"
            )
            continue
        try:
            # A short claim: the DigestRun row (the exactly-once guard) and the deliveries,
            # committed before the mail server is contacted, so no transaction (on SQLite, the
            # database's one write lock) is held while it answers.
            with transaction.atomic():
                run = DigestRun.objects.create(
                    organisation=organisation, user=user, week=week, notification_count=len(ids)
                )
                claimed = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.DIGEST).update(
                    status=Delivery.Status.SENDING, next_attempt_at=None, updated_at=now
                )
                if not claimed:
                    raise IntegrityError("another sweep took these deliveries")
        except IntegrityError:
            continue  # this week's digest already went out (or is going out) from another sweep
        claimed_ids = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING)
        try:
            send_email_or_raise(
                subject=f"Your weekly Twoway digest: {len(ids)} notification"
                + ("" if len(ids) == 1 else "s"),
                body=digest_body(
                    organisation=organisation,
                    notifications=[d.notification for d in deliveries],
                ),
                to=user.email,
            )
        except DeliveryError as error:
            logger.warning("weekly digest %s failed: %s", week, error.summary)
            with transaction.atomic():
                run.delete()  # it did not go out
                if error.permanent:  # the address bounced: not this week, nor later
                    BouncedAddress.objects.get_or_create(
                        email=user.email.lower(), defaults={"reason": error.summary}
                    )
                    claimed_ids.update(status=Delivery.Status.BOUNCED, last_error=error.summary)
                else:  # given back: the next sweep tries again
                    claimed_ids.update(status=Delivery.Status.DIGEST, last_error=error.summary)
            continue
        # A crash before this line leaves the week's digest counted as sent and its deliveries
        # "sending": the notifications stay in the centre, and no one gets the digest twice.
        claimed_ids.update(status=Delivery.Status.SENT, sent_at=now, attempts=1, updated_at=now)
        sent += 1
    return sent
