"""Writes of notifications: create them (with their deliveries) in bulk, mark them read.

``notifications_send`` is the one door every feature uses: the nudge sweep, a manager's
one-click nudge, survey invitations. It writes the rows in the caller's transaction and sends
after commit, so a rolled-back caller notifies no one and a slow mail server or webhook never
holds up a request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from twoway.core.models import Organisation
from twoway.notifications.models import Delivery, Kind, Notification, NotificationPreference


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
