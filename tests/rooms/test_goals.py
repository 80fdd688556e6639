"""Goals: each member's own, progress in percent or by milestones, a history entry per update,
and the one status per mentorship that program managers see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.authz import Actors, assert_access
from tests.rooms.factories import Room, make_room
from tests.rooms.test_notes import api, page, seat_of
from twoway.core.errors import ApplicationError
from twoway.rooms.models import Goal, GoalUpdate, Milestone
from twoway.rooms.selectors.work import goal_status_by_mentorship
from twoway.rooms.services.goals import goal_create, goal_delete, goal_update_progress

pytestmark = pytest.mark.django_db


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


def test_progress_updates_write_the_history(room: Room) -> None:
    seat = seat_of(room, room.mentee)
    goal = goal_create(seat=seat, title="Use AI tools daily")
    goal_update_progress(seat=seat, goal=goal, percent=30, note="first week")
    goal_update_progress(seat=seat, goal=goal, percent=40, status="behind")
    goal_update_progress(seat=seat, goal=goal, percent=60)  # keeps "behind"
    goal_update_progress(seat=seat, goal=goal, percent=100)  # done by itself
    history = list(GoalUpdate.objects.filter(goal=goal).order_by("id"))
    assert [(u.percent, u.status, u.note) for u in history] == [
        (30, "on_track", "first week"),
        (40, "behind", ""),
        (60, "behind", ""),
        (100, "done", ""),
    ]
    goal.refresh_from_db()
    assert (goal.percent, goal.status) == (100, "done")


def test_milestones_drive_the_percent(room: Room) -> None:
    seat = seat_of(room, room.mentee)
    goal = goal_create(
        seat=seat,
        title="Lead a demo",
        measure="milestones",
        milestones=["Plan", "Try", "Show", "Ask"],
    )
    steps = list(goal.milestones.order_by("position"))
    update = goal_update_progress(seat=seat, goal=goal, milestones_done=[steps[0].pk, steps[2].pk])
    assert (update.percent, update.status) == (50, "on_track")
    assert list(Milestone.objects.filter(goal=goal, done=True).values_list("title", flat=True)) == [
        "Plan",
        "Show",
    ]
    update = goal_update_progress(seat=seat, goal=goal, milestones_done=[s.pk for s in steps])
    assert (update.percent, update.status) == (100, "done")
    with pytest.raises(ApplicationError, match="tick the milestones"):
        goal_update_progress(seat=seat, goal=goal, percent=10)


def test_goal_rules(actors: Actors, room: Room) -> None:
    seat = seat_of(room, room.mentee)
    with pytest.raises(ApplicationError, match="1 to 20 milestones; this one has 0"):
        goal_create(seat=seat, title="x", measure="milestones")
    with pytest.raises(ApplicationError, match="1 to 20 milestones; this one has 21"):
        goal_create(seat=seat, title="x", measure="milestones", milestones=["m"] * 21)
    with pytest.raises(ApplicationError, match="milestone 2 can be at most 200"):
        goal_create(seat=seat, title="x", measure="milestones", milestones=["ok", "m" * 201])
    with pytest.raises(ApplicationError, match="only for a goal measured by milestones"):
        goal_create(seat=seat, title="x", milestones=["a"])
    assert not Goal.objects.exists()
    goal = goal_create(seat=seat, title="Mine")
    with pytest.raises(ApplicationError, match="from 0 to 100, not 101"):
        goal_update_progress(seat=seat, goal=goal, percent=101)
    with pytest.raises(ApplicationError, match="Only the member whose goal this is"):
        goal_update_progress(seat=seat_of(room, room.mentor), goal=goal, percent=10)
    with pytest.raises(ApplicationError, match="Only the member whose goal this is"):
        goal_delete(seat=seat_of(room, room.mentor), goal=goal)
    assert not GoalUpdate.objects.exists()
    goal_delete(seat=seat, goal=goal)
    assert not Goal.objects.exists()


def test_goal_status_by_mentorship(actors: Actors) -> None:
    rooms = [make_room(actors) for _ in range(4)]
    none, behind, on_track, done = rooms
    for room, statuses in (
        (behind, ["done", "behind"]),
        (on_track, ["done", "on_track"]),
        (done, ["done"]),
    ):
        seat = seat_of(room, room.mentee)
        for status in statuses:
            goal = goal_create(seat=seat, title="g")
            goal_update_progress(seat=seat, goal=goal, percent=50, status=status)
    ids = [r.mentorship.pk for r in rooms]
    with CaptureQueriesContext(connection) as captured:
        found = goal_status_by_mentorship(organisation=actors.organisation, mentorship_ids=ids)
    assert len(captured) == 1
    assert found == {
        none.mentorship.pk: "none",
        behind.mentorship.pk: "behind",
        on_track.mentorship.pk: "on_track",
        done.mentorship.pk: "done",
    }
    assert goal_status_by_mentorship(
        organisation=actors.other_organisation, mentorship_ids=ids
    ) == dict.fromkeys(ids, "none")


def test_goal_pages_are_for_the_members_only(client: Client, actors: Actors, room: Room) -> None:
    mid = room.mentorship.pk
    assert_access(client, actors, page("goal_new", mentorship_id=mid), allowed={"participant"})
    assert_access(
        client,
        actors,
        page("goal_new", mentorship_id=mid),
        allowed={"participant"},
        method="post",
        data={"title": "Page goal", "measure": "milestones", "milestones": "One\n\nTwo\n"},
        ok_status=302,
    )
    goal = Goal.objects.get()
    assert list(goal.milestones.values_list("title", flat=True)) == ["One", "Two"]
    first = goal.milestones.get(title="One")
    progress = page("goal_update", mentorship_id=mid, goal_id=goal.pk)
    responses = assert_access(client, actors, progress, allowed={"participant"})
    assert 'type="checkbox"' in responses["participant"].content.decode()
    assert_access(
        client,
        actors,
        progress,
        allowed={"participant"},
        method="post",
        data={"milestones_done": [first.pk], "status": "on_track", "note": "canary-progress"},
        ok_status=302,
    )
    goal.refresh_from_db()
    assert goal.percent == 50
    history = page("goal_history", mentorship_id=mid, goal_id=goal.pk)
    responses = assert_access(client, actors, history, allowed={"participant"})
    assert "canary-progress" in responses["participant"].content.decode()
    # The other member reads the goal and its history, but cannot update it
    client.force_login(room.mentor)
    assert "canary-progress" in client.get(history).content.decode()
    client.post(progress, {"milestones_done": [], "status": "behind"})
    goal.refresh_from_db()
    assert (goal.percent, goal.status, goal.updates.count()) == (50, "on_track", 1)


def test_goal_endpoints_are_for_the_members_only(
    client: Client, actors: Actors, room: Room
) -> None:
    mid = room.mentorship.pk
    responses = assert_access(
        client,
        actors,
        api("goals", mentorship_id=mid),
        allowed={"participant"},
        method="post",
        data={"title": "API goal"},
        api=True,
        ok_status=201,
    )
    goal_id = responses["participant"].json()["id"]
    responses = assert_access(
        client,
        actors,
        api("goal_progress", mentorship_id=mid, goal_id=goal_id),
        allowed={"participant"},
        method="post",
        data={"percent": 100},
        api=True,
        ok_status=201,
    )
    assert responses["participant"].json()["status"] == "done"
    responses = assert_access(
        client,
        actors,
        api("goal_updates", mentorship_id=mid, goal_id=goal_id),
        allowed={"participant"},
        api=True,
    )
    assert [u["percent"] for u in responses["participant"].json()["results"]] == [100]
    responses = assert_access(
        client, actors, api("goals", mentorship_id=mid), allowed={"participant"}, api=True
    )
    assert [(g["title"], g["percent"]) for g in responses["participant"].json()] == [
        ("API goal", 100)
    ]
