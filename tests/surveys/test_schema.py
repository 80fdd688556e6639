"""Anonymous surveys are unlinkable (confidentiality rule 5), proven on the schema itself and on
the rows six people leave behind."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from tests.authz import Actors
from tests.surveys.factories import answer, exit_answers, make_survey, surveyed_room
from twoway.core.models import Organisation
from twoway.people.models import Person
from twoway.surveys.models import Answer, Question, Respondent, Response, Survey

ALLOWED_TARGETS = {Survey, Question, Response, Organisation}


@pytest.mark.parametrize("model", [Response, Answer])
def test_answer_rows_point_at_nothing_that_identifies_a_person(model: type[models.Model]) -> None:
    relations = [f for f in model._meta.get_fields(include_hidden=True) if f.is_relation]
    targets = {f.related_model for f in relations if f.concrete}
    assert targets <= ALLOWED_TARGETS, f"{model.__name__} points at {targets - ALLOWED_TARGETS}"
    # Nothing else points at them either, except their own answers (Respondent's link is
    # hidden from Response: checked below).
    for field in relations:
        if not field.concrete:
            assert field.related_model in {Answer, Respondent}, field
    names = {f.name for f in model._meta.get_fields()}
    assert not names & {"user", "person", "membership", "application", "mentorship", "member"}


@pytest.mark.parametrize("model", [Response, Answer])
def test_answer_rows_have_a_random_key_and_no_time(model: type[models.Model]) -> None:
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default is not None and isinstance(model._meta.pk.default(), uuid.UUID)
    for field in model._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField), field.name
        assert not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)
    date_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
    assert date_fields == (["submitted_on"] if model is Response else [])


def test_respondent_links_to_a_response_only_by_its_nullable_field() -> None:
    links = [
        f
        for f in Respondent._meta.concrete_fields
        if f.is_relation and f.related_model in {Response, Answer}
    ]
    assert [(f.name, f.null) for f in links] == [("response", True)]
    assert {f.related_model for f in Respondent._meta.concrete_fields if f.is_relation} == {
        Organisation,
        Survey,
        get_user_model(),
        Response,
    }
    assert not any(isinstance(f, models.DateTimeField) for f in Respondent._meta.concrete_fields)
    uniques = [c for c in Respondent._meta.constraints if isinstance(c, models.UniqueConstraint)]
    assert [tuple(c.fields) for c in uniques] == [("survey", "user")]


def test_anonymous_respondents_do_not_point_at_their_response(actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    answer(room.mentee, survey)
    respondent = Respondent.objects.get(survey=survey, user=room.mentee)
    assert respondent.response_id is None
    assert Response.objects.filter(survey=survey).count() == 1


def test_named_respondents_point_at_their_response(actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, anonymous=False)
    response = answer(room.mentee, survey)
    assert Respondent.objects.get(survey=survey, user=room.mentee).response_id == response.pk


def test_nothing_in_six_anonymous_responses_names_anyone(actors: Actors) -> None:
    room, extra = surveyed_room(actors, extra=4)
    survey = make_survey(actors, room.program)
    people = [room.mentee, room.mentor, *extra]
    for i, user in enumerate(people):
        answer(user, survey, exit_answers(survey, recommend=i + 4, text=f"Lesson number {i}"))
    assert Response.objects.filter(survey=survey).count() == 6
    identifying: set[str] = set()
    for user in people:
        identifying |= {user.email, user.display_name}
        for person in Person.objects.filter(user=user):
            identifying |= {person.email, person.full_name, person.first_name, person.last_name}
    identifying.discard("")
    person_ids = {
        str(pk) for pk in Person.objects.filter(user__in=people).values_list("pk", flat=True)
    }
    user_ids = {str(user.pk) for user in people}
    # Every column is accounted for: keys point only at the organisation, the survey, its
    # questions and responses; the rest are the answers given; no text names anyone.
    expected_keys = {
        "organisation": {actors.organisation.pk},
        "survey": {survey.pk},
        "question": set(survey.questions.values_list("pk", flat=True)),
        "response": set(Response.objects.filter(survey=survey).values_list("pk", flat=True)),
    }
    given_numbers = set(range(4, 10))  # recommend 4..9; satisfaction 4
    for model in (Response, Answer):
        for field in model._meta.concrete_fields:
            values = set(
                model.objects.filter(organisation=actors.organisation).values_list(
                    field.attname, flat=True
                )
            )
            if field.primary_key:
                assert all(isinstance(v, uuid.UUID) for v in values)
                assert not {str(v) for v in values} & (user_ids | person_ids)
            elif field.is_relation:
                assert values <= expected_keys[field.name], field.name
            elif field.name == "number":
                assert values <= given_numbers | {None}
            elif field.name == "submitted_on":
                assert len(values) == 1  # the day, the same for all
            else:
                assert field.name in {"choice", "text"}, f"unexpected column {field.name}"
                texts = {str(v) for v in values}
                assert not any(name in text for text in texts for name in identifying)
                assert not texts & (user_ids | person_ids)
