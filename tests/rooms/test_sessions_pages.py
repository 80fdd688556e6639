"""Session pages: only the room's members reach them (managers and admins get 404 like
strangers), schedule and agenda forms work from plain POSTs, and the room's sessions section
loads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.rooms.factories import Room, make_room
from tests.rooms.test_sessions import FUTURE_YEAR, schedule, seat_of
from twoway.mentorships.models import Mentorship
from twoway.rooms.models import AgendaItem, AgendaTemplate, Session
from twoway.rooms.selectors.sessions import sessions_for_room

pytestmark = pytest.mark.django_db

SLUG = "acme"


def page(name: str, **kwargs: Any) -> str:
    return reverse(f"rooms:{name}", kwargs={"org_slug": SLUG, **kwargs})


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


@pytest.fixture(name="session")
def session_fixture(room: Room) -> Session:
    return schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))[0]


def test_the_session_pages_are_the_members_alone(
    client: Client, actors: Actors, room: Room, session: Session
) -> None:
    m = {"mentorship_id": room.mentorship.pk}
    s = {**m, "session_id": session.pk}
    for url in (
        page("sessions", **m),
        page("session_new", **m),
        page("session", **s),
        page("session_edit", **s),
        page("session_ics", **s),
    ):
        assert_access(client, actors, url, allowed={"participant"})


def test_the_session_writes_are_the_members_alone(
    client: Client, actors: Actors, room: Room, session: Session
) -> None:
    s = {"mentorship_id": room.mentorship.pk, "session_id": session.pk}
    item = AgendaItem.objects.create(
        organisation=actors.organisation, session=session, position=1, text="Intro"
    )
    for name, data in (
        ("session_agenda_add", {"text": "Warm-up"}),
        ("session_agenda_attach", {"template": "builtin:kickoff"}),
        ("session_attendance", {}),
    ):
        assert_access(
            client,
            actors,
            page(name, **s),
            allowed={"participant"},
            method="post",
            data=data,
            ok_status=302,
        )
    item = AgendaItem.objects.filter(session=session).first() or item
    assert_access(
        client,
        actors,
        page("session_agenda_tick", **s, item_id=item.pk),
        allowed={"participant"},
        method="post",
        data={"done": "1"},
        ok_status=302,
    )
    assert_access(
        client,
        actors,
        page("session_cancel", **s),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )


def test_a_bystander_of_the_same_program_gets_404(
    client: Client, room: Room, session: Session
) -> None:
    client.force_login(room.bystander)
    url = page("session", mentorship_id=room.mentorship.pk, session_id=session.pk)
    assert client.get(url).status_code == 404


def test_scheduling_from_the_form_shows_the_session_in_the_viewers_zone(
    client: Client, room: Room
) -> None:
    client.force_login(room.mentee)
    form = client.get(page("session_new", mentorship_id=room.mentorship.pk))
    assert b'name="time_zone"' in form.content
    response = client.post(
        page("session_new", mentorship_id=room.mentorship.pk),
        {
            "date": f"{FUTURE_YEAR}-06-03",
            "time": "09:00",
            "time_zone": "Europe/Berlin",
            "duration_minutes": "45",
            "place": "Room 4",
            "video_url": "",
            "repeat_count": "2",
            "every_weeks": "1",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Session.objects.filter(mentorship=room.mentorship).count() == 2
    # The viewer's zone is UTC: 09:00 in Berlin in June is 07:00 UTC
    assert b"07:00" in response.content and b"UTC" in response.content


def test_a_refused_schedule_keeps_the_form_and_ties_the_error_to_its_field(
    client: Client, room: Room
) -> None:
    client.force_login(room.mentee)
    response = client.post(
        page("session_new", mentorship_id=room.mentorship.pk),
        {
            "date": "2020-01-06",
            "time": "09:00",
            "time_zone": "Europe/Berlin",
            "duration_minutes": "45",
            "repeat_count": "1",
            "every_weeks": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "which has passed" in html
    assert 'id="id_time_error"' in html
    assert 'aria-describedby="id_time_error"' in html
    assert not Session.objects.exists()


def test_an_agenda_template_is_copied_and_items_can_be_ticked(
    client: Client, room: Room, session: Session
) -> None:
    client.force_login(room.mentee)
    s = {"mentorship_id": room.mentorship.pk, "session_id": session.pk}
    client.post(page("session_agenda_attach", **s), {"template": "builtin:reverse_feedback"})
    items = list(AgendaItem.objects.filter(session=session))
    assert len(items) == 6
    ticked = client.post(page("session_agenda_tick", **s, item_id=items[0].pk), {"done": "1"})
    # Back to the item's own button, so keyboard focus stays where it was
    assert ticked["Location"].endswith(f"/sessions/{session.pk}/#agenda-item-{items[0].pk}")
    items[0].refresh_from_db()
    assert items[0].done and items[0].done_by == room.member(room.mentee)
    response = client.get(page("session", **s))
    assert b"ticked by" in response.content


def test_another_programs_template_is_refused_like_a_missing_one(
    client: Client, actors: Actors, room: Room, session: Session
) -> None:
    other = make_room(actors, kind=Mentorship.Kind.CIRCLE)
    foreign = AgendaTemplate.objects.create(
        organisation=actors.organisation, program=other.program, name="Theirs", items=["x"]
    )
    client.force_login(room.mentee)
    s = {"mentorship_id": room.mentorship.pk, "session_id": session.pk}
    response = client.post(
        page("session_agenda_attach", **s), {"template": f"template:{foreign.pk}"}, follow=True
    )
    assert b"this template does not exist" in response.content
    assert not AgendaItem.objects.filter(session=session).exists()


def test_the_rooms_sessions_section_costs_the_same_queries_however_many_sessions(
    room: Room,
) -> None:
    seat = seat_of(room)
    now = timezone.now()
    schedule(seat, dt.datetime(FUTURE_YEAR, 6, 3, 10))
    with CaptureQueriesContext(connection) as few:
        context = sessions_for_room(seat=seat, now=now)
    schedule(seat, dt.datetime(FUTURE_YEAR, 7, 1, 10), repeat_count=20, every_weeks=1)
    Session.objects.filter(starts_at__month=6).update(
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    with CaptureQueriesContext(connection) as many:
        context = sessions_for_room(seat=seat, now=now)
    assert len(few) == len(many) == 2
    assert len(context["sessions_upcoming"]) == 5
    assert context["sessions_past_count"] == 1


def test_the_section_template_renders_the_next_sessions(
    client: Client, room: Room, session: Session
) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = room.mentee
    seat = seat_of(room)
    html = render_to_string(
        "rooms/_sessions.html",
        {
            **sessions_for_room(seat=seat, now=timezone.now()),
            "seat": seat,
            "mentorship": room.mentorship,
            "is_live": True,
            "current_organisation": room.mentorship.organisation,
        },
        request=request,
    )
    assert page("session", mentorship_id=room.mentorship.pk, session_id=session.pk) in html
    assert "Schedule a session" in html
    assert "0 sessions held" in html


def test_the_room_page_shows_the_sessions_section(
    client: Client, room: Room, session: Session
) -> None:
    client.force_login(room.mentee)
    response = client.get(page("room", mentorship_id=room.mentorship.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="sessions-heading"' in html
    assert page("session", mentorship_id=room.mentorship.pk, session_id=session.pk) in html


def test_the_session_list_costs_the_same_queries_however_many_sessions(
    client: Client, room: Room
) -> None:
    client.force_login(room.mentee)
    url = page("sessions", mentorship_id=room.mentorship.pk)
    schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 7, 1, 10), repeat_count=30, every_weeks=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(few) == len(many)
    assert b"Page 1 of 2" in response.content


def test_a_circle_records_attendance_from_the_session_page(client: Client, actors: Actors) -> None:
    from twoway.rooms.models import Attendance

    circle = make_room(actors, kind=Mentorship.Kind.CIRCLE)
    [session] = schedule(seat_of(circle), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    s = {"mentorship_id": circle.mentorship.pk, "session_id": session.pk}
    client.force_login(circle.mentee)
    form = client.get(page("session", **s))
    assert b"Who was there?" in form.content
    present = circle.member(circle.mentor).pk
    client.post(page("session_attendance", **s), {"present": [str(present)]})
    recorded = dict(Attendance.objects.values_list("member_id", "status"))
    assert recorded[present] == "present"
    assert list(recorded.values()).count("absent") == 3
