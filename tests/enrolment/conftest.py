from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.enrolment.factories import make_program, submit
from tests.people.factories import PersonFactory
from twoway.core.models import Role
from twoway.enrolment import services
from twoway.enrolment.models import Application, CustomQuestion, Invitation
from twoway.people.models import Person
from twoway.programs.models import Program

CANARIES = ("canary-erg-7f3a", "canary-gender-91bd", "canary-ethnicity-55c2")


@dataclass
class Enrolment:
    actors: Actors
    program: Program  # managed by actors.program_manager
    other_program: Program  # managed by someone else
    application: Application  # actors.participant's, with canary diversity answers
    invitation: Invitation  # actors.participant's, to ``other_program``
    question: CustomQuestion


@pytest.fixture
def enrolment(actors: Actors) -> Enrolment:
    """Both sides of enrolment in Acme: the participant applied to the program the program
    manager runs (with diversity answers that must never be shown), and was invited to another
    program that someone else manages."""
    org = actors.organisation
    program = make_program(org, managers=[actors.program_manager], name="Reverse 2026")
    someone_else = MembershipFactory(organisation=org, role=Role.PROGRAM_MANAGER).user
    other = make_program(
        org, managers=[someone_else], name="Circles 2026", enrolment_mode="invitation"
    )
    question = services.question_create(
        actor=actors.program_manager, program=program, text="Team size", kind="scale"
    )
    person = PersonFactory(organisation=org, email=actors.participant.email, first_name="Pat")
    Person.objects.filter(pk=person.pk).update(user=actors.participant)
    application = submit(
        actors.participant,
        program,
        goals="Learn to lead",
        answers={question.pk: 3},
        diversity=services.DiversityInput(
            erg_memberships=[CANARIES[0]],
            gender=CANARIES[1],
            ethnicity=CANARIES[2],
            age_band="25_34",
            consent_matching=True,
            consent_reporting=True,
        ),
    )
    services.invitation_send_bulk(
        actor=someone_else, program=other, people=[person], base_url="http://testserver"
    )
    return Enrolment(
        actors=actors,
        program=program,
        other_program=other,
        application=application,
        invitation=Invitation.objects.get(program=other),
        question=question,
    )
