"""Writes of surveys: building one (from a built-in template or blank), opening it to its
audience (who are notified with a link, never a question), closing it, and answering it.

A survey's questions change only while it is a draft: once people may answer, changing a
question would mix answers to different questions. Answering is all or nothing in one
transaction; the ``Respondent`` row, unique per survey and person, is what refuses a second
answer, even from two requests at once. For an anonymous survey nothing written links the
answers to the person (see ``models``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.notifications.models import Kind
from twoway.notifications.services import Draft, notifications_send
from twoway.programs.access import managed_filter
from twoway.programs.models import Program
from twoway.surveys import selectors
from twoway.surveys.builtins import BUILTINS
from twoway.surveys.models import (
    CHOICES_MAX,
    CHOICES_MIN,
    SCALE_HIGHEST,
    SCALE_LOWEST,
    TEXT_ANSWER_MAX_CHARS,
    Answer,
    Question,
    Respondent,
    Response,
    Survey,
)

ALREADY_ANSWERED = "You have already answered this survey."
KEYED_SCALES = {Question.Key.SATISFACTION: (1, 5), Question.Key.RECOMMEND: (0, 10)}


class AnswersRefused(ApplicationError):
    """Some answers were refused; ``errors`` maps each question's field name to its reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first = next(iter(errors.items()))
        more = f" ({len(errors) - 1} more below)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}", extra={"field": first_field, "errors": errors})
        self.errors = errors


# --- Building ------------------------------------------------------------------------------------


def _check_manager(actor: Membership, program: Program) -> None:
    managed = (
        Program.objects.for_organisation(actor.organisation)
        .filter(pk=program.pk)
        .filter(managed_filter(actor))
    )
    if program.organisation_id != actor.organisation_id or not managed.exists():
        raise ApplicationError("Only the program's managers can change its surveys.")


def _check_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ApplicationError(
            f"This survey is {survey.get_status_display().lower()}: its questions and settings "
            "can no longer change, since people may already have answered them."
        )


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ApplicationError("Title: give the survey a title.", extra={"field": "title"})
    if len(title) > 200:
        raise ApplicationError(
            f"Title: at most 200 characters; this one has {len(title)}.", extra={"field": "title"}
        )
    return title


@transaction.atomic
def survey_create(
    *, actor: Membership, program: Program, template: str = "", title: str = ""
) -> Survey:
    """A draft survey of ``program``: a copy of the built-in ``template`` or, without one, a
    blank survey called ``title``."""
    _check_manager(actor, program)
    data: dict[str, Any] = {"kind": Survey.Kind.CUSTOM, "title": title, "questions": []}
    if template:
        if template not in BUILTINS:
            raise ApplicationError(
                "Template: choose one of the templates offered.", extra={"field": "template"}
            )
        data = BUILTINS[template]
        title = title.strip() or str(data["title"])
    survey = Survey(
        organisation=program.organisation,
        program=program,
        kind=data["kind"],
        title=_check_title(title),
        intro=str(data.get("intro", "")),
    )
    survey.full_clean()
    survey.save()
    for spec in data["questions"]:
        _question_save(
            Question(survey=survey, organisation=survey.organisation),
            kind=spec["kind"],
            text=spec["text"],
            help=spec.get("help", ""),
            choices=spec.get("choices", ()),
            scale_min=spec.get("scale_min"),
            scale_max=spec.get("scale_max"),
            required=spec.get("required", True),
            key=spec.get("key", ""),
        )
    return survey


@transaction.atomic
def survey_update(
    *,
    actor: Membership,
    survey: Survey,
    title: str,
    intro: str,
    is_anonymous: bool,
    audience: str,
) -> Survey:
    _check_manager(actor, survey.program)
    _check_draft(survey)
    if audience not in Survey.Audience.values:
        raise ApplicationError(
            "Who answers: choose one of "
            + ", ".join(label.lower() for label in Survey.Audience.labels)
            + ".",
            extra={"field": "audience"},
        )
    survey.title = _check_title(title)
    survey.intro = intro.strip()
    survey.is_anonymous = is_anonymous
    survey.audience = audience
    survey.full_clean()
    survey.save(update_fields=["title", "intro", "is_anonymous", "audience", "updated_at"])
    return survey


@transaction.atomic
def survey_delete(*, actor: Membership, survey: Survey) -> None:
    """A draft survey goes away; an open or closed one holds answers and stays."""
    _check_manager(actor, survey.program)
    if survey.status != Survey.Status.DRAFT:
        raise ApplicationError(
            "Only a draft survey can be deleted; this one has been opened to people. "
            "Close it instead."
        )
    survey.delete()


