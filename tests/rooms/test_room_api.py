"""The lifecycle over the API: the same rules as the pages, 404 for non-members."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.rooms.factories import make_room
from twoway.mentorships.models import Mentorship


def api(name: str, **kwargs: object) -> str:
    return reverse(f"rooms_api:{name}", kwargs={"org_slug": "acme", **kwargs})


def test_member_endpoints_are_for_members_only(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    pk = room.mentorship.pk
    assert_access(client, actors, api("room", mentorship_id=pk), allowed={"participant"}, api=True)
    assert_access(
        client,
        actors,
        api("agreement", mentorship_id=pk),
        method="patch",
        api=True,
        data={"wants_to_learn": "Gen Z"},
        allowed={"participant"},
    )
    assert_access(
        client,
        actors,
        api("agreement_accept", mentorship_id=pk),
        method="post",
        api=True,
        allowed={"participant"},
        ok_status={200, 400},
    )
    assert_access(
        client, actors, api("mine"), api=True, allowed={"participant", "program_manager", "admin"}
    )
    assert_access(
        client,
        actors,
        api("end", mentorship_id=pk),
        method="post",
        api=True,
        data={"reason": "secret-reason-api"},
        allowed={"participant"},
    )


def test_manager_endpoints_give_metadata_only(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    pk = room.mentorship.pk
    client.force_login(room.mentee)
    client.post(
        api("end", mentorship_id=pk),
        {"reason": "secret-reason-api", "rematch": True},
        content_type="application/json",
    )
    for url in (api("program", program_id=room.program.pk), api("overview", mentorship_id=pk)):
        responses = assert_access(
            client, actors, url, api=True, allowed={"program_manager", "admin"}
        )
        body = responses["program_manager"].content.decode()
        assert "secret-reason-api" not in body
        assert "ended_early" in body
    until = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    live = make_room(actors)
    responses = assert_access(
        client,
        actors,
        api("extend", mentorship_id=live.mentorship.pk),
        method="post",
        api=True,
        data={"until": until},
        allowed={"program_manager", "admin"},
        ok_status={200, 400},
    )
    assert responses["program_manager"].json()["ends_on"] == until


def test_accept_flow_and_refusals_answer_400_with_the_reason(
    client: Client, actors: Actors
) -> None:
    room = make_room(actors)
    pk = room.mentorship.pk
    client.force_login(room.mentee)
    refused = client.post(api("agreement_accept", mentorship_id=pk))
    assert refused.status_code == 400 and "what you want to learn" in refused.json()["detail"]

    for user in (room.mentee, room.mentor):
        client.force_login(user)
        client.patch(
            api("agreement", mentorship_id=pk),
            {"wants_to_learn": "a", "offers": "b"},
            content_type="application/json",
        )
    for user in (room.mentee, room.mentor):
        client.force_login(user)
        answer = client.post(api("agreement_accept", mentorship_id=pk)).json()
    assert answer["status"] == "active" and answer["agreement"]["agreed_at"]

    client.post(api("end", mentorship_id=pk), {"reason": "why"}, content_type="application/json")
    client.force_login(room.mentee)
    seen = client.get(api("room", mentorship_id=pk)).json()
    assert seen["status"] == "ended" and "why" not in str(seen)
    assert [m["status"] for m in client.get(api("mine")).json()] == ["ended"]
    assert Mentorship.objects.get(pk=pk).status == Mentorship.Status.ENDED_EARLY
