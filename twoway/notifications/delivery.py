"""Sending deliveries: email and chat webhooks, with retry and backoff (owned by the
notifications work; this first cut only sends emails once)."""

from __future__ import annotations

from collections.abc import Sequence


def deliveries_enqueue(*, delivery_ids: Sequence[int]) -> None:
    """Hand the deliveries to the task worker (immediately in tests)."""
    from twoway.notifications.tasks import deliver

    for delivery_id in delivery_ids:
        deliver.enqueue(delivery_id)


def delivery_send(*, delivery_id: int) -> str:
    """Send one pending email delivery (title and link only). Returns the delivery's status."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import transaction
    from django.utils import timezone

    from twoway.notifications.models import Delivery

    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification__user")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return delivery.status if delivery else "missing"
        notification = delivery.notification
        if delivery.channel == Delivery.Channel.EMAIL:
            base = getattr(settings, "TWOWAY_BASE_URL", "").rstrip("/")
            send_mail(
                subject=notification.title,
                message=f"Hello,\n\n{notification.title}\n\n{base}{notification.url}\n",
                from_email=None,
                recipient_list=[notification.user.email],
            )
        delivery.status = Delivery.Status.SENT
        delivery.attempts += 1
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "sent_at", "updated_at"])
        return delivery.status
