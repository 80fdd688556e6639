"""Versions never change a path a pair is following; each member ticks their own steps; the
mentorship celebrates when everyone has done everything."""

from __future__ import annotations

import pytest

from tests.roadmaps.factories import make_roadmap, membership_of, steps
from tests.rooms.factories import make_room
from twoway.core.errors import ApplicationError
from twoway.mentorships.models import Mentorship
from twoway.recognition.models import Celebration
from twoway.roadmaps import selectors, services
from twoway.roadmaps.models import RoadmapStep, StepProgress, StepResource
from twoway.rooms.access import room_get_for_member

pytestmark = pytest.mark.django_db


def seat_of(user, room, actors):
    return room_get_for_member(
        membership=membership_of(user, actors.organisation), mentorship_id=room.mentorship.pk
    )


def assign(actors, room, roadmap):
    return services.roadmap_assign(
        membership=membership_of(actors.program_manager, actors.organisation),
        mentorship=room.mentorship,
        roadmap=roadmap,
    )


def first_steps(assignment, n):
    return list(RoadmapStep.objects.filter(version=assignment.version).order_by("position"))[:n]


def test_a_pair_halfway_through_keeps_its_steps_and_ticks_after_a_revision(actors):
    # Given a pair following a 3-step roadmap, the mentee has done the first step
    room = make_room(actors)
    roadmap = make_roadmap(actors, step_count=3)
    old = assign(actors, room, roadmap)
    mentee = seat_of(room.mentee, room, actors)
    [first] = first_steps(old, 1)
    services.step_mark_done(seat=mentee, assignment=old, step=first)
    # When the author revises it into two new steps
    services.roadmap_revise(
        membership=membership_of(actors.admin, actors.organisation),
        roadmap=roadmap,
        steps=steps(2, prefix="New"),
        change_note="Shorter",
    )
    # Then the pair still sees its three old steps and its tick
    progress = selectors.assignment_progress_in_room(seat=mentee, assignment_id=old.pk)
    assert [s.title for s in progress.steps] == ["Step 1", "Step 2", "Step 3"]
    assert progress.my_done == 1 and progress.assignment.version.number == 1
    # And a new assignment gets the new version
    other = make_room(actors)
    new = assign(actors, other, roadmap)
    roadmap.refresh_from_db()
    assert new.version_id == roadmap.current_version_id != old.version_id
    assert [s.title for s in first_steps(new, 5)] == ["New 1", "New 2"]


def test_revising_copies_the_resources_of_kept_steps(actors):
    roadmap = make_roadmap(actors, step_count=2)
    admin = membership_of(actors.admin, actors.organisation)
    kept, _dropped = RoadmapStep.objects.filter(version=roadmap.current_version).order_by(
        "position"
    )
    services.resource_add_link(
        membership=admin, roadmap=roadmap, step=kept, title="Guide", url="https://example.org/g"
    )
    version = services.roadmap_revise(
        membership=admin,
        roadmap=roadmap,
        steps=[services.StepInput(title="Kept, renamed", source_step_id=kept.pk)],
    )
    [step] = RoadmapStep.objects.filter(version=version)
    assert [r.title for r in StepResource.objects.filter(step=step)] == ["Guide"]
    assert version.number == 2


def test_revising_is_for_authors_and_refuses_bad_steps_saving_nothing(actors):
    program_room = make_room(actors)
    roadmap = make_roadmap(actors)
    manager = membership_of(actors.program_manager, actors.organisation)
    admin = membership_of(actors.admin, actors.organisation)
    with pytest.raises(ApplicationError, match="authors"):
        services.roadmap_revise(membership=manager, roadmap=roadmap, steps=steps(1))
    with pytest.raises(ApplicationError, match="Step 1: give the step a title"):
        services.roadmap_revise(
            membership=admin, roadmap=roadmap, steps=[services.StepInput(title="  ")]
        )
    with pytest.raises(ApplicationError, match="effort must be between"):
        services.roadmap_revise(
            membership=admin,
            roadmap=roadmap,
            steps=[services.StepInput(title="x", effort_minutes=0)],
        )
    assert roadmap.versions.count() == 1
    # A program's manager authors the program's own roadmaps
    own = make_roadmap(actors, program=program_room.program, title="Ours")
    assert services.roadmap_revise(membership=manager, roadmap=own, steps=steps(2)).number == 2


