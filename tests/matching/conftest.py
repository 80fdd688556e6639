from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.matching.django_factories import matching_program, pairs_program
from twoway.accounts.models import User
from twoway.core.models import Role
from twoway.enrolment.models import Application
from twoway.programs.models import Program


@dataclass
class Matching:
    actors: Actors
    program: Program  # in matching, managed by actors.program_manager
    mentors: list[Application]
    mentees: list[Application]
    other_manager: User  # a program manager of Acme who manages another program only


@pytest.fixture
def matching(actors: Actors) -> Matching:
    """Acme's reverse-mentoring program in matching: three junior mentors, three senior
    mentees, anyone can pair with anyone."""
    program, mentors, mentees = pairs_program(
        actors.organisation, managers=[actors.program_manager], pairs=3
    )
    other = MembershipFactory(organisation=actors.organisation, role=Role.PROGRAM_MANAGER).user
    matching_program(actors.organisation, managers=[other], name="Their own program")
    return Matching(
        actors=actors, program=program, mentors=mentors, mentees=mentees, other_manager=other
    )
