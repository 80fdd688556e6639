"""The two-way agreement: every member fills in both sides and accepts; a change after anyone
accepted asks the others to accept again; once everyone accepted, the mentorship is active."""

from __future__ import annotations

import pytest

from tests.authz import Actors
from tests.rooms.factories import Room, make_room
from twoway.core.errors import ApplicationError
from twoway.mentorships.models import Mentorship
from twoway.mentorships.services import mentorship_create
from twoway.programs.models import Program
from twoway.rooms.access import Seat
from twoway.rooms.models import TEXT_MAX_CHARS, Agreement, MemberStatement
from twoway.rooms.services.agreement import agreement_accept, agreement_update


def seat_of(room: Room, user: object) -> Seat:
    member = room.mentorship.members.select_related("mentorship__program").get(person__user=user)
    return Seat(mentorship=member.mentorship, member=member)


def fill(seat: Seat, text: str = "x") -> None:
    agreement_update(seat=seat, wants_to_learn=f"learn {text}", offers=f"offer {text}")


def test_creating_a_mentorship_drafts_its_agreement_from_the_program(actors: Actors) -> None:
    # Given a program whose cadence and session length lie outside the agreement's bounds
    room = make_room(actors)
    Program.objects.filter(pk=room.program.pk).update(
        cadence_weeks=30, session_minutes=5, confidentiality_guidelines="Stays here."
    )
    room.program.refresh_from_db()
    members = [(m.person, m.user, m.role) for m in room.mentorship.members.all()]
    Mentorship.objects.filter(pk=room.mentorship.pk).update(status="completed")

    # When a mentorship is created in it
    mentorship = mentorship_create(
        program=room.program, kind="pair", origin="matching", members=members
    )

    # Then its agreement takes the program's terms, clamped, and one empty statement per member
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert (agreement.rhythm_weeks, agreement.session_minutes) == (12, 15)
    assert agreement.confidentiality == "Stays here."
    assert (agreement.version, agreement.agreed_at) == (1, None)
    statements = MemberStatement.objects.filter(agreement=agreement)
    assert sorted(s.member.person_id for s in statements) == sorted(p.pk for p, _, _ in members)
    assert all(s.wants_to_learn == s.offers == "" for s in statements)
    assert mentorship.ends_on == room.program.end_date


def test_accepting_needs_both_sides_of_the_statement(actors: Actors) -> None:
    room = make_room(actors)
    seat = seat_of(room, room.mentor)
    agreement_update(seat=seat, wants_to_learn="How Gen Z shops", offers="")

    with pytest.raises(ApplicationError, match="what you offer"):
        agreement_accept(seat=seat)
    assert not MemberStatement.objects.filter(accepted_version__isnull=False).exists()


def test_when_everyone_accepts_the_mentorship_becomes_active(actors: Actors) -> None:
    room = make_room(actors)
    mentor, mentee = seat_of(room, room.mentor), seat_of(room, room.mentee)
    fill(mentor)
    fill(mentee)

    agreement_accept(seat=mentor)
    room.mentorship.refresh_from_db()
    assert room.mentorship.status == Mentorship.Status.AGREEMENT_PENDING

    agreement_accept(seat=mentee)
    room.mentorship.refresh_from_db()
    agreement = Agreement.objects.get(mentorship=room.mentorship)
    assert room.mentorship.status == Mentorship.Status.ACTIVE
    assert agreement.agreed_at is not None


def test_an_edit_after_acceptance_makes_a_new_version_the_others_accept_again(
    actors: Actors,
) -> None:
    room = make_room(actors)
    mentor, mentee = seat_of(room, room.mentor), seat_of(room, room.mentee)
    fill(mentor)
    fill(mentee)
    agreement_accept(seat=mentor)
    agreement_accept(seat=mentee)

    # When the mentee changes the rhythm
    agreement_update(seat=mentee, wants_to_learn="learn x", offers="offer x", rhythm_weeks=4)

    # Then a new version, no longer agreed; the editor accepted it, the mentor must again
    agreement = Agreement.objects.get(mentorship=room.mentorship)
    assert (agreement.version, agreement.rhythm_weeks, agreement.agreed_at) == (2, 4, None)
    statements = {s.member_id: s for s in MemberStatement.objects.filter(agreement=agreement)}
    assert statements[mentee.member.pk].accepted_version == 2
    assert statements[mentor.member.pk].accepted_version == 1

    agreement_accept(seat=mentor)
    agreement.refresh_from_db()
    assert agreement.agreed_at is not None


def test_one_after_the_other_each_fills_in_and_accepts_once(actors: Actors) -> None:
    room = make_room(actors)
    mentor, mentee = seat_of(room, room.mentor), seat_of(room, room.mentee)
    fill(mentor)
    agreement_accept(seat=mentor)

    # When the mentee writes their part only now (twice), then accepts
    fill(mentee, "a")
    fill(mentee, "b")
    agreement_accept(seat=mentee)

    # Then writing their own part did not ask the mentor again: the agreement holds
    agreement = Agreement.objects.get(mentorship=room.mentorship)
    assert agreement.version == 1 and agreement.agreed_at is not None
    room.mentorship.refresh_from_db()
    assert room.mentorship.status == Mentorship.Status.ACTIVE

    # But a change of the shared terms by someone who never accepted still asks again
    room2 = make_room(actors)
    mentor2, mentee2 = seat_of(room2, room2.mentor), seat_of(room2, room2.mentee)
    fill(mentor2)
    agreement_accept(seat=mentor2)
    agreement_update(seat=mentee2, wants_to_learn="l", offers="o", rhythm_weeks=5)
    assert Agreement.objects.get(mentorship=room2.mentorship).version == 2


def test_edits_before_anyone_accepted_keep_the_version(actors: Actors) -> None:
    room = make_room(actors)
    fill(seat_of(room, room.mentor), "a")
    fill(seat_of(room, room.mentor), "b")
    assert Agreement.objects.get(mentorship=room.mentorship).version == 1


def test_texts_and_terms_are_bounded(actors: Actors) -> None:
    room = make_room(actors)
    seat = seat_of(room, room.mentee)
    with pytest.raises(ApplicationError, match="What I offer"):
        agreement_update(seat=seat, wants_to_learn="a", offers="x" * (TEXT_MAX_CHARS + 1))
    with pytest.raises(ApplicationError, match="1 to 12 weeks"):
        agreement_update(seat=seat, wants_to_learn="a", offers="b", rhythm_weeks=13)
    assert MemberStatement.objects.get(member=seat.member).offers == ""


def test_an_ended_mentorship_refuses_agreement_writes(actors: Actors) -> None:
    room = make_room(actors)
    Mentorship.objects.filter(pk=room.mentorship.pk).update(status=Mentorship.Status.COMPLETED)
    seat = seat_of(room, room.mentee)
    with pytest.raises(ApplicationError, match="read-only"):
        fill(seat)
    with pytest.raises(ApplicationError, match="read-only"):
        agreement_accept(seat=seat)
