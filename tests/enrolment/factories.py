from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.core.factories import MembershipFactory
from tests.people.factories import PersonFactory
from twoway.accounts.models import User
from twoway.core.models import Organisation, Role
from twoway.enrolment.models import Application
from twoway.people.models import Person
from twoway.programs.models import Program

TIPI = [5, 2, 6, 3, 5, 4, 6, 2, 5, 3]


def make_program(
    organisation: Organisation, *, managers: list[User] = (), **fields: Any
) -> Program:  # type: ignore[assignment]
    """An enrolling program with open applications and an application window around today."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "Reverse mentoring 2026",
        "format": "reverse",
        "status": Program.Status.ENROLLING,
        "enrolment_mode": Program.EnrolmentMode.OPEN,
        "application_opens": today - dt.timedelta(days=7),
        "application_closes": today + dt.timedelta(days=14),
        "matching_date": today + dt.timedelta(days=21),
        "kickoff_date": today + dt.timedelta(days=28),
    }
    values.update(fields)
    program = Program.objects.create(organisation=organisation, **values)
    program.managers.set(managers)
    return program


def make_applicant(organisation: Organisation, **person_fields: Any) -> tuple[User, Person]:
    """A participant member linked to a directory entry."""
    user = MembershipFactory(organisation=organisation, role=Role.PARTICIPANT).user
    person_fields.setdefault("email", user.email)
    person = PersonFactory(organisation=organisation, **person_fields)
    Person.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    return user, person


def submit(user: User, program: Program, **fields: Any) -> Application:
    from twoway.enrolment.services import application_submit

    values: dict[str, Any] = {"role": "mentor", "tipi_answers": TIPI}
    values.update(fields)
    return application_submit(actor=user, program=program, **values)
