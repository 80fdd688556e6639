"""A program's own application questions: edited and reordered in the manager's editor and
through the API, by the same services and the same rules."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.authz import assert_access
from tests.enrolment.conftest import Enrolment
from twoway.core.errors import ApplicationError
from twoway.enrolment import services
from twoway.enrolment.models import CustomQuestion

pytestmark = pytest.mark.django_db
API = "/api/o/acme/enrolment"
PAGES = "/o/acme/enrolment"


def add_questions(e: Enrolment, program: Any = None) -> list[CustomQuestion]:
    """Two more questions after the fixture's answered "Team size" (scale)."""
    program = program or e.program
    manager = program.managers.first()
    return [
        services.question_create(
            actor=manager, program=program, text=text, kind="single", choices=["Yes", "No"]
        )
        for text in ("Remote first?", "Mentored before?")
    ]


def order(e: Enrolment) -> list[str]:
    return list(
        CustomQuestion.objects.filter(program=e.program)
        .order_by("position")
        .values_list("text", flat=True)
    )


# --- Services ---------------------------------------------------------------------------------


def test_update_keeps_answered_options_and_refuses_new_required(enrolment: Enrolment) -> None:
    manager = enrolment.actors.program_manager
    answered = enrolment.question  # a 1-5 scale, answered 3 by the participant
    # The wording, help and matching use may change; the unchanged scale may be sent again.
    services.question_update(
        actor=manager,
        question=answered,
        text="How big is your team?",
        help_text="  People who report to you. ",
        scale_min=1,
        scale_max=5,
        used_for_matching=True,
        weight="low",
    )
    answered.refresh_from_db()
    assert (answered.text, answered.help_text, answered.weight) == (
        "How big is your team?",
        "People who report to you.",
        "low",
    )
    with pytest.raises(ApplicationError, match="its options can no longer change"):
        services.question_update(actor=manager, question=answered, scale_max=7)
    with pytest.raises(ApplicationError, match="cannot become required"):
        services.question_update(actor=manager, question=answered, required=True)
    with pytest.raises(ApplicationError, match="These cannot be changed: kind"):
        services.question_update(actor=manager, question=answered, kind="text")
    answered.refresh_from_db()
    assert (answered.scale_max, answered.required, answered.kind) == (5, False, "scale")
    # An unanswered choice question may change its options.
    fresh = add_questions(enrolment)[0]
    services.question_update(actor=manager, question=fresh, choices=["Yes", "No", "Sometimes"])
    fresh.refresh_from_db()
    assert fresh.choices == ["Yes", "No", "Sometimes"]


def test_moving_renumbers_the_questions(enrolment: Enrolment) -> None:
    manager = enrolment.actors.program_manager
    remote, before = add_questions(enrolment)
    assert order(enrolment) == ["Team size", "Remote first?", "Mentored before?"]
    services.question_move(actor=manager, question=before, position=0)
    assert order(enrolment) == ["Mentored before?", "Team size", "Remote first?"]
    services.question_move(actor=manager, question=before, position=99)
    assert order(enrolment) == ["Team size", "Remote first?", "Mentored before?"]
    positions = CustomQuestion.objects.filter(program=enrolment.program).values_list(
        "position", flat=True
    )
    assert sorted(positions) == [0, 1, 2]
    with pytest.raises(ApplicationError, match="whole number"):
        services.question_move(actor=manager, question=remote, position=-1)
    stranger = enrolment.other_program.managers.get()
    with pytest.raises(ApplicationError):
        services.question_move(actor=stranger, question=remote, position=0)
    assert order(enrolment) == ["Team size", "Remote first?", "Mentored before?"]


# --- Pages ------------------------------------------------------------------------------------


def test_editor_pages_access(client: Client, enrolment: Enrolment) -> None:
    other_question = add_questions(enrolment, enrolment.other_program)[0]
    for program, question, allowed in (
        (enrolment.program, enrolment.question, {"program_manager", "admin"}),
        # The actors' program manager manages another program: a stranger here.
        (enrolment.other_program, other_question, {"admin"}),
    ):
        base = f"{PAGES}/programs/{program.pk}/questions/{question.pk}"
        assert_access(client, enrolment.actors, f"{base}/", allowed=allowed)
        assert_access(
            client,
            enrolment.actors,
            f"{base}/move/",
            allowed=allowed,
            method="post",
            data={"direction": "down"},
            ok_status=302,
        )
    # A question reached through another program's address is missing.
    client.force_login(enrolment.actors.admin)
    url = f"{PAGES}/programs/{enrolment.program.pk}/questions/{other_question.pk}/"
    assert client.get(url).status_code == 404


