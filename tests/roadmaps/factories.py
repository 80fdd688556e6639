"""Roadmaps for tests, made through the services as an author would."""

from __future__ import annotations

from tests.authz import Actors
from twoway.accounts.models import User
from twoway.core.models import Membership, Organisation
from twoway.programs.models import Program
from twoway.roadmaps import services
from twoway.roadmaps.models import Roadmap


def membership_of(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.select_related("organisation").get(
        user=user, organisation=organisation
    )


def steps(count: int, *, prefix: str = "Step") -> list[services.StepInput]:
    return [
        services.StepInput(
            title=f"{prefix} {n}",
            description=f"Talk about **{prefix.lower()} {n}**.",
            effort_minutes=30,
            agenda_key="kickoff" if n == 1 else "round_table",
        )
        for n in range(1, count + 1)
    ]


def make_roadmap(
    actors: Actors,
    *,
    title: str = "Digital basics",
    step_count: int = 3,
    program: Program | None = None,
) -> Roadmap:
    """An organisation roadmap written by the admin (or a program's, by its manager)."""
    author = actors.admin if program is None else actors.program_manager
    return services.roadmap_create(
        membership=membership_of(author, actors.organisation),
        title=title,
        summary="A path for the first months.",
        program=program,
        steps=steps(step_count),
    )
