from __future__ import annotations

import pytest

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.programs.factories import make_program, ready_dates
from twoway.accounts.models import User
from twoway.core.models import Role
from twoway.programs.models import Program


@pytest.fixture
def program(actors: Actors) -> Program:
    """A draft reverse-mentoring program of Acme managed by the actors' program manager."""
    return make_program(
        organisation=actors.organisation, manager=actors.program_manager, **ready_dates()
    )


@pytest.fixture
def other_program_manager(actors: Actors) -> User:
    """A program manager of the same organisation who manages *another* program, not this one:
    they must get the same 404 as a stranger on this program's manager pages and API."""
    user = MembershipFactory(organisation=actors.organisation, role=Role.PROGRAM_MANAGER).user
    make_program(organisation=actors.organisation, manager=user, name="Their own program")
    return user
