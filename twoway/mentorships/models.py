"""Mentorships: a pair or a circle that works together in a program.

Published matches (``twoway.matching``) and accepted self-service requests create them; the
rooms issue builds agreements, sessions, notes and goals on top. Members are directory people
(a ``Person``), with the user when they have an account, so a mentorship can exist before
everyone has signed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.people.models import Person
from twoway.programs.models import Program


class Mentorship(OrganisationScopedModel):
    class Kind(models.TextChoices):
        PAIR = "pair", "Pair"
        CIRCLE = "circle", "Circle"

    class Status(models.TextChoices):
        AGREEMENT_PENDING = "agreement_pending", "Agreement pending"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    class Origin(models.TextChoices):
        MATCHING = "matching", "Matched by the program managers"
        REQUEST = "request", "Requested by a participant"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentorships")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.AGREEMENT_PENDING
    )
    origin = models.CharField(max_length=16, choices=Origin.choices)
    started_at = models.DateTimeField()
    # The last day of the mentorship: the program's end unless a manager extended it.
    ends_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # completed or ended early
    # The match that made it: score and plain-language reason, kept for the members' room.
    score = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "program", "status"], name="mentorship_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.program}"


class MentorshipMember(OrganisationScopedModel):
    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentorship_roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "person"], name="one_membership_per_mentorship"
            )
        ]
        indexes = [models.Index(fields=["organisation", "person"], name="mentorship_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class MentorshipEnding(OrganisationScopedModel):
    """A member ended the mentorship early. No-fault: the others see only "ended"; the reason is
    readable by the member who wrote it and nobody else (confidentiality rule 6). Managers see
    that the person asked to be matched again, never why the mentorship ended."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="ending")
    ended_by = models.ForeignKey(MentorshipMember, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(blank=True)
    rematch_requested = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Ending of mentorship {self.mentorship_id}"
