from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.authz import Actors
from tests.core.factories import MembershipFactory, OrganisationFactory
from twoway.core.models import Role


@pytest.fixture
def actors(db: None) -> Actors:
    """An organisation with one user per role, and an admin of another organisation."""
    organisation = OrganisationFactory(name="Acme", slug="acme")
    other = OrganisationFactory(name="Globex", slug="globex")
    by_role = {}
    for role in (Role.PARTICIPANT, Role.PROGRAM_MANAGER, Role.ADMIN):
        by_role[role] = MembershipFactory(organisation=organisation, role=role).user
    outsider = MembershipFactory(organisation=other, role=Role.ADMIN).user
    return Actors(
        organisation=organisation,
        other_organisation=other,
        participant=by_role[Role.PARTICIPANT],
        program_manager=by_role[Role.PROGRAM_MANAGER],
        admin=by_role[Role.ADMIN],
        outsider=outsider,
    )


class Capture(logging.Handler):
    """Keeps every log record, for tests that prove nothing confidential is logged."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    handler = Capture()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
