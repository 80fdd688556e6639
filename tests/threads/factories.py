"""Growth Threads for tests: a world with one person in each relation to an entry's author.

``make_world(actors)`` builds a running program with a pair (``actors.participant`` is the
mentee and writes the entries; the mentor is their partner), a participant of the same program
outside the pair, a participant of another program of the same organisation, and gives the
program manager and the organisation admin a directory entry of their own (so they could write
and comment) without taking part in any program. ``actors.outsider`` is an admin of another
organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.authz import Actors
from tests.programs.factories import apply, make_program, person_for
from tests.rooms.factories import Room, make_room, new_participant
from twoway.accounts.models import User
from twoway.core.models import Membership
from twoway.enrolment.models import Application
from twoway.programs.models import Program
from twoway.threads.models import Entry, Visibility
from twoway.threads.services import entry_create

# The people of the visibility matrix, as the tests name them.
PEOPLE = (
    "author",
    "partner",
    "same_program",
    "other_program",
    "manager",
    "admin",
    "outsider",
)


@dataclass
class World:
    actors: Actors
    room: Room
    program: Program
    other_program: Program
    users: dict[str, User]

    @property
    def author(self) -> User:
        return self.users["author"]


def membership_of(user: User, actors: Actors) -> Membership:
    return Membership.objects.get(user=user, organisation=actors.organisation)


def make_world(actors: Actors) -> World:
    room = make_room(actors)
    program = room.program
    assert room.bystander is not None
    apply(program, room.bystander, status=Application.Status.APPROVED)
    other_program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        name="Classic mentoring",
        status=Program.Status.RUNNING,
    )
    elsewhere = new_participant(actors)
    apply(other_program, elsewhere, status=Application.Status.APPROVED)
    person_for(actors.program_manager, actors.organisation)
    person_for(actors.admin, actors.organisation)
    return World(
        actors=actors,
        room=room,
        program=program,
        other_program=other_program,
        users={
            "author": room.mentee,
            "partner": room.mentor,
            "same_program": room.bystander,
            "other_program": elsewhere,
            "manager": actors.program_manager,
            "admin": actors.admin,
            "outsider": actors.outsider,
        },
    )


def write_entry(
    world: World,
    *,
    title: str = "What I learned",
    body: str = "",
    visibility: str = Visibility.PRIVATE,
    user: User | None = None,
    with_program: bool = True,
    **fields: Any,
) -> Entry:
    """An entry written through the service by ``user`` (the author by default), in the
    world's program unless told otherwise."""
    return entry_create(
        membership=membership_of(user or world.author, world.actors),
        title=title,
        body=body,
        visibility=visibility,
        program_id=world.program.pk if with_program else None,
        **fields,
    )
