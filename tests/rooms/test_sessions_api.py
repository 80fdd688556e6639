"""The sessions and agenda REST API: the room's members only (managers and admins 404), the
same services and refusals as the pages (400 with ``detail``), agenda templates for admins and
a program's managers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.authz import Actors, assert_access
from tests.rooms.factories import Room, make_room
from tests.rooms.test_sessions import FUTURE_YEAR, last_sunday, schedule, seat_of
from twoway.rooms.models import AgendaItem, AgendaTemplate, Session

pytestmark = pytest.mark.django_db


def api(name: str, **kwargs: Any) -> str:
    return reverse(f"rooms_api:{name}", kwargs={"org_slug": "acme", **kwargs})


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


@pytest.fixture(name="session")
def session_fixture(room: Room) -> Session:
    return schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))[0]


def test_the_session_endpoints_are_the_members_alone(
    client: Client, actors: Actors, room: Room, session: Session
) -> None:
    m = {"mentorship_id": room.mentorship.pk}
    s = {**m, "session_id": session.pk}
    item = AgendaItem.objects.create(
        organisation=actors.organisation, session=session, position=1, text="Intro"
    )
    for url in (
        api("sessions", **m),
        api("session", **s),
        api("session_agenda_templates", **s),
        api("session_ics", **s),
    ):
        assert_access(client, actors, url, allowed={"participant"}, api=True)
    assert_access(
        client,
        actors,
        api("session_agenda_tick", **s, item_id=item.pk),
        allowed={"participant"},
        method="patch",
        data={"done": True},
        api=True,
    )
    assert_access(
        client,
        actors,
        api("session_agenda_add", **s),
        allowed={"participant"},
        method="post",
        data={"text": "More"},
        api=True,
        ok_status=201,
    )
    assert_access(
        client,
        actors,
        api("session_agenda_attach", **s),
        allowed={"participant"},
        method="post",
        data={"template_key": "builtin:kickoff"},
        api=True,
    )
    # A pair keeps no register: the member reaches the endpoint and is refused with a reason
    responses = assert_access(
        client,
        actors,
        api("session_attendance", **s),
        allowed={"participant"},
        method="post",
        data={"present_member_ids": []},
        api=True,
        ok_status=400,
    )
    assert "circles only" in responses["participant"].json()["detail"]
    assert_access(
        client,
        actors,
        api("session", **s),
        allowed={"participant"},
        method="patch",
        data={
            "starts_at_local": f"{FUTURE_YEAR}-06-04T11:00",
            "time_zone": "Europe/Berlin",
            "duration_minutes": 45,
        },
        api=True,
    )
    assert_access(
        client,
        actors,
        api("session_cancel", **s),
        allowed={"participant"},
        method="post",
        data={},
        api=True,
    )
    assert_access(
        client,
        actors,
        api("sessions", **m),
        allowed={"participant"},
        method="post",
        data={
            "starts_at_local": f"{FUTURE_YEAR}-08-04T11:00",
            "time_zone": "UTC",
            "duration_minutes": 45,
        },
        api=True,
        ok_status=201,
    )


def test_a_series_through_the_api_keeps_its_local_time_and_emails_once(
    client: Client, room: Room, django_capture_on_commit_callbacks: Any
) -> None:
    monday = last_sunday(FUTURE_YEAR, 3) - dt.timedelta(days=13)
    client.force_login(room.mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            api("sessions", mentorship_id=room.mentorship.pk),
            {
                "starts_at_local": f"{monday.isoformat()}T09:00",
                "time_zone": "Europe/Berlin",
                "duration_minutes": 60,
                "repeat_count": 4,
                "every_weeks": 1,
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    hours = [
        dt.datetime.fromisoformat(s["starts_at"]).astimezone(dt.UTC).hour for s in response.json()
    ]
    assert hours == [8, 8, 7, 7]
    assert len(mail.outbox) == 2
    ics = client.get(
        api("session_ics", mentorship_id=room.mentorship.pk, session_id=response.json()[3]["id"])
    )
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime.combine(
        monday + dt.timedelta(days=21), dt.time(7), tzinfo=dt.UTC
    )


def test_a_refusal_answers_400_with_the_reason(client: Client, room: Room) -> None:
    client.force_login(room.mentee)
    response = client.post(
        api("sessions", mentorship_id=room.mentorship.pk),
        {"starts_at_local": "2020-01-06T09:00", "time_zone": "UTC", "duration_minutes": 60},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "which has passed" in response.json()["detail"]
    assert not Session.objects.exists()


def test_agenda_template_endpoints_for_admins_and_program_managers(
    client: Client, actors: Actors, room: Room
) -> None:
    org = api("agenda_templates")
    assert_access(client, actors, org, allowed={"admin"}, api=True)
    program = f"{org}?program={room.program.pk}"
    assert_access(client, actors, program, allowed={"program_manager", "admin"}, api=True)
    client.force_login(actors.program_manager)
    created = client.post(
        program, {"name": "Ours", "items": ["One", "Two"]}, content_type="application/json"
    )
    assert created.status_code == 201
    template_id = created.json()["id"]
    detail = api("agenda_template", template_id=template_id)
    assert_access(client, actors, detail, allowed={"program_manager", "admin"}, api=True)
    client.force_login(actors.program_manager)
    refused = client.put(detail, {"name": "Ours", "items": []}, content_type="application/json")
    assert refused.status_code == 400 and "1 to 20 items" in refused.json()["detail"]
    assert client.delete(detail).status_code == 204
    assert not AgendaTemplate.objects.exists()
