"""Notifications: what the notification centre lists, and how each one is delivered.

A notification is a short title and a link, never content (confidentiality rule 7): the title
says *that* something needs attention ("Your mentorship has been quiet for 3 weeks"), the page
behind the link shows it to whoever may see it. Every channel — the in-app centre, email
(immediately or in the weekly digest) and an organisation's Slack/Teams webhook — sends the same
title and link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import OrganisationScopedModel, TimeStampedModel


class Kind(models.TextChoices):
    """What a notification is about; people can mute a kind in their preferences."""

    NUDGE = "nudge", "Reminders about my mentorships"
    MANAGER_NUDGE = "manager_nudge", "Reminders sent by my program's managers"
    SURVEY = "survey", "Surveys to answer"
    DIGEST = "digest", "Weekly digest"
    SYSTEM = "system", "Other notices"


class Notification(OrganisationScopedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)  # metadata only, never content
    url = models.CharField(max_length=500)  # a path on this site, e.g. /o/acme/mentorships/3/
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["user", "organisation", "read_at", "-id"], name="notification_inbox_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for user {self.user_id}"


class NotificationPreference(OrganisationScopedModel):
    """One person's choices in one organisation. Absent means the defaults: email at once, the
    organisation's chat webhook on, nothing muted. The in-app centre always lists everything."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", "Email me at once"
        DIGEST = "digest", "One weekly digest email"
        OFF = "off", "No email"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.CharField(max_length=16, choices=Email.choices, default=Email.IMMEDIATE)
    chat = models.BooleanField(default=True)  # the organisation's Slack/Teams webhook, if any
    muted_kinds = models.JSONField(default=list, blank=True)  # Kind values: no email, no chat

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_notification_preference"
            )
        ]


class Delivery(OrganisationScopedModel):
    """One attempt record per notification and channel (email or webhook). Created with the
    notification in the same transaction, sent by a task after commit, retried with backoff."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Chat webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        # Claimed by one worker; ``next_attempt_at`` is then the end of its lease, after which
        # the retry sweep hands the delivery to another worker (the first one died mid-send).
        SENDING = "sending", "Being sent"
        DIGEST = "digest", "Waiting for the weekly digest"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, given up"
        BOUNCED = "bounced", "Address bounced"
        SKIPPED = "skipped", "Skipped"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)  # never content
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]


class BouncedAddress(TimeStampedModel):
    """An email address the mail server refused: not mailed again until the person changes or
    confirms it (their preferences page says so)."""

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=300, blank=True)


class WebhookEndpoint(OrganisationScopedModel):
    """An organisation's Slack or Microsoft Teams incoming webhook (at most one)."""

    class Service(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"

    service = models.CharField(max_length=16, choices=Service.choices)
    url = models.URLField(max_length=500)
    is_active = models.BooleanField(default=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_webhook_per_organisation")
        ]


class DigestRun(OrganisationScopedModel):
    """That one person's weekly digest for one organisation went out in one ISO week.

    The row is inserted before the email is sent; the unique constraint is what makes the digest
    go out once however many workers run the sweep at the same time.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=10)  # ISO week, e.g. "2026-W05"
    notification_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "week"], name="one_digest_per_week"
            )
        ]