def _question_save(
    question: Question,
    *,
    kind: str,
    text: str,
    help: str,
    choices: Sequence[str],
    scale_min: int | None,
    scale_max: int | None,
    required: bool,
    key: str = "",
) -> Question:
    text = " ".join(text.split())
    if not text:
        raise ApplicationError("Question: write the question.", extra={"field": "text"})
    if len(text) > 300:
        raise ApplicationError(
            f"Question: at most 300 characters; this one has {len(text)}.",
            extra={"field": "text"},
        )
    help = " ".join(help.split())
    if len(help) > 300:
        raise ApplicationError(
            f"Help: at most 300 characters; this one has {len(help)}.", extra={"field": "help"}
        )
    if kind not in Question.Kind.values:
        raise ApplicationError(
            "Kind: choose a scale, a choice or free text.", extra={"field": "kind"}
        )
    options: list[str] = []
    low: int | None = None
    high: int | None = None
    if kind == Question.Kind.CHOICE:
        options = [" ".join(c.split()) for c in choices if c.strip()]
        if len(options) < CHOICES_MIN or len(options) > CHOICES_MAX:
            raise ApplicationError(
                f"Options: give between {CHOICES_MIN} and {CHOICES_MAX} options, one a line; "
                f"there are {len(options)}.",
                extra={"field": "choices"},
            )
        if len({o.casefold() for o in options}) != len(options):
            raise ApplicationError(
                "Options: each option must be different.", extra={"field": "choices"}
            )
        too_long = [o for o in options if len(o) > 200]
        if too_long:
            raise ApplicationError(
                "Options: each option has at most 200 characters.", extra={"field": "choices"}
            )
    elif kind == Question.Kind.SCALE:
        if scale_min is None or scale_max is None:
            raise ApplicationError(
                "Scale: give its lowest and highest number.", extra={"field": "scale_min"}
            )
        low, high = scale_min, scale_max
        if not SCALE_LOWEST <= low < high <= SCALE_HIGHEST:
            raise ApplicationError(
                f"Scale: the lowest number must be below the highest, both from {SCALE_LOWEST} "
                f"to {SCALE_HIGHEST}; you gave {low} to {high}.",
                extra={"field": "scale_min"},
            )
    if key:
        if key not in KEYED_SCALES or kind != Question.Kind.SCALE:
            raise ApplicationError("This question feeds the program's dashboard: keep it a scale.")
        if (low, high) != KEYED_SCALES[Question.Key(key)]:
            expected = KEYED_SCALES[Question.Key(key)]
            raise ApplicationError(
                f"Scale: this question feeds the program's dashboard, so its scale stays "
                f"{expected[0]} to {expected[1]}.",
                extra={"field": "scale_min"},
            )
    question.kind = kind
    question.text = text
    question.help = help
    question.choices = options
    question.scale_min, question.scale_max = low, high
    question.required = required
    question.key = key
    if question.pk is None:
        last = Question.objects.filter(survey_id=question.survey_id).aggregate(m=Max("position"))
        question.position = (last["m"] + 1) if last["m"] is not None else 0
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_add(
    *,
    actor: Membership,
    survey: Survey,
    kind: str,
    text: str,
    help: str = "",
    choices: Sequence[str] = (),
    scale_min: int | None = None,
    scale_max: int | None = None,
    required: bool = True,
) -> Question:
    _check_manager(actor, survey.program)
    _check_draft(survey)
    return _question_save(
        Question(survey=survey, organisation=survey.organisation),
        kind=kind,
        text=text,
        help=help,
        choices=choices,
        scale_min=scale_min,
        scale_max=scale_max,
        required=required,
    )


@transaction.atomic
def question_update(
    *,
    actor: Membership,
    question: Question,
    kind: str,
    text: str,
    help: str = "",
    choices: Sequence[str] = (),
    scale_min: int | None = None,
    scale_max: int | None = None,
    required: bool = True,
) -> Question:
    survey = question.survey
    _check_manager(actor, survey.program)
    _check_draft(survey)
    return _question_save(
        question,
        kind=kind,
        text=text,
        help=help,
        choices=choices,
        scale_min=scale_min,
        scale_max=scale_max,
        required=required,
        key=question.key,
    )


@transaction.atomic
def question_delete(*, actor: Membership, question: Question) -> None:
    survey = question.survey
    _check_manager(actor, survey.program)
    _check_draft(survey)
    question.delete()


@transaction.atomic
def question_move(*, actor: Membership, question: Question, up: bool) -> None:
    """Swap ``question`` with the one before it (``up``) or after it; at either end, nothing."""
    survey = question.survey
    _check_manager(actor, survey.program)
    _check_draft(survey)
    questions = selectors.questions_of(survey=survey)
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions):
        q.position = position
    Question.objects.bulk_update(questions, ["position"])


# --- Opening and closing -------------------------------------------------------------------------


