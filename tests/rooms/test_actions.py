"""Action items: any member adds, edits and closes them; overdue ones stand out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.rooms.factories import Room, make_room
from tests.rooms.test_notes import api, make_session, page, seat_of
from twoway.core.errors import ApplicationError
from twoway.rooms.models import ActionItem
from twoway.rooms.selectors.work import work_for_room, work_for_session
from twoway.rooms.services.actions import action_create, action_set_status, action_update

pytestmark = pytest.mark.django_db


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


def test_any_member_edits_and_closes_an_action_item(room: Room) -> None:
    mentor = room.member(room.mentor)
    item = action_create(
        seat=seat_of(room, room.mentee), title=" Try the app ", owner_id=mentor.pk, due_on=None
    )
    assert (item.title, item.owner_id, item.created_by_id) == (
        "Try the app",
        mentor.pk,
        room.member(room.mentee).pk,
    )
    action_update(
        seat=seat_of(room, room.mentor), action=item, title="Try it", owner_id=None, due_on=None
    )
    action_set_status(seat=seat_of(room, room.mentor), action=item, status="done")
    item.refresh_from_db()
    assert (item.title, item.status, item.done_at is not None) == ("Try it", "done", True)
    action_set_status(seat=seat_of(room, room.mentee), action=item, status="open")
    item.refresh_from_db()
    assert (item.status, item.done_at) == ("open", None)


def test_refusals_name_the_field(actors: Actors, room: Room) -> None:
    seat = seat_of(room, room.mentee)
    with pytest.raises(ApplicationError, match="at most 300 characters; this one has 301"):
        action_create(seat=seat, title="x" * 301, owner_id=None, due_on=None)
    with pytest.raises(ApplicationError, match="title"):
        action_create(seat=seat, title="  ", owner_id=None, due_on=None)
    stranger = make_room(actors).member(actors.participant)
    with pytest.raises(ApplicationError, match=r"owner .* must be a member of this mentorship"):
        action_create(seat=seat, title="x", owner_id=stranger.pk, due_on=None)
    assert not ActionItem.objects.exists()


def test_open_items_come_first_and_overdue_ones_are_flagged(room: Room) -> None:
    seat = seat_of(room, room.mentee)
    today = timezone.localdate()
    later = action_create(seat=seat, title="later", owner_id=None, due_on=today + dt.timedelta(3))
    late = action_create(seat=seat, title="late", owner_id=None, due_on=today - dt.timedelta(1))
    undated = action_create(seat=seat, title="undated", owner_id=None, due_on=None)
    done = action_create(seat=seat, title="done", owner_id=None, due_on=today - dt.timedelta(9))
    action_set_status(seat=seat, action=done, status="done")
    context = work_for_room(seat=seat, notes_page=1)
    assert [a.pk for a in context["actions_open"]] == [late.pk, later.pk, undated.pk]
    assert [a.is_overdue for a in context["actions_open"]] == [True, False, False]
    assert [a.pk for a in context["actions_closed"]] == [done.pk]
    assert context["actions_closed"][0].is_overdue is False


def test_the_room_shows_overdue_in_words(client: Client, room: Room) -> None:
    seat = seat_of(room, room.mentee)
    action_create(
        seat=seat, title="canary-late", owner_id=None, due_on=timezone.localdate() - dt.timedelta(2)
    )
    client.force_login(room.mentor)
    html = client.get(page("room", mentorship_id=room.mentorship.pk)).content.decode()
    assert "canary-late" in html and "<strong>Overdue</strong>" in html


def test_action_pages_are_for_the_members_only(client: Client, actors: Actors, room: Room) -> None:
    mid = room.mentorship.pk
    assert_access(client, actors, page("action_new", mentorship_id=mid), allowed={"participant"})
    assert_access(
        client,
        actors,
        page("action_new", mentorship_id=mid),
        allowed={"participant"},
        method="post",
        data={"title": "From the page", "owner": "", "due_on": "2031-01-02"},
        ok_status=302,
    )
    item = ActionItem.objects.get()
    assert (item.title, item.due_on) == ("From the page", dt.date(2031, 1, 2))
    assert_access(
        client,
        actors,
        page("action_edit", mentorship_id=mid, action_id=item.pk),
        allowed={"participant"},
    )
    assert_access(
        client,
        actors,
        page("action_status", mentorship_id=mid, action_id=item.pk),
        allowed={"participant"},
        method="post",
        data={"status": "dropped"},
        ok_status=302,
    )
    item.refresh_from_db()
    assert item.status == "dropped"


def test_a_refused_action_keeps_the_text(client: Client, room: Room) -> None:
    client.force_login(room.mentee)
    response = client.post(
        page("action_new", mentorship_id=room.mentorship.pk), {"title": "", "owner": ""}
    )
    html = response.content.decode()
    assert "Give the action item a title" in html and 'aria-invalid="true"' in html
    assert not ActionItem.objects.exists()


def test_action_endpoints_are_for_the_members_only(
    client: Client, actors: Actors, room: Room
) -> None:
    mid = room.mentorship.pk
    session = make_session(room)
    responses = assert_access(
        client,
        actors,
        api("actions", mentorship_id=mid),
        allowed={"participant"},
        method="post",
        data={"title": "api", "due_on": "2020-01-01", "session": session.pk},
        api=True,
        ok_status=201,
    )
    created = responses["participant"].json()
    assert (created["is_overdue"], created["session"]) == (True, session.pk)
    responses = assert_access(
        client, actors, api("actions", mentorship_id=mid), allowed={"participant"}, api=True
    )
    assert [a["title"] for a in responses["participant"].json()["results"]] == ["api"]
    responses = assert_access(
        client,
        actors,
        api("action", mentorship_id=mid, action_id=created["id"]),
        allowed={"participant"},
        method="patch",
        data={"status": "done", "title": "api done"},
        api=True,
    )
    assert responses["participant"].json()["status"] == "done"
    assert responses["participant"].json()["is_overdue"] is False
    seat = seat_of(room, room.mentor)
    assert [a.title for a in work_for_session(seat=seat, session=session)["work_actions"]] == [
        "api done"
    ]
