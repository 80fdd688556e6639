"""The demo shows matching: a program to run, circles drafted, and a mentor to find."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.demo.build import SIZE
from twoway.accounts.models import User
from twoway.demo.services import DemoResult, demo_build
from twoway.enrolment.models import Application, Invitation
from twoway.matching.models import MatchingSettings, MatchRun, Proposal, ProposalMember
from twoway.matching.self_service import match_suggestions
from twoway.matching.services import match_run_execute, match_run_publish, match_run_start
from twoway.mentorships.models import Mentorship
from twoway.programs.models import Program

pytestmark = pytest.mark.django_db


def _program(playbook_key: str) -> Program:
    return Program.objects.get(organisation__slug="acme", playbook_key=playbook_key)


def _approved(program: Program, role: str) -> list[Application]:
    return list(
        Application.objects.filter(
            program=program, role=role, status=Application.Status.APPROVED
        ).select_related("person")
    )


def test_a_reverse_program_waits_in_matching_for_the_manager_to_run_it(demo: DemoResult) -> None:
    program = _program("reverse-inclusion")
    assert program.status == Program.Status.MATCHING
    assert program.managers.filter(email="manager@acme.example").exists()
    mentors, mentees = _approved(program, "mentor"), _approved(program, "mentee")
    # A 120-person directory has fewer leaders than the 600-person default's 30.
    assert len(mentors) >= 20 and len(mentees) >= 10
    assert all(a.person.level is not None and a.person.level <= 3 for a in mentors)
    assert all(a.person.level is not None and a.person.level >= 4 for a in mentees)
    # Each applied with a questionnaire from their directory entry.
    for application in mentors[:5] + mentees[:5]:
        assert application.availability_utc and application.languages
        assert len(application.tipi_answers) == 10
        assert application.shares.exists() or application.learns.exists()
    assert not MatchRun.objects.filter(program=program).exists()
    assert any(step.path.endswith(f"/programs/{program.pk}/") for step in demo.steps)

    # When the manager runs it, nearly every mentee finds a mentor.
    manager = User.objects.get(email="manager@acme.example")
    run = match_run_execute(run=match_run_start(actor=manager, program=program))
    assert run.status == MatchRun.Status.DONE
    assert run.matched >= 0.8 * len(mentees)


def test_a_circle_program_has_a_draft_of_circles_of_its_approved_people(demo: DemoResult) -> None:
    program = _program("group-circle")
    assert program.status == Program.Status.MATCHING
    assert (program.circle_min_size, program.circle_max_size) == (4, 8)
    run = MatchRun.objects.get(program=program)
    assert (run.status, run.kind) == (MatchRun.Status.DONE, MatchRun.Kind.CIRCLES)
    circles = list(Proposal.objects.filter(run=run).prefetch_related("members"))
    assert len(circles) >= 2
    approved = {a.pk for a in Application.objects.filter(program=program, status="approved")}
    for circle in circles:
        members = list(circle.members.all())
        assert {m.application_id for m in members} <= approved
        assert 4 <= len(members) <= 8
        assert sum(m.role == ProposalMember.Role.MENTOR for m in members) >= 1
    assert not Mentorship.objects.filter(program=program).exists()  # the manager publishes
    assert any(step.path.endswith(f"/runs/{run.pk}/") for step in demo.steps)

    manager = User.objects.get(email="manager@acme.example")
    match_run_publish(actor=manager, run=run)
    published = Mentorship.objects.filter(program=program, kind=Mentorship.Kind.CIRCLE)
    assert published.count() == len(circles)


def test_the_participant_finds_a_mentor_through_suggestions(demo: DemoResult) -> None:
    program = _program("classic-1-1")
    participant = User.objects.get(email="participant@acme.example")
    assert program.status == Program.Status.MATCHING
    assert MatchingSettings.objects.get(program=program).self_service
    mine = Application.objects.get(program=program, user=participant)
    assert (mine.role, mine.status) == ("mentee", Application.Status.APPROVED)
    assert Invitation.objects.filter(program=program, person=mine.person).exists()
    mentors = _approved(program, "mentor")
    assert len(mentors) >= 5 and all((a.person.level or 0) >= 5 for a in mentors)

    suggestions = match_suggestions(actor=participant, program=program)
    assert len(suggestions) >= 3
    assert all(s.reason for s in suggestions)

    client = Client()
    client.force_login(participant)
    mine_page = client.get(reverse("enrolment:home", kwargs={"org_slug": "acme"}))
    find = reverse("find_a_mentor:find", kwargs={"org_slug": "acme", "program_id": program.pk})
    assert find in mine_page.text
    page = client.get(find)
    assert page.status_code == 200
    assert suggestions[0].name in page.text and suggestions[0].reason in page.text
    assert any(s.login == participant.email and s.path == find for s in demo.steps)


def _matching_state() -> dict[str, object]:
    return {
        "programs": sorted(Program.objects.values_list("playbook_key", "status")),
        "applications": Application.objects.count(),
        "invitations": Invitation.objects.count(),
        "runs": sorted(MatchRun.objects.values_list("program__playbook_key", "status")),
        "proposals": Proposal.objects.count(),
        "members": ProposalMember.objects.count(),
        "settings": sorted(MatchingSettings.objects.values_list("program_id", "self_service")),
        "users": User.objects.count(),
    }


def test_building_again_changes_none_of_it(demo: DemoResult) -> None:
    before = _matching_state()

    again = demo_build(size=SIZE, seed=42)

    assert _matching_state() == before
    assert again.steps == demo.steps
