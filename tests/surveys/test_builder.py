"""Building a survey: who may, templates, questions while a draft only, opening (which notifies
the audience with a link and no content) and closing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory
from tests.programs.factories import make_program
from tests.surveys.factories import add_participants, make_survey, membership, surveyed_room
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.notifications.models import Kind, Notification
from twoway.surveys import services
from twoway.surveys.models import Question, Survey


def _url(name: str, **kwargs: int) -> str:
    return reverse(f"surveys:{name}", kwargs={"org_slug": "acme", **kwargs})


def test_builder_pages_access(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, open=False)
    question = survey.questions.first()
    assert question is not None
    for url in (
        _url("program", program_id=room.program.pk),
        _url("edit", survey_id=survey.pk),
        _url("question_edit", survey_id=survey.pk, question_id=question.pk),
        _url("results", survey_id=survey.pk),
    ):
        assert_access(client, actors, url, allowed={"program_manager", "admin"})


def test_a_manager_of_another_program_gets_404(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, open=False)
    other_manager = MembershipFactory(
        organisation=actors.organisation, role=Role.PROGRAM_MANAGER
    ).user
    make_program(organisation=actors.organisation, manager=other_manager, name="Other")
    client.force_login(other_manager)
    for url in (
        _url("program", program_id=room.program.pk),
        _url("edit", survey_id=survey.pk),
        _url("results", survey_id=survey.pk),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_url("open", survey_id=survey.pk)).status_code == 404
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_create_from_a_template_and_blank(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    client.force_login(actors.program_manager)
    url = _url("program", program_id=room.program.pk)
    response = client.post(url, {"template": "check_in", "title": ""})
    assert response.status_code == 302
    check_in = Survey.objects.get(program=room.program)
    assert (check_in.kind, check_in.title, check_in.status) == (
        Survey.Kind.CHECK_IN,
        "Mid-program check-in",
        Survey.Status.DRAFT,
    )
    assert [q.kind for q in check_in.questions.all()] == ["scale", "choice", "text"]
    assert check_in.questions.get(kind="scale").key == Question.Key.SATISFACTION

    refused = client.post(url, {"template": "", "title": "  "})
    assert refused.status_code == 400
    assert "give the survey a title" in refused.context["form"].errors["title"][0]
    assert Survey.objects.filter(program=room.program).count() == 1
    assert client.post(url, {"template": "", "title": "Kickoff"}).status_code == 302
    blank = Survey.objects.get(title="Kickoff")
    assert (blank.kind, blank.questions.count()) == (Survey.Kind.CUSTOM, 0)


def test_questions_are_added_edited_moved_and_deleted(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, template="", title="Custom", open=False)
    client.force_login(actors.program_manager)
    new = _url("question_new", survey_id=survey.pk)
    base = {"kind": "scale", "text": "How useful?", "scale_min": 1, "scale_max": 7}
    assert client.post(new, {**base, "required": "on"}).status_code == 302
    choice = {"kind": "choice", "text": "Which format?", "choices": "Video\nIn person\n"}
    assert client.post(new, choice).status_code == 302
    assert client.post(new, {"kind": "text", "text": "Anything else?"}).status_code == 302
    scale, pick, text = survey.questions.all()
    assert (scale.scale_min, scale.scale_max, scale.required) == (1, 7, True)
    assert (pick.choices, pick.required) == (["Video", "In person"], False)

    move = _url("question_move", survey_id=survey.pk, question_id=text.pk)
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert [q.pk for q in survey.questions.all()] == [scale.pk, text.pk, pick.pk]

    edit = _url("question_edit", survey_id=survey.pk, question_id=pick.pk)
    assert client.post(edit, {**choice, "choices": "Video\nIn person\nPhone"}).status_code == 302
    pick.refresh_from_db()
    assert pick.choices == ["Video", "In person", "Phone"]

    delete = _url("question_delete", survey_id=survey.pk, question_id=text.pk)
    assert client.post(delete).status_code == 302
    assert [q.pk for q in survey.questions.all()] == [scale.pk, pick.pk]


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"kind": "choice", "text": "Pick", "choices": "Only one"}, "choices", "between 2 and 10"),
        (
            {"kind": "choice", "text": "Pick", "choices": "\n".join(str(i) for i in range(11))},
            "choices",
            "there are 11",
        ),
        ({"kind": "choice", "text": "Pick", "choices": "A\na"}, "choices", "must be different"),
        ({"kind": "scale", "text": "Rate", "scale_min": 5, "scale_max": 5}, "scale_min", "below"),
        ({"kind": "scale", "text": "Rate", "scale_min": 1}, "scale_min", "lowest and highest"),
        ({"kind": "text", "text": " "}, "text", "write the question"),
    ],
)
def test_bad_questions_are_refused_on_their_field(
    client: Client, actors: Actors, data: dict, field: str, reason: str
) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, template="", title="Custom", open=False)
    client.force_login(actors.program_manager)
    response = client.post(_url("question_new", survey_id=survey.pk), data)
    assert response.status_code == 400
    assert reason in response.context["question_form"].errors[field][0]
    assert survey.questions.count() == 0


def test_a_dashboard_question_keeps_its_scale(actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, open=False)
    recommend = survey.questions.get(key=Question.Key.RECOMMEND)
    with pytest.raises(ApplicationError, match="stays 0 to 10"):
        services.question_update(
            actor=membership(actors.program_manager, room.program),
            question=recommend,
            kind="scale",
            text=recommend.text,
            scale_min=1,
            scale_max=10,
        )


def test_settings_change_while_draft(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program, open=False)
    client.force_login(actors.program_manager)
    data = {"title": "Goodbye survey", "intro": "Thanks", "audience": "mentors"}
    assert client.post(_url("edit", survey_id=survey.pk), data).status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.is_anonymous, survey.audience) == (
        "Goodbye survey",
        False,  # the checkbox was left unticked
        Survey.Audience.MENTORS,
    )


def test_opening_notifies_the_audience_with_a_link_only(client: Client, actors: Actors) -> None:
    room, extra = surveyed_room(actors, extra=2)
    survey = make_survey(actors, room.program, open=False)
    client.force_login(actors.program_manager)
    assert client.post(_url("open", survey_id=survey.pk)).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.opened_at is not None
    notifications = Notification.objects.filter(organisation=actors.organisation)
    assert set(notifications.values_list("user_id", flat=True)) == {
        u.pk for u in [room.mentee, room.mentor, *extra]
    }
    path = _url("answer", survey_id=survey.pk)
    questions = list(survey.questions.values_list("text", flat=True))
    for notification in notifications:
        assert notification.kind == Kind.SURVEY
        assert notification.title == f"A survey about {room.program.name} is open"
        assert notification.url == path
        assert not any(q in notification.title for q in questions)
        assert survey.intro not in notification.title


def test_an_open_survey_cannot_change(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    question = survey.questions.first()
    assert question is not None
    client.force_login(actors.program_manager)
    response = client.post(
        _url("question_new", survey_id=survey.pk), {"kind": "text", "text": "More?"}
    )
    assert response.status_code == 400
    assert "This survey is open: its questions" in response.content.decode()
    response = client.post(
        _url("question_delete", survey_id=survey.pk, question_id=question.pk), follow=True
    )
    assert "This survey is open: its questions" in response.content.decode()
    edit = client.post(
        _url("edit", survey_id=survey.pk),
        {"title": "Renamed", "audience": "everyone", "is_anonymous": "on"},
    )
    assert edit.status_code == 400
    assert "This survey is open: its questions" in edit.content.decode()
    survey.refresh_from_db()
    assert survey.title == "Exit survey" and survey.questions.count() == 4


def test_closing_and_deleting(client: Client, actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    survey = make_survey(actors, room.program)
    client.force_login(actors.program_manager)
    refused = client.post(_url("delete", survey_id=survey.pk), follow=True)
    assert "Only a draft survey can be deleted" in refused.content.decode()
    assert client.post(_url("close", survey_id=survey.pk)).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    draft = make_survey(actors, room.program, open=False)
    assert client.post(_url("delete", survey_id=draft.pk)).status_code == 302
    assert not Survey.objects.filter(pk=draft.pk).exists()


def test_opening_needs_a_question(actors: Actors) -> None:
    room, _ = surveyed_room(actors)
    add_participants(actors, room.program, 1)
    survey = make_survey(actors, room.program, template="", title="Empty", open=False)
    with pytest.raises(ApplicationError, match="at least one question"):
        services.survey_open(actor=membership(actors.program_manager, room.program), survey=survey)
    assert not Notification.objects.exists()
