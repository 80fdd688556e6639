"""Communities for tests: spaces of each kind with a topic written through the services.

``make_program_space(actors)`` builds on ``make_room``: ``actors.participant`` takes part in the
program, ``actors.program_manager`` manages it, so ``allowed`` sets read naturally. The runners
space needs both organisations to opt in (``opt_in_runners``).
"""

from __future__ import annotations

from tests.authz import Actors
from tests.rooms.factories import make_room
from twoway.accounts.models import User
from twoway.communities import services
from twoway.communities.access import SpaceAccess, access_for
from twoway.communities.models import Space, Topic
from twoway.core.models import Membership, Organisation


def membership_of(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.select_related("organisation", "user").get(
        user=user, organisation=organisation
    )


def access_of(user: User, organisation: Organisation, space: Space) -> SpaceAccess:
    return access_for(membership_of(user, organisation), space)


def org_space(actors: Actors) -> Space:
    return services.space_ensure_organisation(organisation=actors.organisation)


def make_program_space(actors: Actors) -> Space:
    room = make_room(actors)
    return services.space_ensure_program(program=room.program)


def opt_in_runners(*organisations: Organisation) -> Space:
    from twoway.communities.models import RunnersOptIn

    for organisation in organisations:
        RunnersOptIn.objects.get_or_create(organisation=organisation)
    return services.space_ensure_runners()


def make_topic(
    space: Space,
    author: User,
    organisation: Organisation,
    *,
    title: str = "How do you run kick-offs?",
    body: str = "We start with a shared agreement.",
) -> Topic:
    return services.topic_create(
        access=access_of(author, organisation, space), title=title, body=body
    )
