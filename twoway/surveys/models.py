"""Surveys of a program: a mid-program check-in, an exit survey, or one a manager builds.

A survey is a list of questions (a scale, a choice among options, or free text). What people
answer is stored so that an anonymous survey is truly unlinkable (confidentiality rule 5):

- ``Response`` and ``Answer`` hold no reference to a user, person, membership, application or
  mentorship; their primary key is a random UUID (so neither an id nor its order tells who
  answered when) and the only date is the day (``submitted_on``), never a time.
- "Has responded" lives apart, in ``Respondent``: one row per survey and user, whose unique
  constraint is what refuses a second answer. Only for a named (not anonymous) survey does it
  point at the response; for an anonymous one ``response`` stays NULL (the service guarantees
  it, a check constraint cannot span two tables, and a test proves it). ``Respondent`` has a
  random key and a day too, so the order of its rows does not line up with the responses'.

What this does not hide: the database's own physical order of rows (SQLite's rowid, PostgreSQL's
heap order). Someone with raw access to the database files could line up the order in which
``Respondent`` and ``Response`` rows were written; nothing the application shows or exports
does.

Program managers see aggregates only, once enough people answered (``selectors``), and never an
individual's free text (confidentiality rule 1).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models

from twoway.core.models import Organisation, OrganisationScopedModel, OrganisationScopedQuerySet
from twoway.programs.models import Program

CHOICES_MIN, CHOICES_MAX = 2, 10
SCALE_LOWEST, SCALE_HIGHEST = 0, 10
TEXT_ANSWER_MAX_CHARS = 5_000


class Survey(OrganisationScopedModel):
    class Kind(models.TextChoices):
        CHECK_IN = "check_in", "Mid-program check-in"
        EXIT = "exit", "Exit survey"
        CUSTOM = "custom", "Custom survey"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone taking part"
        MENTEES = "mentees", "Mentees only"
        MENTORS = "mentors", "Mentors only"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CUSTOM)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    is_anonymous = models.BooleanField(default=True)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "program", "status"], name="survey_status_idx")
        ]

    def __str__(self) -> str:
        return self.title


class Question(OrganisationScopedModel):
    class Kind(models.TextChoices):
        SCALE = "scale", "A number on a scale"
        CHOICE = "choice", "One choice among options"
        TEXT = "text", "Free text"

    class Key(models.TextChoices):
        """What the dashboards read: the program's satisfaction and likelihood to recommend."""

        NONE = "", "—"
        SATISFACTION = "satisfaction", "Satisfaction (1 to 5)"
        RECOMMEND = "recommend", "Likelihood to recommend (0 to 10)"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=300)
    help = models.CharField(max_length=300, blank=True)
    choices = models.JSONField(default=list, blank=True)  # the options of a choice question
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    required = models.BooleanField(default=True)
    key = models.CharField(max_length=16, choices=Key.choices, default=Key.NONE, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organisation", "key"], name="question_key_idx")]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        """The name of this question's input on the answer form and in refusals."""
        return f"q{self.pk}"

    @property
    def scale_values(self) -> list[int]:
        if self.scale_min is None or self.scale_max is None:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


def _random_key() -> uuid.UUID:
    return uuid.uuid4()


class Response(models.Model):
    """One person's answers to a survey, without anything that says who (see the module)."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()

    objects: ClassVar[OrganisationScopedQuerySet] = OrganisationScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        indexes = [models.Index(fields=["organisation", "survey"], name="response_survey_idx")]

    def __str__(self) -> str:
        return f"Response to survey {self.survey_id}"


class Answer(models.Model):
    """One answer of a response: ``number`` for a scale, ``choice`` for a choice (the option's
    text), ``text`` for free text."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    objects: ClassVar[OrganisationScopedQuerySet] = OrganisationScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]
        indexes = [models.Index(fields=["question", "number"], name="answer_number_idx")]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class Respondent(models.Model):
    """That ``user`` answered ``survey`` (and on which day). The unique constraint refuses a
    second answer. ``response`` is set for named surveys only."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_respondents"
    )
    responded_on = models.DateField()
    # Named surveys only; always NULL for an anonymous survey (see the module docstring).
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[OrganisationScopedQuerySet] = OrganisationScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_response_per_person")
        ]

    def __str__(self) -> str:
        return f"Respondent to survey {self.survey_id}"