def test_each_member_ticks_their_own_and_completion_is_celebrated_once(actors):
    # Given a pair following a 2-step roadmap
    room = make_room(actors)
    roadmap = make_roadmap(actors, step_count=2, title="AI at work")
    assignment = assign(actors, room, roadmap)
    mentee, mentor = seat_of(room.mentee, room, actors), seat_of(room.mentor, room, actors)
    one, two = first_steps(assignment, 2)
    # When the mentee does both steps
    services.step_mark_done(seat=mentee, assignment=assignment, step=one)
    services.step_mark_done(seat=mentee, assignment=assignment, step=two)
    # Then the mentor's own progress is untouched and nothing is complete yet
    progress = selectors.assignment_progress_in_room(seat=mentor, assignment_id=assignment.pk)
    assert progress.my_done == 0 and progress.next_step == one
    assert {p.member.pk: p.done for p in progress.members} == {
        mentee.member.pk: 2,
        mentor.member.pk: 0,
    }
    assignment.refresh_from_db()
    assert assignment.completed_at is None
    # When the mentor does both too (one twice: ticking is idempotent)
    services.step_mark_done(seat=mentor, assignment=assignment, step=one)
    services.step_mark_done(seat=mentor, assignment=assignment, step=one)
    services.step_mark_done(seat=mentor, assignment=assignment, step=two)
    # Then the assignment is complete and celebrated, once
    assignment.refresh_from_db()
    assert assignment.completed_at is not None
    celebrations = Celebration.objects.filter(
        mentorship=room.mentorship, kind=Celebration.Kind.ROADMAP_COMPLETED
    )
    assert [c.subject for c in celebrations] == ["AI at work"]
    # And unticking re-opens it
    services.step_mark_undone(seat=mentor, assignment=assignment, step=two)
    assignment.refresh_from_db()
    assert assignment.completed_at is None
    assert StepProgress.objects.filter(assignment=assignment).count() == 3


def test_a_step_of_another_version_is_refused(actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors)
    assignment = assign(actors, room, roadmap)
    version = services.roadmap_revise(
        membership=membership_of(actors.admin, actors.organisation), roadmap=roadmap, steps=steps(1)
    )
    newer = RoadmapStep.objects.get(version=version)
    with pytest.raises(ApplicationError, match="not part of the version"):
        services.step_mark_done(
            seat=seat_of(room.mentee, room, actors), assignment=assignment, step=newer
        )


def test_an_ended_room_refuses_ticks_and_assignments(actors):
    room = make_room(actors)
    assignment = assign(actors, room, make_roadmap(actors))
    Mentorship.objects.filter(pk=room.mentorship.pk).update(status=Mentorship.Status.ENDED_EARLY)
    seat = seat_of(room.mentee, room, actors)
    [step] = first_steps(assignment, 1)
    with pytest.raises(ApplicationError, match="read-only"):
        services.step_mark_done(seat=seat, assignment=assignment, step=step)
    room.mentorship.refresh_from_db()
    with pytest.raises(ApplicationError, match="ended"):
        assign(actors, room, make_roadmap(actors, title="Another"))
    assert not StepProgress.objects.exists()


def test_assigning_twice_archived_or_foreign_program_roadmaps_is_refused(actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors)
    assign(actors, room, roadmap)
    with pytest.raises(ApplicationError, match="already follows “Digital basics”"):
        assign(actors, room, roadmap)
    archived = make_roadmap(actors, title="Old")
    services.roadmap_archive(
        membership=membership_of(actors.admin, actors.organisation), roadmap=archived
    )
    with pytest.raises(ApplicationError, match="archived"):
        assign(actors, room, archived)
    elsewhere = make_room(actors)
    theirs = make_roadmap(actors, program=elsewhere.program, title="Theirs")
    with pytest.raises(ApplicationError, match="another program"):
        assign(actors, room, theirs)
    assert room.mentorship.roadmap_assignments.count() == 1


def test_a_member_chooses_and_drops_their_own_path_but_a_bystander_may_not(actors):
    room = make_room(actors)
    roadmap = make_roadmap(actors)
    mentee = membership_of(room.mentee, actors.organisation)
    assignment = services.roadmap_assign(
        membership=mentee, mentorship=room.mentorship, roadmap=roadmap
    )
    with pytest.raises(ApplicationError, match="members and managers"):
        services.roadmap_unassign(
            membership=membership_of(room.bystander, actors.organisation), assignment=assignment
        )
    services.roadmap_unassign(membership=mentee, assignment=assignment)
    assert not room.mentorship.roadmap_assignments.exists()
