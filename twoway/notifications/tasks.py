"""Background delivery of notifications (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery; returns its status. Safe to run twice: a sent delivery is skipped."""
    from twoway.notifications.delivery import delivery_send

    return delivery_send(delivery_id=delivery_id)


@task()
def deliver_batch(delivery_ids: list[int]) -> int:
    """Send several deliveries, each claimed and sent on its own (a failure is recorded on its
    delivery and retried later; one that raises leaves the rest pending, and the retry sweep
    picks them up). Returns how many were sent."""
    from twoway.notifications.delivery import delivery_send

    return sum(delivery_send(delivery_id=i) == "sent" for i in delivery_ids)


@task()
def webhook_test(endpoint_id: int) -> str:
    """Post a test message to an organisation's chat webhook (queued by its settings page)."""
    from twoway.notifications.delivery import webhook_test_send

    return webhook_test_send(endpoint_id=endpoint_id)