def answer_path(survey: Survey) -> str:
    return reverse(
        "surveys:answer",
        kwargs={"org_slug": survey.organisation.slug, "survey_id": survey.pk},
    )


@transaction.atomic
def survey_open(*, actor: Membership, survey: Survey) -> Survey:
    """People in the audience may now answer; each is notified (the program's name and a link:
    no question, nothing anyone wrote)."""
    _check_manager(actor, survey.program)
    _check_draft(survey)
    if not Question.objects.filter(survey=survey).exists():
        raise ApplicationError("Add at least one question before opening the survey.")
    survey.status = Survey.Status.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    url = answer_path(survey)
    title = f"A survey about {survey.program.name} is open"
    notifications_send(
        organisation=survey.organisation,
        drafts=[
            Draft(user_id=user_id, kind=Kind.SURVEY, title=title, url=url)
            for user_id in selectors.audience_user_ids(survey=survey)
        ],
    )
    return survey


@transaction.atomic
def survey_close(*, actor: Membership, survey: Survey) -> Survey:
    _check_manager(actor, survey.program)
    if survey.status != Survey.Status.OPEN:
        raise ApplicationError("Only an open survey can be closed.")
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    return survey


# --- Answering -----------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _checked_answer(question: Question, value: Any) -> Answer | str | None:
    """The answer to store, None for a skipped optional question, or the reason it is refused."""
    name = f"“{question.text}”"
    if _blank(value):
        if not question.required:
            return None
        if question.kind == Question.Kind.TEXT:
            return f"{name}: write an answer; this question is required."
        return f"{name}: choose an answer; this question is required."
    if question.kind == Question.Kind.SCALE:
        low, high = question.scale_min, question.scale_max
        if isinstance(value, bool):
            return f"{name}: give a whole number from {low} to {high}."
        try:
            number = int(str(value).strip())
        except ValueError:
            return f"{name}: give a whole number from {low} to {high}."
        if low is None or high is None or not low <= number <= high:
            return f"{name}: choose a number from {low} to {high}; {number} is outside the scale."
        return Answer(question=question, number=number)
    if question.kind == Question.Kind.CHOICE:
        choice = str(value).strip()
        if choice not in question.choices:
            return f"{name}: choose one of the options offered."
        return Answer(question=question, choice=choice)
    text = str(value).strip()
    if len(text) > TEXT_ANSWER_MAX_CHARS:
        return (
            f"{name}: at most {TEXT_ANSWER_MAX_CHARS:,} characters; this answer has {len(text):,}."
        )
    return Answer(question=question, text=text)


@transaction.atomic
def response_submit(
    *, membership: Membership, survey: Survey, answers: Mapping[int, Any]
) -> Response:
    """Record ``membership``'s answers (question id → value) to ``survey``, all or none.

    Refused: a survey that is not open, a person outside its audience, a second answer
    (``ALREADY_ANSWERED``; code ``already_answered``), and bad answers (``AnswersRefused``,
    naming every question at fault)."""
    if survey.organisation_id != membership.organisation_id or not selectors.may_answer(
        membership=membership, survey=survey
    ):
        raise ApplicationError("This survey is for other participants.")
    if survey.status != Survey.Status.OPEN:
        raise ApplicationError("This survey is closed: it no longer takes answers.")
    if selectors.has_answered(survey=survey, user_id=membership.user_id):
        raise ApplicationError(ALREADY_ANSWERED, extra={"code": "already_answered"})
    questions = selectors.questions_of(survey=survey)
    known = {q.pk for q in questions}
    errors: dict[str, str] = {}
    unknown = sorted(str(k) for k in answers if k not in known)
    if unknown:
        errors["answers"] = "Not questions of this survey: " + ", ".join(unknown) + "."
    rows: list[Answer] = []
    for question in questions:
        checked = _checked_answer(question, answers.get(question.pk))
        if isinstance(checked, str):
            errors[question.field_name] = checked
        elif checked is not None:
            rows.append(checked)
    if errors:
        raise AnswersRefused(errors)
    # The UTC day, not the person's: their time zone could narrow down who they are.
    today = timezone.now().date()
    try:
        with transaction.atomic():
            respondent = Respondent.objects.create(
                organisation_id=survey.organisation_id,
                survey=survey,
                user_id=membership.user_id,
                responded_on=today,
            )
    except IntegrityError:
        raise ApplicationError(ALREADY_ANSWERED, extra={"code": "already_answered"}) from None
    response = Response.objects.create(
        organisation_id=survey.organisation_id, survey=survey, submitted_on=today
    )
    for answer in rows:
        answer.organisation_id = survey.organisation_id
        answer.response = response
    Answer.objects.bulk_create(rows)
    if not survey.is_anonymous:
        respondent.response = response
        respondent.save(update_fields=["response"])
    return response
