"""Answering a survey: who may, what a valid answer is, and that a second answer is refused and
saves nothing (pages; the API has its own tests)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.surveys.factories import (
    add_participants,
    answer,
    exit_answers,
    make_survey,
    surveyed_room,
)
from twoway.core.errors import ApplicationError
from twoway.surveys.models import Answer, Question, Respondent, Response, Survey
from twoway.surveys.services import ALREADY_ANSWERED


def _url(survey: Survey) -> str:
    return reverse("surveys:answer", kwargs={"org_slug": "acme", "survey_id": survey.pk})


def _post_data(survey: Survey, **overrides: object) -> dict[str, object]:
    return {f"q{k}": v for k, v in exit_answers(survey, **overrides).items()}


def _counts(survey: Survey) -> tuple[int, int, int]:
    return (
        Response.objects.filter(survey=survey).count(),
        Answer.objects.filter(question__survey=survey).count(),
        Respondent.objects.filter(survey=survey).count(),
    )


def test_answer_page_access(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    # The participant (a mentee of the program) may; its manager and the admin take no part.
    assert_access(client, actors, _url(survey), allowed={"participant"})


def test_a_participant_answers_and_sees_it_answered(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    client.force_login(room.mentee)
    page = client.get(_url(survey))
    assert "This survey is anonymous" in page.content.decode()
    response = client.post(_url(survey), _post_data(survey))
    assert response.status_code == 302
    assert _counts(survey) == (1, 4, 1)
    listing = client.get(reverse("surveys:home", kwargs={"org_slug": "acme"})).content.decode()
    assert survey.title in listing and "answered" in listing


def test_second_answer_is_refused_and_saves_nothing(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    answer(room.mentee, survey)
    before = _counts(survey)
    client.force_login(room.mentee)
    response = client.post(_url(survey), _post_data(survey, recommend=2))
    assert response.status_code == 400
    assert ALREADY_ANSWERED in response.content.decode()
    assert _counts(survey) == before
    assert not Answer.objects.filter(number=2).exists()
    with pytest.raises(ApplicationError, match="already answered"):
        answer(room.mentee, survey)


def test_a_required_question_left_blank_is_named(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    satisfaction = survey.questions.get(key=Question.Key.SATISFACTION)
    data = _post_data(survey)
    data[satisfaction.field_name] = ""
    client.force_login(room.mentee)
    response = client.post(_url(survey), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [satisfaction.field_name]
    assert satisfaction.text in errors[satisfaction.field_name][0]
    assert "required" in errors[satisfaction.field_name][0]
    assert _counts(survey) == (0, 0, 0)


def test_an_optional_question_may_be_skipped(actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    text = survey.questions.get(kind=Question.Kind.TEXT)
    answers = exit_answers(survey)
    answers[text.pk] = "  "
    answer(room.mentee, survey, answers)
    assert _counts(survey) == (1, 3, 1)


@pytest.mark.parametrize(
    ("overrides", "field_key", "reason"),
    [
        ({"recommend": 11}, "recommend", "choose a number from 0 to 10; 11 is outside"),
        ({"recommend": "nine"}, "recommend", "a whole number from 0 to 10"),
        ({"satisfaction": 0}, "satisfaction", "from 1 to 5; 0 is outside"),
        ({"choice": "Perhaps one day"}, "choice", "choose one of the options offered"),
        ({"text": "x" * 5001}, "text", "at most 5,000 characters"),
    ],
)
def test_bad_answers_are_refused_on_their_field(
    client: Client, actors: Actors, overrides: dict, field_key: str, reason: str
) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    questions = {q.key or q.kind: q for q in survey.questions.all()}
    question = questions[field_key]
    client.force_login(room.mentee)
    response = client.post(_url(survey), _post_data(survey, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [question.field_name]
    assert reason in errors[question.field_name][0]
    assert _counts(survey) == (0, 0, 0)


def test_a_mentor_cannot_answer_a_mentees_only_survey(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, audience=Survey.Audience.MENTEES)
    client.force_login(room.mentor)
    assert client.get(_url(survey)).status_code == 404
    assert client.post(_url(survey), _post_data(survey)).status_code == 404
    with pytest.raises(ApplicationError):
        answer(room.mentor, survey)
    assert _counts(survey) == (0, 0, 0)
    client.force_login(room.mentee)
    assert client.get(_url(survey)).status_code == 200


def test_a_mentors_only_survey_reaches_mentors_and_either_applicants(actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    (either,) = add_participants(actors, room.program, 1, role="either")
    survey = make_survey(actors, room.program, audience=Survey.Audience.MENTORS)
    answer(room.mentor, survey)
    answer(either, survey)
    with pytest.raises(ApplicationError, match="other participants"):
        answer(room.mentee, survey)
    assert Response.objects.filter(survey=survey).count() == 2


def test_non_participants_and_drafts_are_404(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    draft = make_survey(actors, room.program, open=False)
    client.force_login(room.bystander)  # in the organisation, not in the program
    assert client.get(_url(survey)).status_code == 404
    client.force_login(room.mentee)
    assert client.get(_url(draft)).status_code == 404


def test_a_closed_survey_takes_no_answers(client: Client, actors: Actors) -> None:
    from tests.surveys.factories import membership
    from twoway.surveys.services import survey_close

    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    survey_close(actor=membership(actors.program_manager, room.program), survey=survey)
    client.force_login(room.mentee)
    page = client.get(_url(survey))
    assert "no longer takes answers" in page.content.decode()
    response = client.post(_url(survey), _post_data(survey))
    assert response.status_code == 400
    assert _counts(survey) == (0, 0, 0)


def test_named_survey_page_says_answers_are_linked(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, anonymous=False)
    client.force_login(room.mentee)
    page = client.get(_url(survey)).content.decode()
    assert "This survey is not anonymous" in page
    assert "never what you write" in page


def test_home_lists_what_i_may_answer_at_a_fixed_query_count(
    client: Client, actors: Actors, django_assert_num_queries
) -> None:
    room, _ = surveyed_room(actors)
    make_survey(actors, room.program, audience=Survey.Audience.MENTORS, template="check_in")
    make_survey(actors, room.program)
    url = reverse("surveys:home", kwargs={"org_slug": "acme"})
    client.force_login(room.mentee)
    client.get(url)  # warm the session
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert page.count("Exit survey") == 1  # not the mentors-only one
    for _ in range(4):
        make_survey(actors, room.program, template="check_in")
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert page.count("Mid-program check-in") == 4
