"""The surveys REST API: the same rules as the pages, refusals with their field, 409 for a
second answer, results to managers only and only from MIN_GROUP answers."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.surveys.factories import answer, exit_answers, make_survey, surveyed_room
from twoway.surveys.models import Answer, Question, Respondent, Response, Survey


def _url(name: str, **kwargs: int) -> str:
    return reverse(f"surveys_api:{name}", kwargs={"org_slug": "acme", **kwargs})


def _payload(survey: Survey, **overrides: Any) -> dict[str, Any]:
    return {
        "answers": [
            {"question": k, "value": v} for k, v in exit_answers(survey, **overrides).items()
        ]
    }


def test_access(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    mine = assert_access(
        client,
        actors,
        _url("mine"),
        allowed={"participant", "program_manager", "admin"},
        api=True,
    )
    assert [s["id"] for s in mine["participant"].json()["results"]] == [survey.pk]
    assert mine["program_manager"].json()["results"] == []  # managing is not taking part
    detail = assert_access(
        client,
        actors,
        _url("detail", survey_id=survey.pk),
        allowed={"participant", "program_manager", "admin"},
        api=True,
    )
    questions = detail["participant"].json()["questions"]
    assert [q["kind"] for q in questions] == ["scale", "scale", "text", "choice"]
    assert_access(
        client,
        actors,
        _url("results", survey_id=survey.pk),
        allowed={"program_manager", "admin"},
        api=True,
    )
    assert_access(
        client,
        actors,
        _url("answer", survey_id=survey.pk),
        allowed={"participant"},
        method="post",
        data=_payload(survey),
        api=True,
        ok_status=201,
    )
    assert Response.objects.filter(survey=survey).count() == 1


def test_second_answer_is_409_and_saves_nothing(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    client.force_login(room.mentee)
    url = _url("answer", survey_id=survey.pk)
    first = client.post(url, _payload(survey), content_type="application/json")
    assert first.status_code == 201
    assert "id" not in first.json()  # nothing that could link the answers back
    second = client.post(url, _payload(survey, recommend=0), content_type="application/json")
    assert second.status_code == 409
    assert second.json()["detail"] == "You have already answered this survey."
    assert Response.objects.filter(survey=survey).count() == 1
    assert not Answer.objects.filter(number=0).exists()
    mine = client.get(_url("mine")).json()["results"]
    assert mine[0]["answered"] is True


def test_bad_answers_name_their_fields(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    recommend = survey.questions.get(key=Question.Key.RECOMMEND)
    choice = survey.questions.get(kind=Question.Kind.CHOICE)
    client.force_login(room.mentee)
    url = _url("answer", survey_id=survey.pk)
    response = client.post(
        url, _payload(survey, recommend=42, choice="Never"), content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {recommend.field_name, choice.field_name}
    assert "42 is outside the scale" in body["errors"][recommend.field_name]
    assert body["field"] == recommend.field_name
    payload = _payload(survey)
    payload["answers"].append({"question": 999999, "value": "1"})
    unknown = client.post(url, payload, content_type="application/json")
    assert unknown.status_code == 400 and "999999" in unknown.json()["errors"]["answers"]
    payload = _payload(survey)
    payload["answers"] = [a for a in payload["answers"] if a["question"] != recommend.pk]
    missing = client.post(url, payload, content_type="application/json")
    assert missing.status_code == 400
    assert "required" in missing.json()["errors"][recommend.field_name]
    assert (Response.objects.count(), Respondent.objects.count(), Answer.objects.count()) == (
        0,
        0,
        0,
    )


def test_results_need_five_answers(client: Client, actors: Actors) -> None:
    room, extra = surveyed_room(actors, extra=3)
    survey = make_survey(actors, room.program)
    people = [room.mentee, room.mentor, *extra]
    for user in people[:4]:
        answer(user, survey)
    client.force_login(actors.program_manager)
    hidden = client.get(_url("results", survey_id=survey.pk)).json()
    assert hidden["shown"] is False and hidden["questions"] == []
    assert (hidden["response_count"], hidden["audience_size"]) == (4, 5)
    answer(people[4], survey)
    shown = client.get(_url("results", survey_id=survey.pk)).json()
    assert shown["shown"] is True and shown["response_rate"] == 100
    by_kind = {q["kind"]: q for q in shown["questions"]}
    assert len(by_kind["text"]["texts"]) == 5
    satisfaction = shown["questions"][0]
    assert {r["label"]: r["count"] for r in satisfaction["distribution"]}["4"] == 5
