"""The REST endpoints of Roadmaps: access for every actor, and the flows over the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.authz import assert_access
from tests.roadmaps.factories import make_roadmap, membership_of
from tests.rooms.factories import make_room
from twoway.recognition.models import Celebration
from twoway.roadmaps import services
from twoway.roadmaps.models import Roadmap, RoadmapAssignment, RoadmapStep

pytestmark = pytest.mark.django_db

MEMBERS = {"participant", "program_manager", "admin"}


def url(name, actors, *args):
    return reverse(f"roadmaps_api:{name}", args=[actors.organisation.slug, *args])


def assign(actors, room, roadmap):
    return services.roadmap_assign(
        membership=membership_of(actors.program_manager, actors.organisation),
        mentorship=room.mentorship,
        roadmap=roadmap,
    )


def test_library_and_detail_are_for_members(client, actors):
    roadmap = make_roadmap(actors)
    responses = assert_access(client, actors, url("library", actors), allowed=MEMBERS, api=True)
    body = responses["participant"].json()
    assert [r["title"] for r in body["roadmaps"]] == ["Digital basics"]
    assert body["roadmaps"][0]["step_count"] == 3
    assert len(body["builtins"]) == 7
    responses = assert_access(
        client, actors, url("roadmap", actors, roadmap.pk), allowed=MEMBERS, api=True
    )
    detail = responses["participant"].json()
    assert detail["version"] == 1
    assert [s["title"] for s in detail["steps"]] == ["Step 1", "Step 2", "Step 3"]


def test_create_and_revise_are_for_authors(client, actors):
    payload = {"title": "Ours", "steps": [{"title": "One"}, {"title": "Two"}]}
    responses = assert_access(
        client,
        actors,
        url("library", actors),
        allowed={"admin"},
        method="post",
        data=payload,
        api=True,
        ok_status={201},
    )
    roadmap = Roadmap.objects.get()
    assert responses["admin"].json()["steps"][1]["title"] == "Two"
    revise = {"steps": [{"title": "Only"}], "change_note": "Shorter"}
    responses = assert_access(
        client,
        actors,
        url("versions", actors, roadmap.pk),
        allowed={"admin"},
        method="post",
        data=revise,
        api=True,
        ok_status={201},
    )
    assert responses["admin"].json()["version"] == 2


def test_bad_input_answers_400_with_the_reason(client, actors):
    client.force_login(actors.admin)
    response = client.post(
        url("library", actors),
        {"title": "Ours", "steps": [{"title": "x", "effort_minutes": 9999}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Step 1: the effort must be between 5 and 600 minutes."}
    assert not Roadmap.objects.exists()


def test_a_program_manager_creates_for_their_program(client, actors):
    room = make_room(actors)
    client.force_login(actors.program_manager)
    response = client.post(
        url("library", actors),
        {"title": "Program path", "program": room.program.pk, "steps": [{"title": "One"}]},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["program"] == room.program.pk


def test_room_assignments_are_for_members_only(client, actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors)
    assignment = assign(actors, room, roadmap)
    m = room.mentorship.pk
    responses = assert_access(
        client, actors, url("room_assignments", actors, m), allowed={"participant"}, api=True
    )
    [row] = responses["participant"].json()
    assert row["total"] == 3 and row["my_done"] == 0 and row["next_step"] is not None
    step = RoadmapStep.objects.filter(version=assignment.version).first()
    done = url("step_done", actors, m, assignment.pk, step.pk)
    responses = assert_access(client, actors, done, allowed={"participant"}, method="put", api=True)
    assert responses["participant"].json()["my_done_steps"] == [step.pk]
    responses = assert_access(
        client, actors, done, allowed={"participant"}, method="delete", api=True
    )
    assert responses["participant"].json()["my_done"] == 0


def test_members_assign_a_builtin_by_key_and_complete_it(client, actors):
    room = make_room(actors)
    m = room.mentorship.pk
    client.force_login(room.mentee)
    response = client.post(
        url("room_assignments", actors, m),
        {"builtin_key": "circle_career_growth"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    again = client.post(
        url("room_assignments", actors, m),
        {"roadmap": body["roadmap"]},
        content_type="application/json",
    )
    assert again.status_code == 400 and "already follows" in again.json()["detail"]
    for user in (room.mentee, room.mentor):
        client.force_login(user)
        for step in body["steps"]:
            client.put(url("step_done", actors, m, body["id"], step["id"]))
    assert RoadmapAssignment.objects.get().completed_at is not None
    assert Celebration.objects.filter(kind=Celebration.Kind.ROADMAP_COMPLETED).count() == 1
    client.force_login(room.mentee)
    response = client.delete(url("room_assignment", actors, m, body["id"]))
    assert response.status_code == 204 and not RoadmapAssignment.objects.exists()


def test_program_assignments_are_counts_for_managers(client, actors):
    room = make_room(actors)
    assign(actors, room, make_roadmap(actors))
    responses = assert_access(
        client,
        actors,
        url("program_assignments", actors, room.program.pk),
        allowed={"program_manager", "admin"},
        api=True,
    )
    [row] = responses["program_manager"].json()
    assert set(row) == {"mentorship", "members", "assignments"}
    assert row["assignments"][0]["percent"] == 0
    assert set(row["assignments"][0]) == {
        "assignment",
        "roadmap",
        "title",
        "percent",
        "completed_at",
    }
