"""The canary test: content written in a room reaches only the people entitled to it.

Given a pair whose members write a unique token into each kind of content — a private note, a
shared note, a goal (title, description and a progress note), an action item, their agreement
statements and a private pulse reflection — and, in a second room, a private reason for ending
early, when every GET route of the whole project is requested by every person who is not
entitled to a token, then that token appears in no HTML, JSON, CSV or calendar answer; it is in
no email anyone got and in no log line. The routes are found by walking the URL configuration,
so a page added later is covered without being listed here. Positive controls show the same
crawl does find each token where it is allowed, so the test can fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core import mail
from django.utils import timezone

from tests.authz import Actors
from tests.crawl import crawl, leaks
from tests.rooms.factories import Room, make_room
from twoway.accounts.models import User
from twoway.core.models import Membership
from twoway.mentorships.services import mentorship_end_early
from twoway.rooms import models as rooms_models
from twoway.rooms.access import Seat, room_get_for_member
from twoway.rooms.models import CalendarFeed, Note, Session
from twoway.rooms.services.actions import action_create
from twoway.rooms.services.agreement import agreement_update
from twoway.rooms.services.goals import goal_create, goal_update_progress
from twoway.rooms.services.notes import note_create
from twoway.rooms.services.pulse import pulse_submit

pytestmark = pytest.mark.django_db

PRIVATE = "canary-private-7f3a91"
SHARED = "canary-shared-2b8c44"
GOAL = "canary-goal-5d1e07"
ACTION = "canary-action-9a6f12"
STATEMENT = "canary-statement-3c7b58"
REFLECTION = "canary-reflection-8e2d63"
ENDING = "canary-ending-4f9a20"
ALL = (PRIVATE, SHARED, GOAL, ACTION, STATEMENT, REFLECTION, ENDING)
MEMBERS_ONLY = (SHARED, GOAL, ACTION, STATEMENT)


def seat_of(user: User, room: Room) -> Seat:
    membership = Membership.objects.get(user=user, organisation=room.mentorship.organisation)
    return room_get_for_member(membership=membership, mentorship_id=room.mentorship.pk)


@dataclass
class Scene:
    actors: Actors
    room: Room
    ended: Room
    session: Session
    notes: list[Note]


def write_content(actors: Actors) -> Scene:
    room = make_room(actors)
    mentee, mentor = seat_of(room.mentee, room), seat_of(room.mentor, room)
    for seat in (mentee, mentor):
        agreement_update(seat=seat, wants_to_learn=f"{STATEMENT} learn", offers=f"{STATEMENT} do")
    session = Session.objects.create(
        organisation=room.mentorship.organisation,
        mentorship=room.mentorship,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        duration_minutes=45,
        uid="canary-session@twoway",
    )
    notes = [
        note_create(seat=mentee, body=f"My own thoughts {PRIVATE}", visibility="private"),
        note_create(
            seat=mentor, body=f"For us both {SHARED}", visibility="shared", session=session
        ),
    ]
    goal = goal_create(seat=mentor, title=f"Goal {GOAL}", description=f"Why {GOAL}")
    goal_update_progress(seat=mentor, goal=goal, percent=40, note=f"Progress {GOAL}")
    action_create(
        seat=mentee, title=f"Try {ACTION}", owner_id=mentor.member.pk, due_on=None, session=session
    )
    pulse_submit(seat=mentee, session=session, rating=4, reflection=f"I felt {REFLECTION}")

    # A second pair in which the mentor ends early, with a reason only they may read.
    ended = make_room(actors)
    mentorship_end_early(
        seat=seat_of(ended.mentor, ended), reason=f"Because {ENDING}", rematch=True
    )
    return Scene(actors=actors, room=room, ended=ended, session=session, notes=notes)


def url_values(scene: Scene, user: User | None) -> dict[str, list[str]]:
    room, ended = scene.room, scene.ended
    goal_ids = [str(pk) for pk in rooms_models.Goal.objects.values_list("pk", flat=True)]
    action_ids = [str(pk) for pk in rooms_models.ActionItem.objects.values_list("pk", flat=True)]
    token = "no-feed"
    if user is not None:
        feed, _ = CalendarFeed.objects.get_or_create(
            organisation=room.mentorship.organisation, user=user
        )
        token = feed.token
    mentorships = [str(room.mentorship.pk), str(ended.mentorship.pk)]
    return {
        "org_slug": [room.mentorship.organisation.slug],
        "program_id": [str(room.program.pk), str(ended.program.pk)],
        "mentorship_id": mentorships,
        "pk": mentorships,
        "session_id": [str(scene.session.pk)],
        "note_id": [str(note.pk) for note in scene.notes],
        "goal_id": goal_ids,
        "action_id": action_ids,
        "token": [token],
    }


def crawl_as(scene: Scene, user: User | None) -> dict[str, str]:
    return crawl(url_values(scene, user), user)


def test_no_token_reaches_anyone_not_entitled(actors: Actors, log_lines: list[str]) -> None:
    scene = write_content(actors)
    room = scene.room

    # Positive controls: the crawl reaches the room's pages, endpoints, calendars and exports,
    # and finds each token where it is allowed.
    as_mentee = crawl_as(scene, room.mentee)
    for part in ("/notes/", "/goals/", "/sessions/", "/overview/", "/api/", ".ics", ".csv"):
        assert any(part in url for url in as_mentee), f"no {part} route was crawled"
    assert leaks(as_mentee, (PRIVATE,)), "the author must see their private note"
    assert leaks(as_mentee, (REFLECTION,)), "the author must see their reflection"
    assert leaks(as_mentee, (SHARED,)) and leaks(as_mentee, (GOAL,))
    as_mentor = crawl_as(scene, room.mentor)
    assert all(leaks(as_mentor, (token,)) for token in MEMBERS_ONLY)
    as_ender = crawl_as(scene, scene.ended.mentor)
    assert leaks(as_ender, (ENDING,)), "who ended early reads their own reason"

    # The other member: not the mentee's private note or reflection, not the mentor's reason.
    assert leaks(as_mentee, (ENDING,)) == []
    assert leaks(as_mentor, (PRIVATE, REFLECTION, ENDING)) == []
    # The one who ended the second pair is in no way entitled to the first room.
    assert leaks(as_ender, tuple(t for t in ALL if t != ENDING)) == []

    # Everyone else: nothing at all.
    for name in ("anonymous", "program_manager", "admin", "outsider"):
        assert leaks(crawl_as(scene, actors.user(name)), ALL) == [], name
    assert leaks(crawl_as(scene, room.bystander), ALL) == [], "bystander"
    assert scene.ended.mentee == room.mentee  # the same participant sits in both rooms
    # Emails carry links, never content; nothing confidential is logged.
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [str(content) for _, content, _ in getattr(message, "attachments", [])]
        assert not any(token in part for part in parts for token in ALL), message.subject
    assert log_lines, "the capture must see the requests' log lines"
    assert not [line for line in log_lines if any(token in line for token in ALL)]


def test_no_room_content_is_registered_in_the_admin() -> None:
    content = {
        rooms_models.Note,
        rooms_models.Goal,
        rooms_models.GoalUpdate,
        rooms_models.Milestone,
        rooms_models.ActionItem,
        rooms_models.Pulse,
        rooms_models.MemberStatement,
        rooms_models.AgendaItem,
    }
    assert content.isdisjoint(admin.site._registry)
