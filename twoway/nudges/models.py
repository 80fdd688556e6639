"""Nudges: reminders that keep pairs going, each sent exactly once.

``NudgeSettings`` holds a program's tunable rules (defaults apply until a manager changes
them). A ``Nudge`` row is the record that one rule fired for one subject and one recipient in
one period; the unique constraint on ``(rule, subject_key, recipient, period)`` is what makes a
nudge go out once however many workers sweep at the same time — the row is inserted before
anything is sent, and only the process whose insert won sends it. Managers see these rows as
metadata (which mentorship, which rule, when), never anything the pair wrote.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.mentorships.models import Mentorship
from twoway.programs.models import Program


class Rule(models.TextChoices):
    QUIET = "quiet", "No session within the agreed rhythm plus grace"
    AGREEMENT = "agreement", "Agreement not accepted"
    OVERDUE_ACTIONS = "overdue_actions", "Overdue action items"
    REQUEST_EXPIRING = "request_expiring", "Match request about to expire"
    UNFINISHED_APPLICATION = "unfinished_application", "Unfinished application"
    CIRCLE_NOTES = "circle_notes", "Circle session without notes"
    MANUAL = "manual", "Nudged by a program manager"


class NudgeSettings(OrganisationScopedModel):
    """A program's nudge rules. Each rule can be switched off; the numbers are days (hours for
    the match request) and a manager tunes them on the program's nudge settings page."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="nudge_settings")
    quiet_enabled = models.BooleanField(default=True)
    quiet_grace_days = models.PositiveSmallIntegerField(default=7)
    agreement_enabled = models.BooleanField(default=True)
    agreement_days = models.PositiveSmallIntegerField(default=7)
    overdue_actions_enabled = models.BooleanField(default=True)
    overdue_actions_days = models.PositiveSmallIntegerField(default=3)
    request_expiring_enabled = models.BooleanField(default=True)
    request_expiring_hours = models.PositiveSmallIntegerField(default=48)
    unfinished_application_enabled = models.BooleanField(default=True)
    unfinished_application_days = models.PositiveSmallIntegerField(default=3)
    circle_notes_enabled = models.BooleanField(default=True)
    circle_notes_days = models.PositiveSmallIntegerField(default=2)
    # A rule that fired for a subject stays quiet for this many days before it may fire again.
    repeat_days = models.PositiveSmallIntegerField(default=7)


class Nudge(OrganisationScopedModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="nudges")
    mentorship = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.CASCADE, related_name="nudges"
    )
    rule = models.CharField(max_length=32, choices=Rule.choices)
    # What the rule fired about, e.g. "mentorship:12", "application:40", "session:7".
    subject_key = models.CharField(max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The period the nudge belongs to (e.g. "2026-11-23" or "w2026-47"): at most one per period.
    period = models.CharField(max_length=16)
    sent_by = models.ForeignKey(  # a manager's one-click nudge; null for the sweep
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim = models.CharField(max_length=32, blank=True)  # the sweep that inserted the row
    notification = models.OneToOneField(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nudge",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key", "recipient", "period"], name="nudge_once_per_period"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "program", "-created_at"], name="nudge_program_idx"
            ),
            models.Index(fields=["claim"], name="nudge_claim_idx"),
        ]
