"""Kudos: who may give them to whom, who reads them (the giver's chosen audience on the home
page, in the room and through the API), the receiver's email without the message, deleting,
and the home page's constant query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.recognition.factories import World, give, make_world
from twoway.core.errors import ApplicationError
from twoway.recognition.models import KUDOS_MAX_CHARS, Kudos
from twoway.recognition.services import kudos_give

pytestmark = pytest.mark.django_db

SLUG = "acme"
VISIBLE_TO = {
    "private": {"giver", "receiver"},
    "mentorships": {"giver", "receiver", "partner"},
    "program": {"giver", "receiver", "partner", "same_program"},
    "organisation": {
        "giver",
        "receiver",
        "partner",
        "same_program",
        "other_program",
        "program_manager",
        "admin",
    },
}


def page(name: str, **kwargs: int) -> str:
    return reverse(f"recognition:{name}", kwargs={"org_slug": SLUG, **kwargs})


def api(name: str, **kwargs: int) -> str:
    return reverse(f"recognition_api:{name}", kwargs={"org_slug": SLUG, **kwargs})


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


@pytest.fixture(name="all_kudos")
def all_kudos_fixture(world: World) -> dict[str, Kudos]:
    """One kudos per visibility, each with its own canary message."""
    return {
        visibility: give(
            world,
            message=f"canary-{visibility}",
            visibility=visibility,
            program=world.room.program,
        )
        for visibility in VISIBLE_TO
    }


def _seen(text: str) -> set[str]:
    return {visibility for visibility in VISIBLE_TO if f"canary-{visibility}" in text}


def _expected(viewer: str) -> set[str]:
    return {visibility for visibility, viewers in VISIBLE_TO.items() if viewer in viewers}


# --- Who reads what ------------------------------------------------------------------------------


def test_the_home_page_shows_each_viewer_the_kudos_their_giver_let_them_read(
    client: Client, world: World, all_kudos: dict[str, Kudos]
) -> None:
    for viewer, user in world.users().items():
        client.force_login(user)
        response = client.get(page("home"))
        if viewer == "outsider":
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        assert _seen(response.content.decode()) == _expected(viewer), viewer


def test_the_api_lists_each_viewer_the_kudos_their_giver_let_them_read(
    client: Client, world: World, all_kudos: dict[str, Kudos]
) -> None:
    for viewer, user in world.users().items():
        client.force_login(user)
        response = client.get(api("kudos"))
        if viewer == "outsider":
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        messages = {row["message"] for row in response.json()["results"]}
        assert _seen(" ".join(messages)) == _expected(viewer), viewer


def test_the_room_shows_its_members_the_kudos_between_them_they_may_read(
    client: Client, world: World, all_kudos: dict[str, Kudos]
) -> None:
    room_url = reverse(
        "rooms:room", kwargs={"org_slug": SLUG, "mentorship_id": world.room.mentorship.pk}
    )
    for viewer, user in world.users().items():
        client.force_login(user)
        response = client.get(room_url)
        if viewer not in {"giver", "receiver", "partner"}:
            assert response.status_code == 404, viewer  # not a member: no room at all
            continue
        html = response.content.decode()
        assert _seen(html) == _expected(viewer), viewer
        assert page("kudos_new") + f"?mentorship={world.room.mentorship.pk}" in html


def test_the_receiver_is_emailed_a_link_without_the_message(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        give(world, message="canary-secret-thanks")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "You received kudos"
    assert email.to == [world.receiver.email]
    assert "canary-secret-thanks" not in email.body
    assert f"/o/{SLUG}/recognition/" in email.body


# --- Eligibility and bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "message_match"),
    [
        ("self", "someone else"),
        ("stranger", "share a mentorship or a program"),
        ("empty", "Message: write what"),
        ("too_long", f"at most {KUDOS_MAX_CHARS:,} characters; this one has"),
        ("bad_visibility", "is not a choice"),
        ("foreign_program", "Program: it must be a program you and the receiver both"),
    ],
)
def test_kudos_are_refused_with_a_reason_and_nothing_is_saved(
    world: World, case: str, message_match: str
) -> None:
    receiver = world.person(world.receiver)
    kwargs: dict[str, Any] = {"message": "Thank you", "visibility": "private"}
    if case == "self":
        receiver = world.person(world.giver)
    elif case == "stranger":
        receiver = world.person(world.other)
    elif case == "empty":
        kwargs["message"] = "   "
    elif case == "too_long":
        kwargs["message"] = "x" * (KUDOS_MAX_CHARS + 1)
    elif case == "bad_visibility":
        kwargs["visibility"] = "everyone"
    elif case == "foreign_program":
        kwargs.update(visibility="program", program=world.other_program)
    with pytest.raises(ApplicationError, match=message_match):
        kudos_give(membership=world.membership(world.giver), receiver=receiver, **kwargs)
    assert not Kudos.objects.exists()


def test_a_same_program_participant_may_be_thanked_and_program_kudos_find_the_program(
    world: World,
) -> None:
    kudos = kudos_give(
        membership=world.membership(world.giver),
        receiver=world.person(world.same_program),
        message="Thanks for the workshop",
        visibility="program",
    )
    assert kudos.program == world.room.program


def test_a_member_without_a_directory_entry_cannot_give_kudos(world: World) -> None:
    with pytest.raises(ApplicationError, match="people directory"):
        kudos_give(
            membership=world.membership(world.actors.admin),
            receiver=world.person(world.receiver),
            message="Thanks",
            visibility="organisation",
        )


def test_the_form_offers_only_eligible_receivers_and_shows_refusals_on_the_field(
    client: Client, world: World
) -> None:
    client.force_login(world.giver)
    html = client.get(page("kudos_new")).content.decode()
    for user in (world.receiver, world.partner, world.same_program):
        assert world.person(user).full_name in html
    assert world.person(world.other).full_name not in html
    response = client.post(
        page("kudos_new"),
        {"receiver": world.person(world.other).pk, "message": "Hi", "visibility": "private"},
    )
    assert response.status_code == 200
    assert "Choose someone from the list." in response.content.decode()
    response = client.post(
        page("kudos_new"),
        {
            "receiver": world.person(world.receiver).pk,
            "message": "x" * (KUDOS_MAX_CHARS + 1),
            "visibility": "private",
        },
    )
    assert "this one has 1,001" in response.content.decode()
    assert not Kudos.objects.exists()
    response = client.post(
        page("kudos_new"),
        {
            "receiver": world.person(world.receiver).pk,
            "message": "Thanks!",
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    assert Kudos.objects.get().message == "Thanks!"


def test_the_api_refuses_with_a_detail(client: Client, world: World) -> None:
    client.force_login(world.giver)
    response = client.post(
        api("kudos"),
        {"receiver": world.person(world.other).pk, "message": "Hi"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "share a mentorship or a program" in response.json()["detail"]
    response = client.post(
        api("kudos"),
        {"receiver": world.person(world.receiver).pk, "message": "Hi", "visibility": "mentorships"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["visibility"] == "mentorships"


# --- Access --------------------------------------------------------------------------------------


def test_pages_and_endpoints_answer_members_of_the_organisation(
    client: Client, actors: Actors, world: World
) -> None:
    everyone = {"participant", "program_manager", "admin"}
    assert_access(client, actors, page("home"), allowed=everyone)
    assert_access(client, actors, page("kudos_new"), allowed=everyone)
    assert_access(client, actors, api("kudos"), allowed=everyone, api=True)


def test_only_the_giver_deletes_kudos(client: Client, actors: Actors, world: World) -> None:
    kudos = give(world, message="Thanks")
    client.force_login(world.receiver)
    assert client.post(page("kudos_delete", kudos_id=kudos.pk)).status_code == 404
    assert client.delete(api("kudos_detail", kudos_id=kudos.pk)).status_code == 404
    assert_access(
        client,
        actors,
        page("kudos_delete", kudos_id=kudos.pk),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )
    assert not Kudos.objects.exists()
    again = give(world, message="Thanks again")
    assert_access(
        client,
        actors,
        api("kudos_detail", kudos_id=again.pk),
        allowed={"participant"},
        method="delete",
        api=True,
        ok_status=204,
    )
    assert not Kudos.objects.exists()


# --- Query count ---------------------------------------------------------------------------------


def _home_queries(client: Client, world: World) -> int:
    client.force_login(world.giver)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page("home"))
    assert response.status_code == 200
    return len(queries)


def _round_of_kudos(world: World, n: int) -> None:
    """One kudos in each of the home page's lists: given, received, and shared with the giver."""
    give(world, message=f"Given {n}", visibility="organisation", program=world.room.program)
    kudos_give(
        membership=world.membership(world.receiver),
        receiver=world.person(world.giver),
        message=f"Received {n}",
        visibility="private",
    )
    kudos_give(
        membership=world.membership(world.receiver),
        receiver=world.person(world.partner),
        message=f"Shared {n}",
        visibility="organisation",
    )


def test_the_home_page_makes_as_many_queries_for_one_kudos_as_for_many(
    client: Client, world: World
) -> None:
    _round_of_kudos(world, 0)
    one = _home_queries(client, world)
    for n in range(1, 8):
        _round_of_kudos(world, n)
    assert _home_queries(client, world) == one


def test_kudos_from_the_room_must_stay_within_its_mentorship(client: Client, world: World) -> None:
    client.force_login(world.giver)
    response = client.post(
        page("kudos_new") + f"?mentorship={world.room.mentorship.pk}",
        {
            "receiver": world.person(world.same_program).pk,
            "message": "Thanks",
            "visibility": "private",
            "mentorship": world.room.mentorship.pk,
        },
    )
    assert response.status_code == 200
    assert "Mentorship: it must be one you and the receiver are both members of." in (
        response.content.decode()
    )
    assert not Kudos.objects.exists()