def test_editing_and_reordering_in_the_editor(client: Client, enrolment: Enrolment) -> None:
    remote, _ = add_questions(enrolment)
    client.force_login(enrolment.actors.program_manager)
    editor = f"{PAGES}/programs/{enrolment.program.pk}/questions/"
    page = client.get(editor).content.decode()
    assert f'href="{editor}{remote.pk}/"' in page
    assert page.count(">Move up<") == 2 and page.count(">Move down<") == 2

    form = client.get(f"{editor}{remote.pk}/").content.decode()
    assert 'value="Remote first?"' in form and "Yes\nNo</textarea>" in form
    response = client.post(
        f"{editor}{remote.pk}/",
        {
            "text": "Do you work remotely?",
            "kind": "text",  # ignored: the kind field is disabled
            "choices": "Yes\nNo\nPartly",
            "scale_min": 1,
            "scale_max": 5,
            "used_for_matching": "on",
            "weight": "medium",
        },
        follow=True,
    )
    assert "Question saved." in response.content.decode()
    remote.refresh_from_db()
    assert (remote.text, remote.kind, remote.choices, remote.weight) == (
        "Do you work remotely?",
        "single",
        ["Yes", "No", "Partly"],
        "medium",
    )
    refused = client.post(
        f"{editor}{enrolment.question.pk}/",
        {"text": "Team size", "scale_min": 1, "scale_max": 9, "weight": "off"},
    )
    assert refused.status_code == 200
    assert "its options can no longer change" in refused.content.decode()

    response = client.post(f"{editor}{remote.pk}/move/", {"direction": "up"}, follow=True)
    assert "“Do you work remotely?” moved up." in response.content.decode()
    assert order(enrolment) == ["Do you work remotely?", "Team size", "Mentored before?"]
    # Moving the first one further up changes nothing.
    client.post(f"{editor}{remote.pk}/move/", {"direction": "up"})
    assert order(enrolment) == ["Do you work remotely?", "Team size", "Mentored before?"]


# --- API --------------------------------------------------------------------------------------


def test_question_endpoints_access(client: Client, enrolment: Enrolment) -> None:
    other_question = add_questions(enrolment, enrolment.other_program)[0]
    for program, question, allowed in (
        (enrolment.program, enrolment.question, {"program_manager", "admin"}),
        (enrolment.other_program, other_question, {"admin"}),
    ):
        base = f"{API}/programs/{program.pk}/questions/"
        one = f"{base}{question.pk}/"
        assert_access(client, enrolment.actors, base, allowed=allowed, api=True)
        assert_access(client, enrolment.actors, one, allowed=allowed, api=True)
        assert_access(
            client,
            enrolment.actors,
            base,
            allowed=allowed,
            api=True,
            method="post",
            data={"text": "Q", "kind": "single", "choices": ["A"]},
            ok_status=400,
        )
        assert_access(
            client,
            enrolment.actors,
            one,
            allowed=allowed,
            api=True,
            method="patch",
            data={"help_text": "Roughly"},
        )
    # Deleting: the answered question is refused (400) to those allowed, missing to others.
    assert_access(
        client,
        enrolment.actors,
        f"{API}/programs/{enrolment.program.pk}/questions/{enrolment.question.pk}/",
        allowed={"program_manager", "admin"},
        api=True,
        method="delete",
        ok_status=400,
    )
    assert CustomQuestion.objects.filter(pk=enrolment.question.pk).exists()


def call(client: Client, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_questions_through_the_api(client: Client, enrolment: Enrolment) -> None:
    client.force_login(enrolment.actors.program_manager)
    base = f"{API}/programs/{enrolment.program.pk}/questions/"
    created = call(
        client,
        "post",
        base,
        {
            "text": "Preferred pace",
            "kind": "multiple",
            "choices": ["Fast", "Steady"],
            "used_for_matching": True,
            "weight": "high",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["position"] == 1 and body["choices"] == ["Fast", "Steady"]
    refused = call(
        client,
        "post",
        base,
        {"text": "Free text", "kind": "text", "weight": "low", "used_for_matching": True},
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "Free-text answers cannot feed matching; use a choice or a scale."
    )

    url = f"{base}{body['id']}/"
    moved = call(client, "patch", url, {"text": "Your pace", "position": 0, "kind": "text"})
    assert moved.status_code == 200
    assert moved.json()["text"] == "Your pace" and moved.json()["position"] == 0
    assert moved.json()["kind"] == "multiple"
    listing = client.get(base).json()
    assert [q["text"] for q in listing] == ["Your pace", "Team size"]
    assert [q["position"] for q in listing] == [0, 1]

    answered = f"{base}{enrolment.question.pk}/"
    refused = call(client, "patch", answered, {"scale_max": 10})
    assert refused.status_code == 400
    assert "its options can no longer change" in refused.json()["detail"]
    refused = client.delete(answered)
    assert refused.json()["detail"] == (
        "People have answered this question, so it cannot be deleted."
    )
    assert client.delete(url).status_code == 204
    assert [q["text"] for q in client.get(base).json()] == ["Team size"]
