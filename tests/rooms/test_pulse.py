"""The pulse: one click after a session has started, once per member (again corrects it), a
reflection only its author reads, and aggregates without names or text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.authz import Actors, assert_access
from tests.rooms.factories import Room, make_room
from tests.rooms.test_notes import api, make_session, page, seat_of
from twoway.core.errors import ApplicationError
from twoway.rooms.models import Pulse, Session
from twoway.rooms.services.pulse import pulse_submit, pulse_summary

pytestmark = pytest.mark.django_db

REFLECTION = "canary-reflection"


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


def test_a_pulse_is_given_once_the_session_started(room: Room) -> None:
    seat = seat_of(room, room.mentee)
    upcoming = make_session(room, starts_in=dt.timedelta(hours=1))
    with pytest.raises(ApplicationError, match="once it has started"):
        pulse_submit(seat=seat, session=upcoming, rating=4)
    cancelled = make_session(room)
    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    with pytest.raises(ApplicationError, match="cancelled"):
        pulse_submit(seat=seat, session=cancelled, rating=4)
    held = make_session(room)
    with pytest.raises(ApplicationError, match="from 1 to 5, not 6"):
        pulse_submit(seat=seat, session=held, rating=6)
    assert not Pulse.objects.exists()


def test_a_second_pulse_corrects_the_first(room: Room) -> None:
    seat = seat_of(room, room.mentee)
    held = make_session(room)
    pulse_submit(seat=seat, session=held, rating=2)
    pulse_submit(seat=seat, session=held, rating=5, reflection=REFLECTION)
    pulse_submit(seat=seat_of(room, room.mentor), session=held, rating=3)
    assert sorted(Pulse.objects.values_list("rating", flat=True)) == [3, 5]
    assert Pulse.objects.get(member=seat.member).reflection == REFLECTION


def test_the_summary_is_aggregates_only(actors: Actors, room: Room) -> None:
    held = make_session(room)
    pulse_submit(seat=seat_of(room, room.mentee), session=held, rating=5, reflection=REFLECTION)
    pulse_submit(seat=seat_of(room, room.mentor), session=held, rating=2)
    other = make_room(actors)  # another program: not counted
    pulse_submit(seat=seat_of(other, other.mentee), session=make_session(other), rating=1)
    summary = pulse_summary(organisation=actors.organisation, program=room.program)
    assert summary == {
        "count": 2,
        "mean": 3.5,
        "distribution": {1: 0, 2: 1, 3: 0, 4: 0, 5: 1},
    }


def test_the_pulse_page_and_the_reflection_stay_with_their_author(
    client: Client, actors: Actors, room: Room
) -> None:
    held = make_session(room)
    url = page("pulse", mentorship_id=room.mentorship.pk, session_id=held.pk)
    assert_access(
        client,
        actors,
        url,
        allowed={"participant"},
        method="post",
        data={"rating": "4", "reflection": REFLECTION},
        ok_status=302,
    )
    assert Pulse.objects.get().rating == 4
    session_url = page("session", mentorship_id=room.mentorship.pk, session_id=held.pk)
    client.force_login(room.mentee)
    html = client.get(session_url).content.decode()
    assert "How useful was this session?" in html and REFLECTION in html
    client.force_login(room.mentor)
    html = client.get(session_url).content.decode()
    assert "How useful was this session?" in html and REFLECTION not in html
    # The other member's own pulse endpoint shows nothing of it
    assert (
        client.get(api("pulse", mentorship_id=room.mentorship.pk, session_id=held.pk)).status_code
        == 404
    )


def test_a_refused_pulse_shows_the_form_with_the_reflection_kept(
    client: Client, room: Room
) -> None:
    upcoming = make_session(room, starts_in=dt.timedelta(days=2))
    client.force_login(room.mentee)
    response = client.post(
        page("pulse", mentorship_id=room.mentorship.pk, session_id=upcoming.pk),
        {"rating": "3", "reflection": REFLECTION},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "once it has started" in html and REFLECTION in html
    assert not Pulse.objects.exists()


def test_the_pulse_endpoint_is_for_the_members_only(
    client: Client, actors: Actors, room: Room
) -> None:
    held = make_session(room)
    url = api("pulse", mentorship_id=room.mentorship.pk, session_id=held.pk)
    responses = assert_access(
        client, actors, url, allowed={"participant"}, method="put", data={"rating": 5}, api=True
    )
    assert responses["participant"].json()["rating"] == 5
    responses = assert_access(client, actors, url, allowed={"participant"}, api=True)
    assert responses["participant"].json()["reflection"] == ""
