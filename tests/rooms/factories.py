"""Rooms for tests: a running program with a pair or a circle whose members have accounts.

``make_room(actors)`` puts ``actors.participant`` in the mentorship (as the mentee of a pair, or
the first mentee of a circle) beside new users, so the shared authorization helper can test a
room with ``allowed={"participant"}``: the program's manager and the organisation's admin are
*not* members and must get 404 on every room page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.programs.factories import make_program, person_for
from twoway.accounts.models import User
from twoway.core.models import Role
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.mentorships.services import mentorship_create
from twoway.programs.models import Format, Program


@dataclass
class Room:
    program: Program
    mentorship: Mentorship
    mentor: User  # the (first) mentor
    mentee: User  # actors.participant
    others: list[User] = field(default_factory=list)  # further circle members
    bystander: User | None = None  # a participant of the same program, not a member

    def member(self, user: User) -> MentorshipMember:
        return self.mentorship.members.get(person__user=user)


def new_participant(actors: Actors, *, time_zone: str = "UTC") -> User:
    user = MembershipFactory(organisation=actors.organisation, role=Role.PARTICIPANT).user
    if time_zone != "UTC":
        User.objects.filter(pk=user.pk).update(time_zone=time_zone)
        user.time_zone = time_zone
    return user


def make_room(actors: Actors, *, kind: str = Mentorship.Kind.PAIR, circle_size: int = 4) -> Room:
    """A mentorship in a running program managed by ``actors.program_manager``."""
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        name="Circles" if kind == Mentorship.Kind.CIRCLE else "Reverse mentoring",
        format=Format.CIRCLE if kind == Mentorship.Kind.CIRCLE else Format.REVERSE,
        status=Program.Status.RUNNING,
    )
    mentor = new_participant(actors)
    mentee = actors.participant
    others = [new_participant(actors) for _ in range(circle_size - 2)] if kind == "circle" else []
    members = [(person_for(mentor, actors.organisation), mentor, MentorshipMember.Role.MENTOR)]
    members += [
        (person_for(user, actors.organisation), user, MentorshipMember.Role.MENTEE)
        for user in [mentee, *others]
    ]
    mentorship = mentorship_create(
        program=program,
        kind=kind,
        origin=Mentorship.Origin.MATCHING,
        members=members,
        score=0.8,
        reason="Test pairing",
    )
    bystander = new_participant(actors)
    person_for(bystander, actors.organisation)
    return Room(
        program=program,
        mentorship=mentorship,
        mentor=mentor,
        mentee=mentee,
        others=others,
        bystander=bystander,
    )
