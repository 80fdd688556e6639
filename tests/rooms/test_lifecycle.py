"""A mentorship's life: ended early (no-fault), completed with its program, extended, and its
members matched again afterwards — never with the same partner."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.authz import Actors
from tests.rooms.factories import Room, make_room
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.enrolment.models import Application
from twoway.matching.problem import program_problem
from twoway.mentorships.models import Mentorship, MentorshipEnding
from twoway.mentorships.services import (
    mentorship_end_early,
    mentorship_extend,
    mentorships_complete,
)
from twoway.programs.lifecycle import program_close
from twoway.programs.models import Program
from twoway.rooms.access import Seat


def seat_of(room: Room, user: object) -> Seat:
    member = room.mentorship.members.select_related("mentorship__program").get(person__user=user)
    return Seat(mentorship=member.mentorship, member=member)


def manager_membership(actors: Actors) -> Membership:
    return Membership.objects.get(user=actors.program_manager, organisation=actors.organisation)


def test_ending_early_records_a_private_ending_and_refuses_a_second(actors: Actors) -> None:
    room = make_room(actors)
    seat = seat_of(room, room.mentee)
    with pytest.raises(ApplicationError, match="at most 2,000 characters"):
        mentorship_end_early(seat=seat, reason="x" * 2001, rematch=False)

    mentorship_end_early(seat=seat, reason="Not a fit", rematch=True)

    ending = MentorshipEnding.objects.get(mentorship=room.mentorship)
    assert (ending.ended_by_id, ending.reason, ending.rematch_requested) == (
        seat.member.pk,
        "Not a fit",
        True,
    )
    with pytest.raises(ApplicationError, match="read-only"):
        mentorship_end_early(seat=seat_of(room, room.mentor), reason="", rematch=False)


def test_closing_the_program_completes_its_due_mentorships_but_not_an_extended_one(
    actors: Actors,
) -> None:
    room = make_room(actors)
    extended = make_room(actors)
    Mentorship.objects.filter(pk=extended.mentorship.pk).update(program=room.program)
    extended.mentorship.refresh_from_db()
    later = timezone.localdate() + dt.timedelta(days=60)
    mentorship_extend(
        actor=actors.program_manager,
        membership=manager_membership(actors),
        mentorship=extended.mentorship,
        until=later,
    )
    Program.objects.filter(pk=room.program.pk).update(status=Program.Status.CLOSING)
    room.program.refresh_from_db()

    program_close(actor=actors.program_manager, program=room.program)

    room.mentorship.refresh_from_db()
    extended.mentorship.refresh_from_db()
    assert room.mentorship.status == Mentorship.Status.COMPLETED
    assert room.mentorship.ended_at is not None
    assert extended.mentorship.status == Mentorship.Status.AGREEMENT_PENDING
    # The daily command completes it once its day has passed
    assert mentorships_complete(program=room.program, today=later - dt.timedelta(days=1)) == 0
    Mentorship.objects.filter(pk=extended.mentorship.pk).update(ends_on=timezone.localdate())
    out = StringIO()
    call_command("complete_mentorships", stdout=out)
    assert out.getvalue().strip() == "1 mentorship completed."
    extended.mentorship.refresh_from_db()
    assert extended.mentorship.status == Mentorship.Status.COMPLETED


def test_a_running_programs_undated_mentorships_run_on(actors: Actors) -> None:
    room = make_room(actors)
    Mentorship.objects.filter(pk=room.mentorship.pk).update(ends_on=None)
    assert mentorships_complete(program=room.program, today=timezone.localdate()) == 0


def test_extending_needs_a_later_date_and_a_manager(actors: Actors) -> None:
    room = make_room(actors)
    membership = manager_membership(actors)
    Mentorship.objects.filter(pk=room.mentorship.pk).update(
        ends_on=timezone.localdate() + dt.timedelta(days=30)
    )
    room.mentorship.refresh_from_db()
    with pytest.raises(ApplicationError, match="after the current one"):
        mentorship_extend(
            actor=actors.program_manager,
            membership=membership,
            mentorship=room.mentorship,
            until=timezone.localdate() + dt.timedelta(days=10),
        )
    participant = Membership.objects.get(user=actors.participant)
    from django.http import Http404

    with pytest.raises(Http404):
        mentorship_extend(
            actor=actors.participant,
            membership=participant,
            mentorship=room.mentorship,
            until=timezone.localdate() + dt.timedelta(days=90),
        )


def test_after_ending_early_the_mentee_can_be_matched_again_but_not_with_the_same_mentor(
    actors: Actors,
) -> None:
    room = make_room(actors)
    Program.objects.filter(pk=room.program.pk).update(status=Program.Status.MATCHING)
    applications = {}
    for user, role in ((room.mentor, "mentor"), (room.mentee, "mentee")):
        member = room.mentorship.members.get(person__user=user)
        applications[role] = Application.objects.create(
            organisation=actors.organisation,
            program=room.program,
            person=member.person,
            user=user,
            role=role,
            status=Application.Status.APPROVED,
            submitted_at=timezone.now(),
        )
    # While the mentorship is live, the mentee is placed: not in the matching problem
    built = program_problem(program=room.program)
    assert applications["mentee"].pk not in [a.pk for a in built.mentees]

    mentorship_end_early(seat=seat_of(room, room.mentee), reason="", rematch=True)

    built = program_problem(program=room.program)
    assert [a.pk for a in built.mentees] == [applications["mentee"].pk]
    assert built.problem.previous.tolist() == [[0, 0]]  # the same partner stays ruled out
