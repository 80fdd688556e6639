"""Operators' admin: notifications and deliveries are read-only metadata; the webhook list does
not show its secret URL."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors
from tests.notifications.factories import notify
from twoway.accounts.models import User
from twoway.notifications.models import BouncedAddress, Delivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_the_admin_lists_notifications_deliveries_webhooks_and_bounces(
    client: Client, actors: Actors
) -> None:
    notify(actors.organisation, actors.participant, title="Quiet pair")
    secret = "https://hooks.slack.com/services/T0/B0/very-secret"
    WebhookEndpoint.objects.create(organisation=actors.organisation, service="slack", url=secret)
    BouncedAddress.objects.create(email="gone@example.test", reason="SMTPRecipientsRefused 550")
    client.force_login(User.objects.create_superuser(email="operator@example.test"))
    for model in ("notification", "delivery", "webhookendpoint", "bouncedaddress"):
        response = client.get(reverse(f"admin:notifications_{model}_changelist"))
        assert response.status_code == 200, model
        html = response.content.decode()
        assert "very-secret" not in html
    assert (
        "Quiet pair"
        in client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    )
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    delivery = Delivery.objects.get()
    change = reverse("admin:notifications_delivery_change", args=[delivery.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"status": "sent"})
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING  # read-only
