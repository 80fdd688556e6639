"""Programs in matching with approved applications, for the matching services, pages and API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.core.factories import MembershipFactory
from tests.people.factories import PersonFactory
from twoway.accounts.models import User
from twoway.core.models import Organisation, Role
from twoway.enrolment.models import Application
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.programs.models import Program

# Monday to Friday, 09:00-12:00 UTC: everyone made here shares 15 hours a week by default.
WORKING_MORNINGS = "".join(
    "1" if day < 5 and 9 <= hour < 12 else "0" for day in range(7) for hour in range(24)
)


def matching_program(
    organisation: Organisation, *, managers: list[User] = (), **fields: Any
) -> Program:  # type: ignore[assignment]
    """A reverse-mentoring program in the matching status, level gap 1."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "Reverse mentoring",
        "format": "reverse",
        "status": Program.Status.MATCHING,
        "min_level_gap": 1,
        "mentees_per_mentor": 1,
        "application_opens": today - dt.timedelta(days=30),
        "application_closes": today - dt.timedelta(days=2),
        "matching_date": today,
        "kickoff_date": today + dt.timedelta(days=7),
        "end_date": today + dt.timedelta(days=180),
    }
    values.update(fields)
    program = Program.objects.create(organisation=organisation, **values)
    program.managers.set(managers)
    return program


def participant(
    organisation: Organisation, *, first_name: str, level: int = 3, **person_fields: Any
) -> Person:
    """A directory person with a participant account."""
    user = MembershipFactory(organisation=organisation, role=Role.PARTICIPANT).user
    person = PersonFactory(
        organisation=organisation,
        first_name=first_name,
        last_name="Tester",
        email=user.email,
        level=level,
        **person_fields,
    )
    Person.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    return person


def approved(
    program: Program,
    person: Person,
    *,
    role: str,
    shares: list[Any] = (),  # type: ignore[assignment]
    learns: list[Any] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Application:
    values: dict[str, Any] = {
        "status": Application.Status.APPROVED,
        "availability_utc": WORKING_MORNINGS,
        "languages": ["en"],
        "extraversion": 4.0,
        "agreeableness": 5.0,
        "conscientiousness": 5.0,
        "emotional_stability": 4.0,
        "openness": 6.0,
    }
    values.update(fields)
    application = Application.objects.create(
        organisation=program.organisation,
        program=program,
        person=person,
        user=person.user,
        role=role,
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        **values,
    )
    if shares:
        application.shares.set(shares)
    if learns:
        application.learns.set(learns)
    return application


def pairs_program(
    organisation: Organisation, *, managers: list[User] = (), pairs: int = 3, **fields: Any
) -> tuple[Program, list[Application], list[Application]]:  # type: ignore[assignment]
    """A program with ``pairs`` junior mentors (level 2) and senior mentees (level 5), each on
    their own team; returns (program, mentors, mentees)."""
    program = matching_program(organisation, managers=managers, **fields)
    mentors = [
        approved(
            program, participant(organisation, first_name=f"Mentor{i}", level=2), role="mentor"
        )
        for i in range(pairs)
    ]
    mentees = [
        approved(
            program, participant(organisation, first_name=f"Mentee{i}", level=5), role="mentee"
        )
        for i in range(pairs)
    ]
    return program, mentors, mentees


def mentorship(
    program: Program, *, mentor: Person, mentee: Person, status: str = "active"
) -> Mentorship:
    """A mentorship as publishing stores it, without going through matching."""
    item = Mentorship.objects.create(
        organisation=program.organisation,
        program=program,
        kind=Mentorship.Kind.PAIR,
        status=status,
        origin=Mentorship.Origin.MATCHING,
        started_at=timezone.now(),
    )
    for person, role in ((mentor, "mentor"), (mentee, "mentee")):
        MentorshipMember.objects.create(
            organisation=program.organisation,
            mentorship=item,
            person=person,
            user=person.user,
            role=role,
        )
    return item
