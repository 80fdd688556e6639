"""A small world for recognition tests: a circle in a running program, with someone of each
relation to the kudos' giver (``actors.participant``).

- receiver: the circle's mentor; partner: a third member of the circle;
- same_program: a participant of the program (approved application) in no mentorship with them;
- other_program: a participant of another program only.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.authz import Actors
from tests.programs.factories import apply, make_program, person_for
from tests.rooms.factories import Room, make_room, new_participant
from twoway.accounts.models import User
from twoway.core.models import Membership
from twoway.enrolment.models import Application
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.recognition.models import Kudos, Story
from twoway.recognition.services import kudos_give


@dataclass
class World:
    actors: Actors
    room: Room
    other_program: Program
    giver: User
    receiver: User
    partner: User
    same_program: User
    other: User  # a participant of the other program only

    def person(self, user: User) -> Person:
        return person_for(user, self.actors.organisation)

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(organisation=self.actors.organisation, user=user)

    def users(self) -> dict[str, User | None]:
        """Every viewer of the visibility matrix, by name."""
        return {
            "giver": self.giver,
            "receiver": self.receiver,
            "partner": self.partner,
            "same_program": self.same_program,
            "other_program": self.other,
            "program_manager": self.actors.program_manager,
            "admin": self.actors.admin,
            "outsider": self.actors.outsider,
        }


def make_world(actors: Actors) -> World:
    room = make_room(actors, kind=Mentorship.Kind.CIRCLE, circle_size=3)
    assert room.bystander is not None
    approved = {"status": Application.Status.APPROVED}
    apply(room.program, room.bystander, **approved)
    other_program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        name="Other program",
        status=Program.Status.RUNNING,
    )
    other = new_participant(actors)
    apply(other_program, other, **approved)
    return World(
        actors=actors,
        room=room,
        other_program=other_program,
        giver=actors.participant,
        receiver=room.mentor,
        partner=room.others[0],
        same_program=room.bystander,
        other=other,
    )


def give(world: World, *, message: str, visibility: str = "private", **kwargs: object) -> Kudos:
    """Kudos from the giver to the receiver (the test's transaction never commits, so no email
    leaves unless a test captures the on-commit callbacks)."""
    return kudos_give(
        membership=world.membership(world.giver),
        receiver=world.person(world.receiver),
        message=message,
        visibility=visibility,
        **kwargs,  # type: ignore[arg-type]
    )


def make_story(world: World, *, title: str, published: bool) -> Story:
    from twoway.recognition.services import story_create, story_publish

    membership = world.membership(world.giver)
    story = story_create(
        membership=membership, program=world.room.program, title=title, body=f"Body of {title}"
    )
    if published:
        story_publish(membership=membership, story=story)
    return story
