"""Milestones: each celebrated once whichever way it is found (the pulse, the attendance
register, program completion, the daily sweep), shown to the members in the room, through the
API and in the feed's sidebar (a constant number of queries)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.recognition.factories import World, give, make_world
from tests.rooms.factories import make_room
from tests.rooms.test_notes import make_session, seat_of
from twoway.mentorships.models import Mentorship
from twoway.mentorships.services import mentorships_complete
from twoway.programs.models import Program
from twoway.recognition.models import Celebration
from twoway.recognition.selectors import recognition_for_feed
from twoway.recognition.services import celebrations_sweep
from twoway.rooms.services.pulse import pulse_submit
from twoway.rooms.services.sessions import attendance_record
from twoway.threads.audience import audience_of

pytestmark = pytest.mark.django_db

SLUG = "acme"
FIRST = Celebration.Kind.FIRST_SESSION
COMPLETED = Celebration.Kind.PROGRAM_COMPLETED


def kinds() -> list[tuple[int, str]]:
    return sorted(Celebration.objects.values_list("mentorship_id", "kind"))


def test_the_first_pulse_celebrates_the_first_session_once(actors: Actors) -> None:
    room = make_room(actors)
    first, second = make_session(room), make_session(room, starts_in=dt.timedelta(hours=-2))
    pulse_submit(seat=seat_of(room, room.mentee), session=first, rating=4)
    pulse_submit(seat=seat_of(room, room.mentor), session=first, rating=5)
    pulse_submit(seat=seat_of(room, room.mentee), session=second, rating=3)
    assert kinds() == [(room.mentorship.pk, FIRST)]


def test_a_circle_register_with_someone_present_celebrates_the_first_session(
    actors: Actors,
) -> None:
    room = make_room(actors, kind=Mentorship.Kind.CIRCLE)
    session = make_session(room)
    seat = seat_of(room, room.mentee)
    attendance_record(seat=seat, session=session, present_member_ids=[])
    assert kinds() == []  # nobody came: nothing was held
    attendance_record(seat=seat, session=session, present_member_ids=[seat.member.pk])
    attendance_record(seat=seat, session=session, present_member_ids=[seat.member.pk])
    assert kinds() == [(room.mentorship.pk, FIRST)]


def test_completing_the_program_celebrates_each_completed_mentorship(actors: Actors) -> None:
    room = make_room(actors)
    Program.objects.filter(pk=room.program.pk).update(status=Program.Status.CLOSED)
    room.program.refresh_from_db()
    assert mentorships_complete(program=room.program, today=timezone.localdate()) == 1
    assert mentorships_complete(program=room.program, today=timezone.localdate()) == 0
    assert kinds() == [(room.mentorship.pk, COMPLETED)]


def test_the_sweep_finds_what_the_hooks_missed_and_is_idempotent(actors: Actors) -> None:
    held = make_room(actors)
    make_session(held)  # held yesterday, nobody gave a pulse
    upcoming = make_room(actors)
    make_session(upcoming, starts_in=dt.timedelta(days=1))
    cancelled = make_room(actors)
    session = make_session(cancelled)
    session.status = "cancelled"
    session.save()
    done = make_room(actors)
    Mentorship.objects.filter(pk=done.mentorship.pk).update(
        status=Mentorship.Status.COMPLETED, ended_at=timezone.now()
    )
    counts = celebrations_sweep(now=timezone.now())
    assert counts == {"first_session": 1, "program_completed": 1}
    assert kinds() == sorted([(held.mentorship.pk, FIRST), (done.mentorship.pk, COMPLETED)])
    out = StringIO()
    call_command("celebrate", stdout=out)
    assert "Celebrated 0 first sessions and 0 completed programs." in out.getvalue()
    assert Celebration.objects.count() == 2


def test_the_room_shows_the_milestones_in_words_to_its_members(
    client: Client, actors: Actors
) -> None:
    room = make_room(actors)
    pulse_submit(seat=seat_of(room, room.mentee), session=make_session(room), rating=4)
    url = reverse("rooms:room", kwargs={"org_slug": SLUG, "mentorship_id": room.mentorship.pk})
    responses = assert_access(client, actors, url, allowed={"participant"})
    html = responses["participant"].content.decode()
    assert "First session held" in html
    assert "Give kudos" in html


def test_the_celebrations_endpoint_is_for_the_members(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    pulse_submit(seat=seat_of(room, room.mentee), session=make_session(room), rating=4)
    url = reverse(
        "recognition_api:celebrations",
        kwargs={"org_slug": SLUG, "mentorship_id": room.mentorship.pk},
    )
    responses = assert_access(client, actors, url, allowed={"participant"}, api=True)
    rows = responses["participant"].json()["results"]
    assert [(row["kind"], row["kind_label"]) for row in rows] == [
        ("first_session", "First session held")
    ]


def _feed_queries(world: World) -> tuple[int, dict[str, list]]:
    audience = audience_of(membership=world.membership(world.giver))
    with CaptureQueriesContext(connection) as queries:
        feed = recognition_for_feed(audience=audience)
        for kudos in feed["feed_kudos"]:
            assert kudos.giver.full_name and kudos.receiver.full_name
        for celebration in feed["feed_celebrations"]:
            assert celebration.mentorship.program.name
    return len(queries), feed


def test_the_feed_sidebar_shows_the_latest_five_of_each_in_constant_queries(
    actors: Actors,
) -> None:
    world = make_world(actors)
    pulse_submit(seat=seat_of(world.room, world.giver), session=make_session(world.room), rating=4)
    give(world, message="One", visibility="organisation")
    one, feed = _feed_queries(world)
    assert len(feed["feed_celebrations"]) == 1 and len(feed["feed_kudos"]) == 1
    for n in range(7):
        give(world, message=f"More {n}", visibility="organisation")
    many, feed = _feed_queries(world)
    assert many == one
    assert [k.message for k in feed["feed_kudos"]] == [f"More {n}" for n in range(6, 1, -1)]
    other = recognition_for_feed(
        audience=audience_of(membership=world.membership(world.giver)),
        program=world.other_program,
    )
    assert other["feed_kudos"] == []


def test_the_feed_sidebar_renders_the_milestones_and_kudos(actors: Actors) -> None:
    world = make_world(actors)
    pulse_submit(seat=seat_of(world.room, world.giver), session=make_session(world.room), rating=4)
    give(world, message="canary-feed-kudos", visibility="organisation")
    context = recognition_for_feed(audience=audience_of(membership=world.membership(world.giver)))
    html = render_to_string(
        "recognition/_feed_sidebar.html",
        {**context, "current_organisation": actors.organisation},
    )
    assert "First session held" in html
    assert "canary-feed-kudos" in html
    assert world.room.program.name in html
