"""The personal calendar feed: a secret URL per user and organisation that calendar apps poll.
It lists the user's sessions in that organisation only, stops working when revoked or when the
user leaves the organisation, and loads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory
from tests.rooms.factories import Room, make_room
from tests.rooms.test_sessions import FUTURE_YEAR, schedule, seat_of
from twoway.core.models import Membership, Role
from twoway.rooms.models import CalendarFeed
from twoway.rooms.services import sessions

pytestmark = pytest.mark.django_db


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


def feed_url_of(client: Client, user: object, slug: str = "acme") -> str:
    client.force_login(user)
    client.get(reverse("rooms:calendar", kwargs={"org_slug": slug}))
    feed = CalendarFeed.objects.get(user=user, organisation__slug=slug)
    client.logout()
    return reverse("calendar_feed:feed", kwargs={"token": feed.token})


def events(response: object) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")  # type: ignore[attr-defined]


def test_every_member_of_the_organisation_has_a_calendar_page(
    client: Client, actors: Actors
) -> None:
    url = reverse("rooms:calendar", kwargs={"org_slug": "acme"})
    allowed = {"participant", "program_manager", "admin"}
    responses = assert_access(client, actors, url, allowed=allowed)
    token = CalendarFeed.objects.get(user=actors.participant).token
    assert token.encode() in responses["participant"].content
    revoke = reverse("rooms:calendar_revoke", kwargs={"org_slug": "acme"})
    assert_access(client, actors, revoke, allowed=allowed, method="post", ok_status=302)


def test_the_feed_lists_the_users_sessions_with_cancelled_ones_marked(
    client: Client, room: Room
) -> None:
    made = schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10), repeat_count=3)
    sessions.session_cancel(seat=seat_of(room), session=made[2])
    url = feed_url_of(client, room.mentor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = {str(e["uid"]): str(e["status"]) for e in events(response)}
    assert found == {
        made[0].uid: "CONFIRMED",
        made[1].uid: "CONFIRMED",
        made[2].uid: "CANCELLED",
    }
    first = next(e for e in events(response) if str(e["uid"]) == made[0].uid)
    assert str(first["summary"]) == f"Mentoring session — {room.program.name}"
    assert first.decoded("dtstart") == made[0].starts_at


def test_revoking_makes_the_old_url_404_and_gives_a_new_one(client: Client, room: Room) -> None:
    old = feed_url_of(client, room.mentee)
    client.force_login(room.mentee)
    client.post(reverse("rooms:calendar_revoke", kwargs={"org_slug": "acme"}))
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse(
        "calendar_feed:feed", kwargs={"token": CalendarFeed.objects.get(user=room.mentee).token}
    )
    assert new != old
    assert client.get(new).status_code == 200


def test_an_unknown_token_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("calendar_feed:feed", kwargs={"token": "nope"})).status_code == 404


def test_a_feed_of_another_organisation_shows_nothing_of_this_one(
    client: Client, actors: Actors, room: Room
) -> None:
    schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    # Given the mentee is also a member of Globex, where they have no sessions
    MembershipFactory(
        organisation=actors.other_organisation, user=room.mentee, role=Role.PARTICIPANT
    )
    response = client.get(feed_url_of(client, room.mentee, slug="globex"))
    assert response.status_code == 200
    assert events(response) == []
    # And the outsider's own feed shows nothing of Acme
    assert events(client.get(feed_url_of(client, actors.outsider, slug="globex"))) == []


def test_a_user_who_left_the_organisation_gets_404(client: Client, room: Room) -> None:
    url = feed_url_of(client, room.mentee)
    Membership.objects.filter(user=room.mentee).update(is_active=False)
    assert client.get(url).status_code == 404


def test_the_feed_costs_the_same_queries_however_many_sessions(
    client: Client, actors: Actors, room: Room
) -> None:
    url = feed_url_of(client, room.mentee)
    schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    with CaptureQueriesContext(connection) as few:
        assert len(events(client.get(url))) == 1
    schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 7, 1, 10), repeat_count=10, every_weeks=1)
    circle = make_room(actors, kind="circle")
    schedule(seat_of(circle), dt.datetime(FUTURE_YEAR, 9, 1, 10), repeat_count=5, every_weeks=1)
    with CaptureQueriesContext(connection) as many:
        assert len(events(client.get(url))) == 16
    assert len(few) == len(many)
