"""Reads of notifications: always one person's own rows in one organisation."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from twoway.core.models import Organisation, OrganisationScopedQuerySet
from twoway.notifications.models import (
    BouncedAddress,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)


def notification_list(
    *, user: Any, organisation: Organisation, unread_only: bool = False
) -> OrganisationScopedQuerySet:
    """The person's notifications in the organisation, newest first."""
    rows = Notification.objects.for_organisation(organisation).filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-id")


def notification_get_for_user(
    *, user: Any, organisation: Organisation, notification_id: int
) -> Notification:
    """One of the person's own notifications; anyone else's (or another organisation's) is the
    same 404 as a missing one."""
    notification = (
        notification_list(user=user, organisation=organisation).filter(pk=notification_id).first()
    )
    if notification is None:
        raise Http404
    return notification


def unread_count(*, user: Any, organisation: Organisation) -> int:
    return notification_list(user=user, organisation=organisation, unread_only=True).count()


def preference_get(*, user: Any, organisation: Organisation) -> NotificationPreference:
    """The person's preferences, or the defaults (unsaved) when they never changed them."""
    preference = (
        NotificationPreference.objects.for_organisation(organisation).filter(user=user).first()
    )
    return preference or NotificationPreference(organisation=organisation, user=user)


def address_bounce(*, user: Any) -> BouncedAddress | None:
    """The bounce recorded for the person's email address, if the mail server refused it."""
    return BouncedAddress.objects.filter(email__iexact=user.email).first()


def webhook_get(*, organisation: Organisation) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.for_organisation(organisation).first()
