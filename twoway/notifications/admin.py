"""Operators' view of notifications: metadata only (title and link, never content), delivery
states for troubleshooting, and the bounce list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from twoway.notifications.models import BouncedAddress, Delivery, Notification, WebhookEndpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "url", "kind", "organisation", "user", "read_at", "created_at"]
    list_filter = ["kind", "organisation"]
    fields = readonly_fields = (
        "organisation",
        "user",
        "kind",
        "title",
        "url",
        "read_at",
        "created_at",
    )
    list_select_related = ["organisation", "user"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "notification_id",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    fields = readonly_fields = (
        "organisation",
        "notification",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
    )
    raw_id_fields = ["notification"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    # The URL (a secret) is on the change form only, not in the list.
    list_display = ["organisation", "service", "is_active", "last_error", "last_error_at"]
    list_filter = ["service", "is_active"]
    readonly_fields = ["last_error", "last_error_at", "last_success_at"]


@admin.register(BouncedAddress)
class BouncedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    search_fields = ["email"]
    readonly_fields = ["created_at"]
