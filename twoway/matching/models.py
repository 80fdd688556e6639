"""Matching runs for a program, their draft proposals, exclusions and self-service requests.

A ``MatchRun`` is one run of the engine (``twoway.matching.engine``) over the program's approved
applications, in the task worker, with its progress. Its ``Proposal`` rows are the draft a
manager reviews: a pair, or a circle, each with members, score, breakdown and reason; managers
lock, swap, remove and add proposals, re-run around the locked ones and publish, which creates
``twoway.mentorships`` rows. ``MatchRequest`` is the self-service path: a participant asks a
suggested mentor, who accepts or declines within the program's number of days.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.enrolment.models import Application
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.programs.models import Program


class MatchingSettings(OrganisationScopedModel):
    """How a program matches: one row per program, created with defaults when first needed."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="matching_settings"
    )
    # Criterion (engine ``Criterion`` value) → weight ("must", "high", "medium", "low", "off");
    # a criterion not listed takes the engine's default weight.
    weights = models.JSONField(default=dict, blank=True)
    min_shared_hours = models.PositiveSmallIntegerField(default=1)
    load_spreading = models.BooleanField(default=False)
    # Self-service: participants pick from suggestions and request a mentor themselves.
    self_service = models.BooleanField(default=False)
    request_days = models.PositiveSmallIntegerField(default=7)

    def __str__(self) -> str:
        return f"Matching settings of {self.program}"


class MatchRun(OrganisationScopedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        PAIRS = "pairs", "Pairs"
        CIRCLES = "circles", "Circles"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PAIRS)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    step = models.CharField(max_length=32, blank=True)  # the engine's current step
    progress = models.FloatField(default=0.0)  # 0 to 1
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The engine's summary: how many matched, how good, how far from the optimum at most.
    matched = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0.0)
    upper_bound = models.FloatField(default=0.0)
    participation_proven = models.BooleanField(default=False)
    seconds = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "program"], name="matchrun_program_idx")]

    def __str__(self) -> str:
        return f"Matching run {self.pk} of {self.program}"

    @property
    def gap(self) -> float:
        """At most this share below the best possible total score."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.total_score) / self.upper_bound)


class Proposal(OrganisationScopedModel):
    """One proposed pair or circle of a run."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0.0)
    breakdown = models.JSONField(default=dict, blank=True)  # criterion → 0..1
    reason = models.TextField(blank=True)
    locked = models.BooleanField(default=False)
    manual = models.BooleanField(default=False)  # added by a manager, not the engine
    warning = models.TextField(blank=True)  # what a manager was warned of when adding it

    class Meta:
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return f"Proposal {self.pk} of run {self.run_id}"


class ProposalMember(OrganisationScopedModel):
    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="members")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "application"], name="one_place_per_proposal"
            )
        ]


class UnmatchedEntry(OrganisationScopedModel):
    """A person a run could not place, with the rule that stopped them and the reason."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched_entries")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=32)  # engine ``Rule`` value
    reason = models.TextField()

    class Meta:
        ordering = ["id"]


class PairExclusion(OrganisationScopedModel):
    """Two people a manager said must never be matched in this program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusions")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person_a", "person_b"], name="one_exclusion_per_pair"
            )
        ]


class MatchRequest(OrganisationScopedModel):
    """Self-service: a mentee asks a suggested mentor; the mentor answers within the days set."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_requests")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    score = models.FloatField(default=0.0)
    reason = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    mentorship = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "program", "status"], name="matchrequest_idx"),
            models.Index(fields=["status", "expires_at"], name="matchrequest_expiry_idx"),
        ]
