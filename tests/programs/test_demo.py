from __future__ import annotations

import pytest

from twoway.accounts.models import User
from twoway.demo.growth import SPRING
from twoway.demo.rooms import PILOT
from twoway.demo.services import PROGRAM_MANAGER, demo_build
from twoway.programs.models import Program
from twoway.programs.playbooks import BUILTIN_PLAYBOOKS

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_program_per_playbook_managed_by_the_demo_manager() -> None:
    demo_build(size=40, seed=7)
    demo_build(size=40, seed=7)  # idempotent

    programs = Program.objects.filter(organisation__slug="acme")
    # Besides one program per playbook, two cohorts made from the first playbook: a running
    # pilot and a finished spring cohort.
    cohorts = (PILOT, SPRING)
    assert sorted(
        programs.exclude(name__in=cohorts).values_list("playbook_key", flat=True)
    ) == sorted(p.key for p in BUILTIN_PLAYBOOKS)
    for name in cohorts:
        assert programs.get(name=name).playbook_key == "reverse-digital"
    manager = User.objects.get(email=PROGRAM_MANAGER.email)
    for program in programs:
        assert list(program.managers.all()) == [manager]
        assert program.key_areas.exists() and program.application_closes is not None


def test_the_demo_takes_one_program_through_enrolment_so_the_funnel_has_numbers() -> None:
    from twoway.enrolment.models import Application
    from twoway.enrolment.selectors import funnel

    demo_build(size=120, seed=7)
    demo_build(size=120, seed=7)  # idempotent: no second round of applications

    program = Program.objects.exclude(name__in=(PILOT, SPRING)).get(
        organisation__slug="acme", playbook_key="reverse-digital"
    )
    counts = dict(funnel(program=program).steps())
    assert program.status == Program.Status.ENROLLING
    assert counts["Invited"] > counts["Applied"] > counts["Approved"] > 0
    applications = Application.objects.filter(program=program).select_related("person")
    for application in applications:  # mentors junior, mentees senior, as the playbook asks
        if application.role == "mentor":
            assert application.person.level <= 3
        else:
            assert application.person.level >= 6
    assert {a.role for a in applications} == {"mentor", "mentee"}
