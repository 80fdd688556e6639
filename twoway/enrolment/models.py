"""Invitations and applications to programs, the application questionnaire, and diversity
data kept apart with per-purpose consent.

An ``Application`` is the participant's profile for one program: the role they offer, what they
can share and want to learn, interests, goals, a scored working-style instrument (TIPI), a weekly
availability grid (stored in UTC), meeting mode and languages, plus answers to the program's own
``CustomQuestion``s. ``DiversityResponse`` lives in its own table, keyed to the application, and
is read only by code that aggregates it (see ``diversity.py``): never on a page, an export or an
API response as an individual value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.people.models import Person, Topic
from twoway.programs.models import Program

HOURS_PER_WEEK = 168


class Invitation(OrganisationScopedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Invited"
        ACCEPTED = "accepted", "Applied"
        DECLINED = "declined", "Declined"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    # The secret in the emailed link; it only opens the landing page for the signed-in invitee.
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="unique_invitation"),
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.program}"


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    EITHER = "either", "Either — mentor or mentee"


class MeetingMode(models.TextChoices):
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    EITHER = "either", "Either"


class Application(OrganisationScopedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WAITLISTED = "waitlisted", "On the waiting list"
        WITHDRAWN = "withdrawn", "Withdrawn"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # When a freed place took the application off the waiting list (see ``services``).
    promoted_at = models.DateTimeField(null=True, blank=True)

    # The questionnaire.
    shares = models.ManyToManyField(Topic, blank=True, related_name="+")
    learns = models.ManyToManyField(Topic, blank=True, related_name="+")
    interests = models.ManyToManyField(Topic, blank=True, related_name="+")
    goals = models.TextField(blank=True)
    # Ten-Item Personality Inventory: the ten answers (1-7) and the Big Five scores (1.0-7.0).
    tipi_answers = models.JSONField(default=list)
    extraversion = models.FloatField(null=True, blank=True)
    agreeableness = models.FloatField(null=True, blank=True)
    conscientiousness = models.FloatField(null=True, blank=True)
    emotional_stability = models.FloatField(null=True, blank=True)
    openness = models.FloatField(null=True, blank=True)
    # One character per hour of the week in UTC, Monday 00:00 UTC first: "1" available, "0" not.
    availability_utc = models.CharField(max_length=HOURS_PER_WEEK, default="0" * HOURS_PER_WEEK)
    time_zone = models.CharField(max_length=64, default="UTC")  # the zone the grid was filled in
    meeting_mode = models.CharField(
        max_length=16, choices=MeetingMode.choices, default=MeetingMode.EITHER
    )
    languages = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="unique_application"),
        ]
        indexes = [
            models.Index(fields=["program", "status", "role"], name="application_status_idx"),
            models.Index(fields=["user", "organisation"], name="application_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.program}"

    @property
    def available_hours(self) -> int:
        return self.availability_utc.count("1")


class CustomQuestion(OrganisationScopedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        SCALE = "scale", "Scale"
        TEXT = "text", "Text"

    class Weight(models.TextChoices):
        MUST = "must", "Must match"
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"
        OFF = "off", "Not used"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    choices = models.JSONField(default=list, blank=True)  # the options of a choice question
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    required = models.BooleanField(default=False)
    used_for_matching = models.BooleanField(default=False)
    weight = models.CharField(max_length=8, choices=Weight.choices, default=Weight.OFF)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class CustomAnswer(OrganisationScopedModel):
    """One answer: a string (single choice, text), a list of strings (multiple choice) or an
    integer (scale)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CustomQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="unique_answer"),
        ]


class DiversityResponse(OrganisationScopedModel):
    """Optional, self-described diversity data for one application, with consent per purpose.

    Kept apart from the application (no reverse accessor: ``related_name="+"``), so no page,
    serializer or export that walks an application can reach it by accident. A response with
    neither consent is not stored at all.
    """

    class AgeBand(models.TextChoices):
        UNDER_25 = "under_25", "Under 25"
        FROM_25 = "25_34", "25-34"
        FROM_35 = "35_44", "35-44"
        FROM_45 = "45_54", "45-54"
        FROM_55 = "55_64", "55-64"
        FROM_65 = "65_plus", "65 or over"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="+")
    erg_memberships = models.JSONField(default=list, blank=True)
    gender = models.CharField(max_length=100, blank=True)
    age_band = models.CharField(max_length=16, choices=AgeBand.choices, blank=True)
    ethnicity = models.CharField(max_length=200, blank=True)
    consent_matching = models.BooleanField(default=False)
    consent_reporting = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Diversity response #{self.pk}"  # never the values
