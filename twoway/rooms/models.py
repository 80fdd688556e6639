"""Mentorship Rooms: where a pair or a circle does the work.

A room belongs to one ``Mentorship`` and holds its two-way agreement, sessions (with agendas,
attendance and a one-click pulse per member), notes, action items and goals. Everything here
except dates, counts and statuses is *content*: its members read it (private notes, pulse
reflections: only their author), program managers and admins never do (confidentiality rules
1, 2 and 6 in the design brief). Selectors in this app enforce that; the admin shows no content.

Times are stored in UTC; each viewer sees their own zone.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.models import Program

NOTE_MAX_CHARS = 20_000
TEXT_MAX_CHARS = 4_000


class Agreement(OrganisationScopedModel):
    """The two-way agreement made at kickoff. Every edit raises ``version``; the agreement holds
    when every member has accepted the current version (``MemberStatement.accepted_version``)."""

    mentorship = models.OneToOneField(
        Mentorship, on_delete=models.CASCADE, related_name="agreement"
    )
    rhythm_weeks = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    # Copied from the program when the agreement is drafted, so a later edit of the program's
    # guidelines does not change what the members accepted.
    confidentiality = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    agreed_at = models.DateTimeField(null=True, blank=True)  # all members accepted ``version``

    def __str__(self) -> str:
        return f"Agreement of mentorship {self.mentorship_id} (v{self.version})"


class MemberStatement(OrganisationScopedModel):
    """What one member wants to learn and offers (goals are not mentee-only), and their
    acceptance of the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="statements")
    member = models.OneToOneField(
        MentorshipMember, on_delete=models.CASCADE, related_name="statement"
    )
    wants_to_learn = models.TextField(blank=True)
    offers = models.TextField(blank=True)
    accepted_version = models.PositiveIntegerField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member__role", "member_id"]

    def __str__(self) -> str:
        return f"Statement of member {self.member_id}"


class SessionSeries(OrganisationScopedModel):
    """A recurring series: ``count`` sessions every ``every_weeks`` weeks at the same wall-clock
    time in ``time_zone`` (so 09:00 stays 09:00 across a daylight-saving change)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="series")
    every_weeks = models.PositiveSmallIntegerField()
    count = models.PositiveSmallIntegerField()
    time_zone = models.CharField(max_length=64)
    rrule = models.CharField(max_length=200)  # RFC 5545 RRULE, as sent in invitations

    def __str__(self) -> str:
        return f"Series of mentorship {self.mentorship_id}"


class Session(OrganisationScopedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    series = models.ForeignKey(
        SessionSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    place = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # iCalendar identity: the UID stays, SEQUENCE rises on every reschedule or cancellation so
    # calendar clients replace the event instead of adding a second one.
    uid = models.CharField(max_length=100, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "mentorship", "starts_at"], name="session_time_idx"
            )
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} of mentorship {self.mentorship_id}"


class Attendance(OrganisationScopedModel):
    """Who came to a session (kept for circles; a pair's sessions need no register)."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(MentorshipMember, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_member")
        ]


class AgendaTemplate(OrganisationScopedModel):
    """An organisation's own agenda template, or a program's when ``program`` is set. The
    built-in library lives in code (``rooms.agendas``)."""

    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_templates"
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    items = models.JSONField(default=list)  # list of item texts, in order

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(OrganisationScopedModel):
    """One line of the agenda attached to a session, ticked off during it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        MentorshipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]


class Note(OrganisationScopedModel):
    """A note in the room, or on one session. Private: its author only. Shared: the members."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private — only me"
        SHARED = "shared", "Shared with the members"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="notes")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(MentorshipMember, on_delete=models.CASCADE, related_name="notes")
    visibility = models.CharField(max_length=16, choices=Visibility.choices)
    body = models.TextField()  # Markdown as written
    body_html = models.TextField()  # rendered and sanitised on save; shown as is

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "mentorship", "visibility", "created_at"],
                name="note_room_idx",
            )
        ]


class ActionItem(OrganisationScopedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="actions")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        MentorshipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        MentorshipMember, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["status", "due_on", "id"]
        indexes = [
            models.Index(fields=["organisation", "mentorship", "status"], name="action_room_idx")
        ]


class Goal(OrganisationScopedModel):
    """A member's goal. Progress is a percent or a list of milestones. Program managers see only
    the mentorship's goal status (on track / behind / done), never a title or an update."""

    class Measure(models.TextChoices):
        PERCENT = "percent", "Percent"
        MILESTONES = "milestones", "Milestones"

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        BEHIND = "behind", "Behind"
        DONE = "done", "Done"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    member = models.ForeignKey(MentorshipMember, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.CharField(max_length=16, choices=Measure.choices, default=Measure.PERCENT)
    percent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ON_TRACK)
    target_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["member_id", "id"]


class Milestone(OrganisationScopedModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]


class GoalUpdate(OrganisationScopedModel):
    """One entry in a goal's history: the progress and status after it, with an optional note."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(MentorshipMember, on_delete=models.CASCADE, related_name="+")
    percent = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    status = models.CharField(max_length=16, choices=Goal.Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Pulse(OrganisationScopedModel):
    """A member's answer to "how useful was this session?" (1 to 5), with an optional
    reflection that only its author reads. Ratings feed program health as aggregates only."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulses")
    member = models.ForeignKey(MentorshipMember, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reflection = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_pulse_per_member"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="pulse_rating_1_to_5"
            ),
        ]


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(OrganisationScopedModel):
    """A user's secret calendar URL for one organisation's sessions. Revoking deletes the row;
    a new one gets a new token, so an old URL answers 404 from then on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_feed_per_user")
        ]
