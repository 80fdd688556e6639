"""Reads of surveys.

Who may answer a survey: the participants of its program — an approved application to it or a
seat in one of its mentorships (whatever the mentorship's status: the exit survey wants to hear
from those who ended early too) — in the survey's audience (a mentor by a mentor seat or an
application as mentor or "either", a mentee likewise). Who may build it and read its results:
the program's managers and the organisation's admins. Anyone else gets the same 404 as for a
survey that does not exist.

Results are aggregates only and appear once ``MIN_GROUP`` people answered; free text is shown
for anonymous surveys only, in random order, and never for a named survey (confidentiality
rule 1: managers never read what one identifiable person wrote).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from twoway.core.models import Membership
from twoway.enrolment.models import Application
from twoway.enrolment.models import Role as ApplicationRole
from twoway.insights.suppression import MIN_GROUP
from twoway.mentorships.models import MentorshipMember
from twoway.programs.models import Program
from twoway.programs.selectors import program_list_managed
from twoway.surveys.models import Answer, Question, Respondent, Response, Survey

TEXT_ANSWERS_SHOWN = 200  # per question, on the results page
RECOMMEND_VALUES = range(0, 11)
SATISFACTION_VALUES = range(1, 6)


def _surveys(membership: Membership) -> QuerySet[Survey]:
    surveys: QuerySet[Survey] = Survey.objects.for_organisation(membership.organisation)
    return surveys


# --- Who may answer ------------------------------------------------------------------------------


def _roles_q(*, organisation_id: int, user_id: int, program_ref: Any) -> tuple[Q, Q]:
    """Filters true when the user takes part in ``program_ref`` as a mentor, as a mentee."""
    seats = MentorshipMember.objects.filter(
        organisation_id=organisation_id, person__user_id=user_id, mentorship__program=program_ref
    )
    applications = Application.objects.filter(
        organisation_id=organisation_id,
        user_id=user_id,
        status=Application.Status.APPROVED,
        program=program_ref,
    )
    as_mentor = Q(Exists(seats.filter(role=MentorshipMember.Role.MENTOR))) | Q(
        Exists(applications.filter(role__in=[ApplicationRole.MENTOR, ApplicationRole.EITHER]))
    )
    as_mentee = Q(Exists(seats.filter(role=MentorshipMember.Role.MENTEE))) | Q(
        Exists(applications.filter(role__in=[ApplicationRole.MENTEE, ApplicationRole.EITHER]))
    )
    return as_mentor, as_mentee


def _may_answer_q(membership: Membership) -> Q:
    """Surveys (of ``membership``'s organisation) whose audience includes the member."""
    as_mentor, as_mentee = _roles_q(
        organisation_id=membership.organisation_id,
        user_id=membership.user_id,
        program_ref=OuterRef("program"),
    )
    return (
        (Q(audience=Survey.Audience.EVERYONE) & (as_mentor | as_mentee))
        | (Q(audience=Survey.Audience.MENTORS) & as_mentor)
        | (Q(audience=Survey.Audience.MENTEES) & as_mentee)
    )


def survey_list_open_for_member(*, membership: Membership) -> QuerySet[Survey]:
    """Open surveys the member may answer, newest first, each with ``answered`` (one query)."""
    answered = Respondent.objects.filter(survey=OuterRef("pk"), user_id=membership.user_id)
    return (
        _surveys(membership)
        .filter(status=Survey.Status.OPEN)
        .filter(_may_answer_q(membership))
        .annotate(answered=Exists(answered))
        .select_related("program")
        .order_by("-opened_at", "-id")
    )


def survey_get_for_respondent(*, membership: Membership, survey_id: int) -> Survey:
    """An open or closed survey the member is in the audience of, else 404 (a draft is
    nobody's to answer yet)."""
    survey = (
        Survey.objects.for_organisation(membership.organisation)
        .exclude(status=Survey.Status.DRAFT)
        .filter(_may_answer_q(membership))
        .select_related("program")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def may_answer(*, membership: Membership, survey: Survey) -> bool:
    return (
        Survey.objects.for_organisation(membership.organisation)
        .filter(pk=survey.pk)
        .filter(_may_answer_q(membership))
        .exists()
    )


def has_answered(*, survey: Survey, user_id: int) -> bool:
    return Respondent.objects.filter(survey=survey, user_id=user_id).exists()


def audience_users(*, survey: Survey) -> QuerySet[Any]:
    """The active members of the organisation in the survey's audience (one query)."""
    organisation_id = survey.organisation_id
    seats = MentorshipMember.objects.filter(
        organisation_id=organisation_id,
        mentorship__program_id=survey.program_id,
        person__user__isnull=False,
    )
    applications = Application.objects.filter(
        organisation_id=organisation_id,
        program_id=survey.program_id,
        status=Application.Status.APPROVED,
    )
    if survey.audience == Survey.Audience.MENTORS:
        seats = seats.filter(role=MentorshipMember.Role.MENTOR)
        applications = applications.filter(
            role__in=[ApplicationRole.MENTOR, ApplicationRole.EITHER]
        )
    elif survey.audience == Survey.Audience.MENTEES:
        seats = seats.filter(role=MentorshipMember.Role.MENTEE)
        applications = applications.filter(
            role__in=[ApplicationRole.MENTEE, ApplicationRole.EITHER]
        )
    return get_user_model().objects.filter(
        Q(pk__in=seats.values("person__user_id")) | Q(pk__in=applications.values("user_id")),
        memberships__organisation_id=organisation_id,
        memberships__is_active=True,
    )


def audience_user_ids(*, survey: Survey) -> list[int]:
    return sorted(audience_users(survey=survey).values_list("pk", flat=True))


# --- Managers ------------------------------------------------------------------------------------


def _count(model: Any, **filters: Any) -> Any:
    rows = (
        model.objects.filter(**filters)
        .order_by()
        .values("survey_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def survey_list_for_program(*, program: Program) -> QuerySet[Survey]:
    """The program's surveys, newest first, with ``question_count`` and ``response_count``."""
    surveys: QuerySet[Survey] = Survey.objects.for_organisation(program.organisation)
    return (
        surveys.filter(program=program)
        .annotate(
            question_count=_count(Question, survey=OuterRef("pk")),
            response_count=_count(Response, survey=OuterRef("pk")),
        )
        .order_by("-created_at", "-id")
    )


def survey_get_for_manager(*, membership: Membership, survey_id: int) -> Survey:
    """A survey of a program the member manages (admins: any), else 404."""
    survey = (
        _surveys(membership)
        .filter(program__in=program_list_managed(membership=membership).values("pk"))
        .select_related("program", "organisation")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def question_get_for_manager(*, survey: Survey, question_id: int) -> Question:
    question = Question.objects.filter(survey=survey, pk=question_id).first()
    if question is None:
        raise Http404
    return question


def questions_of(*, survey: Survey) -> list[Question]:
    return list(Question.objects.filter(survey=survey).order_by("position", "id"))


# --- Results -------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    texts_total: int = 0


@dataclass
class SurveyResults:
    survey: Survey
    response_count: int
    audience_size: int
    questions: list[QuestionResult] = field(default_factory=list)
    min_group: int = MIN_GROUP

    @property
    def shown(self) -> bool:
        return self.response_count >= self.min_group

    @property
    def response_rate(self) -> int | None:
        """Percent of the audience who answered (None with nobody in the audience)."""
        if not self.audience_size:
            return None
        return round(100 * self.response_count / self.audience_size)

    @property
    def shows_text(self) -> bool:
        return self.shown and self.survey.is_anonymous


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def survey_results(*, survey: Survey) -> SurveyResults:
    """What a manager may see of ``survey``'s answers, in a fixed number of queries whatever the
    number of questions and responses: counts, and once ``MIN_GROUP`` people answered, the
    distribution of each scale and choice question (with a scale's mean) and, for an anonymous
    survey only, its free text in random order."""
    results = SurveyResults(
        survey=survey,
        response_count=Response.objects.filter(survey=survey).count(),
        audience_size=audience_users(survey=survey).count(),
    )
    if not results.shown:
        return results
    questions = questions_of(survey=survey)
    counts: dict[int, dict[Any, int]] = defaultdict(dict)
    aggregate = (
        Answer.objects.filter(organisation_id=survey.organisation_id, question__survey=survey)
        .values_list("question_id", "number", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for question_id, number, choice, n in aggregate:
        value = number if number is not None else choice
        counts[question_id][value] = counts[question_id].get(value, 0) + n
    texts: dict[int, list[str]] = defaultdict(list)
    if results.shows_text:
        rows = Answer.objects.filter(
            organisation_id=survey.organisation_id,
            question__survey=survey,
            question__kind=Question.Kind.TEXT,
        ).values_list("question_id", "text")
        for question_id, text in rows:
            if text:
                texts[question_id].append(text)
    for question in questions:
        by_value = counts.get(question.pk, {})
        result = QuestionResult(question=question)
        if question.kind == Question.Kind.SCALE:
            values = question.scale_values
            result.answered = sum(by_value.get(v, 0) for v in values)
            result.rows = [
                Row(str(v), by_value.get(v, 0), _percent(by_value.get(v, 0), result.answered))
                for v in values
            ]
            if result.answered:
                total = sum(v * by_value.get(v, 0) for v in values)
                result.mean = round(total / result.answered, 1)
        elif question.kind == Question.Kind.CHOICE:
            result.answered = sum(by_value.get(c, 0) for c in question.choices)
            result.rows = [
                Row(c, by_value.get(c, 0), _percent(by_value.get(c, 0), result.answered))
                for c in question.choices
            ]
        else:
            shuffled = texts.get(question.pk, [])
            random.shuffle(shuffled)
            result.answered = len(shuffled)
            result.texts_total = len(shuffled)
            result.texts = shuffled[:TEXT_ANSWERS_SHOWN]
        results.questions.append(result)
    return results


# --- Dashboards ----------------------------------------------------------------------------------


def _keyed_answers(*, key: str, programs: Iterable[int]) -> QuerySet[Answer]:
    return Answer.objects.filter(
        question__key=key,
        question__kind=Question.Kind.SCALE,
        question__survey__program_id__in=list(programs),
        number__isnull=False,
    )


def _distribution_by_program(
    *, key: str, values: range, programs: Iterable[Program] | QuerySet[Program]
) -> dict[int, dict[int, int]]:
    ids = sorted({p.pk for p in programs})
    result = {program_id: dict.fromkeys(values, 0) for program_id in ids}
    rows = (
        _keyed_answers(key=key, programs=ids)
        .values_list("question__survey__program_id", "number")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for program_id, number, n in rows:
        if number in result[program_id]:
            result[program_id][number] += n
    return result


def recommend_distribution(*, program: Program) -> dict[int, int]:
    """Answers 0 to 10 to the program's likelihood-to-recommend questions → how many (every value
    present, zero when nobody chose it). One query. Suppression is the caller's."""
    return _distribution_by_program(
        key=Question.Key.RECOMMEND, values=RECOMMEND_VALUES, programs=[program]
    )[program.pk]


def satisfaction_distribution(*, program: Program) -> dict[int, int]:
    """Answers 1 to 5 to the program's satisfaction questions → how many. One query."""
    return _distribution_by_program(
        key=Question.Key.SATISFACTION, values=SATISFACTION_VALUES, programs=[program]
    )[program.pk]


def recommend_distribution_by_program(
    *, programs: Iterable[Program] | QuerySet[Program]
) -> dict[int, dict[int, int]]:
    """``recommend_distribution`` for many programs: program id → distribution. One query
    (plus one to load ``programs`` when given a queryset not yet evaluated)."""
    return _distribution_by_program(
        key=Question.Key.RECOMMEND, values=RECOMMEND_VALUES, programs=programs
    )


def satisfaction_distribution_by_program(
    *, programs: Iterable[Program] | QuerySet[Program]
) -> dict[int, dict[int, int]]:
    return _distribution_by_program(
        key=Question.Key.SATISFACTION, values=SATISFACTION_VALUES, programs=programs
    )
