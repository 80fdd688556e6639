"""Surveys for tests: a running program (``make_room``: ``actors.participant`` is a mentee, one
mentor beside them) with more participants by approved application, and surveys built through
the services as its manager would."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.authz import Actors
from tests.programs.factories import apply
from tests.rooms.factories import Room, make_room, new_participant
from twoway.accounts.models import User
from twoway.core.models import Membership
from twoway.enrolment.models import Application
from twoway.programs.models import Program
from twoway.surveys import services
from twoway.surveys.models import Question, Response, Survey


def membership(user: User, program: Program) -> Membership:
    return Membership.objects.get(user=user, organisation_id=program.organisation_id)


def add_participants(actors: Actors, program: Program, n: int, role: str = "mentee") -> list[User]:
    """``n`` new members of the organisation taking part in ``program`` (approved application)."""
    users = []
    for _ in range(n):
        user = new_participant(actors)
        apply(program, user, role=role, status=Application.Status.APPROVED)
        users.append(user)
    return users


def make_survey(
    actors: Actors,
    program: Program,
    *,
    template: str = "exit",
    title: str = "",
    anonymous: bool = True,
    audience: str = Survey.Audience.EVERYONE,
    open: bool = True,
) -> Survey:
    manager = membership(actors.program_manager, program)
    survey = services.survey_create(actor=manager, program=program, template=template, title=title)
    if not anonymous or audience != Survey.Audience.EVERYONE:
        services.survey_update(
            actor=manager,
            survey=survey,
            title=survey.title,
            intro=survey.intro,
            is_anonymous=anonymous,
            audience=audience,
        )
    if open:
        services.survey_open(actor=manager, survey=survey)
    survey.refresh_from_db()
    return survey


def exit_answers(survey: Survey, **overrides: Any) -> dict[int, Any]:
    """A complete, valid set of answers to the built-in exit survey (by question key/kind)."""
    answers: dict[int, Any] = {}
    for question in survey.questions.all():
        if question.key == Question.Key.SATISFACTION:
            answers[question.pk] = overrides.get("satisfaction", 4)
        elif question.key == Question.Key.RECOMMEND:
            answers[question.pk] = overrides.get("recommend", 9)
        elif question.kind == Question.Kind.TEXT:
            answers[question.pk] = overrides.get("text", "I learned to use shared notebooks.")
        else:
            answers[question.pk] = overrides.get("choice", question.choices[0])
    return answers


def answer(user: User, survey: Survey, answers: Mapping[int, Any] | None = None) -> Response:
    return services.response_submit(
        membership=membership(user, survey.program),
        survey=survey,
        answers=answers if answers is not None else exit_answers(survey),
    )


def surveyed_room(actors: Actors, *, extra: int = 0) -> tuple[Room, list[User]]:
    """A room and ``extra`` more mentees of its program."""
    room = make_room(actors)
    return room, add_participants(actors, room.program, extra)
