from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from tests.people.factories import PersonFactory
from twoway.accounts.models import User
from twoway.core.models import Organisation
from twoway.enrolment.models import Application, Invitation
from twoway.people.models import Person
from twoway.programs.models import Format, Program
from twoway.programs.services import program_create

TODAY = dt.date(2030, 3, 1)


def ready_dates(today: dt.date = TODAY) -> dict[str, dt.date]:
    return {
        "application_opens": today,
        "application_closes": today + dt.timedelta(days=21),
        "matching_date": today + dt.timedelta(days=28),
        "kickoff_date": today + dt.timedelta(days=35),
        "end_date": today + dt.timedelta(days=200),
    }


def make_program(
    *,
    organisation: Organisation,
    manager: User,
    name: str = "Digital reverse mentoring",
    format: str = Format.REVERSE,
    status: str = Program.Status.DRAFT,
    **fields: Any,
) -> Program:
    """A program made by ``manager`` through the service; ``status`` is set directly so a test
    can start from any point of the lifecycle."""
    program = program_create(
        actor=manager, organisation=organisation, name=name, format=format, **fields
    )
    if status != Program.Status.DRAFT:
        Program.objects.filter(pk=program.pk).update(status=status)
        program.refresh_from_db()
    return program


def person_for(user: User, organisation: Organisation) -> Person:
    """The directory entry of ``user`` in ``organisation`` (made on first use)."""
    person = Person.objects.filter(organisation=organisation, user=user).first()
    if person is None:
        person = PersonFactory(organisation=organisation, email=user.email)
        Person.objects.filter(pk=person.pk).update(user=user)
        person.user = user
    return person


def invite(program: Program, user: User) -> Invitation:
    """An invitation row as the enrolment app stores it (no email is sent)."""
    person = person_for(user, program.organisation)
    return Invitation.objects.create(
        organisation=program.organisation,
        program=program,
        person=person,
        email=person.email,
        token=secrets.token_urlsafe(24),
        sent_at=timezone.now(),
    )


def apply(program: Program, user: User, **fields: Any) -> Application:
    """An application row as the enrolment app stores it (the questionnaire left at defaults)."""
    return Application.objects.create(
        organisation=program.organisation,
        program=program,
        person=person_for(user, program.organisation),
        user=user,
        role=fields.pop("role", "mentee"),
        submitted_at=timezone.now(),
        **fields,
    )
