"""Programs: how an organisation turns reverse, classic or group mentoring into something people
can join. A program has a format, key areas, a timeline, a cadence, confidentiality guidelines,
capacity and eligibility, and moves through a lifecycle (``lifecycle.py``):

    draft → enrolling → matching → running → closing → closed

Playbooks pre-fill a program; built-in ones live in ``playbooks.py``, an organisation's own are
``Playbook`` rows. Applications and invitations live in the ``enrolment`` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.people.models import Department, Person, Topic


class Format(models.TextChoices):
    REVERSE = "reverse", "Reverse mentoring (1:1)"
    CLASSIC = "classic", "Classic mentoring (1:1)"
    CIRCLE = "circle", "Group mentoring circle"
    MULTIGENERATIONAL = "multigenerational", "Multigenerational circle"

    @property
    def is_circle(self) -> bool:
        return self in {Format.CIRCLE, Format.MULTIGENERATIONAL}


class Program(OrganisationScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENROLLING = "enrolling", "Enrolling"
        MATCHING = "matching", "Matching"
        RUNNING = "running", "Running"
        CLOSING = "closing", "Closing"
        CLOSED = "closed", "Closed"

    class EnrolmentMode(models.TextChoices):
        INVITATION = "invitation", "By invitation"
        OPEN = "open", "Open applications"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    format = models.CharField(max_length=32, choices=Format.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    key_areas = models.ManyToManyField(Topic, blank=True, related_name="programs")
    goals = models.TextField(blank=True)

    # Timeline (dates in the organisation's time zone).
    application_opens = models.DateField(null=True, blank=True)
    application_closes = models.DateField(null=True, blank=True)
    matching_date = models.DateField(null=True, blank=True)
    kickoff_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    # Expected cadence: a session every ``cadence_weeks`` weeks of ``session_minutes``.
    cadence_weeks = models.PositiveSmallIntegerField(default=2)
    session_minutes = models.PositiveSmallIntegerField(default=45)
    confidentiality_guidelines = models.TextField(blank=True)

    # Capacity: mentees per mentor for 1:1 formats; circle size range for circles; an optional
    # cap on participants beyond which applicants are waitlisted.
    mentees_per_mentor = models.PositiveSmallIntegerField(default=1)
    circle_min_size = models.PositiveSmallIntegerField(null=True, blank=True)
    circle_max_size = models.PositiveSmallIntegerField(null=True, blank=True)
    max_participants = models.PositiveIntegerField(null=True, blank=True)

    # Reverse mentoring: the mentor is at least this many levels below the mentee.
    min_level_gap = models.PositiveSmallIntegerField(default=2)

    enrolment_mode = models.CharField(
        max_length=16, choices=EnrolmentMode.choices, default=EnrolmentMode.INVITATION
    )
    requires_approval = models.BooleanField(default=True)
    notify_applicant_manager = models.BooleanField(default=False)

    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_programs"
    )
    playbook_key = models.CharField(max_length=100, blank=True)  # where it was pre-filled from
    # Checklist step key → ISO timestamp when the manager ticked it (see playbooks.CHECKLIST).
    checklist = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"], name="program_status_idx")]

    def __str__(self) -> str:
        return self.name


class EligibilityRule(OrganisationScopedModel):
    """Who may take one role in a program. Empty fields mean "no limit"; a person on the
    ``included`` list is eligible whatever the other fields say, one on ``excluded`` never is."""

    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="eligibility")
    role = models.CharField(max_length=16, choices=Role.choices)
    min_level = models.PositiveSmallIntegerField(null=True, blank=True)
    max_level = models.PositiveSmallIntegerField(null=True, blank=True)
    min_tenure_months = models.PositiveSmallIntegerField(null=True, blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    included = models.ManyToManyField(Person, blank=True, related_name="+")
    excluded = models.ManyToManyField(Person, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "role"], name="unique_eligibility_role"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.get_role_display()}"


class Playbook(OrganisationScopedModel):
    """An organisation's own template, saved from one of its programs. ``data`` holds the same
    keys as a built-in playbook in ``playbooks.py``."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    format = models.CharField(max_length=32, choices=Format.choices)
    data = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_playbook_name"),
        ]

    def __str__(self) -> str:
        return self.name
