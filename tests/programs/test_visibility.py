"""What a participant sees of programs: those open for applications, and those they were invited
to or applied to — never a draft (or any other program) they have nothing to do with, and never
another organisation's program."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.programs.factories import apply, invite, make_program, ready_dates
from twoway.accounts.models import User
from twoway.core.models import Membership, Organisation, Role
from twoway.programs import selectors
from twoway.programs.models import Program

Status = Program.Status
PAGE = "/o/acme/programs/"
API = "/api/o/acme/programs/"


def _program(organisation: Organisation, manager: User, name: str, **fields: object) -> Program:
    today = timezone.localdate()
    return make_program(
        organisation=organisation,
        manager=manager,
        name=name,
        **{**ready_dates(today - dt.timedelta(days=1)), **fields},  # type: ignore[arg-type]
    )


@pytest.fixture
def programs(actors: Actors) -> dict[str, Program]:
    """One program of Acme in each situation a participant can be in."""
    manager = actors.program_manager
    org = actors.organisation
    return {
        "open": _program(
            org,
            manager,
            "Open to all",
            status=Status.ENROLLING,
            enrolment_mode=Program.EnrolmentMode.OPEN,
        ),
        "invited": _program(org, manager, "By invitation", status=Status.ENROLLING),
        "applied": _program(
            org,
            manager,
            "Applied, now matching",
            status=Status.MATCHING,
            enrolment_mode=Program.EnrolmentMode.OPEN,
        ),
        "draft": _program(org, manager, "Secret draft"),
        "someone_else": _program(
            org, manager, "Someone else's invitation", status=Status.ENROLLING
        ),
    }


@pytest.fixture
def involved(actors: Actors, programs: dict[str, Program]) -> User:
    """The participant, invited to one program and an applicant of another; a colleague is
    invited to a third."""
    invite(programs["invited"], actors.participant)
    apply(programs["applied"], actors.participant)
    colleague = MembershipFactory(organisation=actors.organisation, role=Role.PARTICIPANT).user
    invite(programs["someone_else"], colleague)
    return actors.participant


def _names(client: Client, user: User) -> set[str]:
    client.force_login(user)
    return {p["name"] for p in client.get(API).json()["results"]}


def _membership(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.select_related("organisation").get(
        user=user, organisation=organisation
    )


def test_a_participant_sees_open_invited_and_applied_programs_only(
    actors: Actors, programs: dict[str, Program], involved: User
) -> None:
    visible = selectors.program_list_for_member(
        membership=_membership(involved, actors.organisation)
    )
    assert {p.name for p in visible} == {"Open to all", "By invitation", "Applied, now matching"}
    relation = {p.name: (p.is_managed, p.is_invited, p.has_applied) for p in visible}  # type: ignore[attr-defined]
    assert relation == {
        "Open to all": (False, False, False),
        "By invitation": (False, True, False),
        "Applied, now matching": (False, False, True),
    }


def test_without_an_invitation_or_application_only_open_programs_show(
    client: Client, actors: Actors, programs: dict[str, Program]
) -> None:
    assert _names(client, actors.participant) == {"Open to all"}


def test_a_declined_invitation_and_a_withdrawn_application_still_show(
    actors: Actors, programs: dict[str, Program]
) -> None:
    """Having dealt with a program, a participant can read it again (and its status there)."""
    invitation = invite(programs["invited"], actors.participant)
    invitation.status = invitation.Status.DECLINED
    invitation.save()
    apply(programs["applied"], actors.participant, status="withdrawn")
    visible = selectors.program_list_for_member(
        membership=_membership(actors.participant, actors.organisation)
    )
    assert {"By invitation", "Applied, now matching"} <= {p.name for p in visible}


def test_the_list_page_groups_the_participants_programs(
    client: Client, programs: dict[str, Program], involved: User
) -> None:
    client.force_login(involved)
    page = client.get(PAGE).content.decode()
    assert "Programs you were invited to or applied to" in page
    involved_section, open_section = page.split('id="open-heading"')
    assert "By invitation" in involved_section and "You were invited" in involved_section
    assert "Applied, now matching" in involved_section and "You applied" in involved_section
    assert "Open to all" in open_section
    assert "Secret draft" not in page and "Someone else" not in page


@pytest.mark.parametrize("which", ["open", "invited", "applied"])
def test_the_about_page_opens_for_a_program_the_participant_may_see(
    client: Client, programs: dict[str, Program], involved: User, which: str
) -> None:
    client.force_login(involved)
    response = client.get(f"{PAGE}{programs[which].pk}/about/")
    assert response.status_code == 200
    assert programs[which].name in response.content.decode()


@pytest.mark.parametrize("which", ["draft", "someone_else"])
def test_the_about_page_is_a_404_for_anything_else(
    client: Client, programs: dict[str, Program], involved: User, which: str
) -> None:
    client.force_login(involved)
    assert client.get(f"{PAGE}{programs[which].pk}/about/").status_code == 404


def test_an_invitation_makes_even_a_draft_visible_to_its_invitee_only(
    client: Client, actors: Actors, programs: dict[str, Program]
) -> None:
    """Whatever the status: the relation to the program is what counts."""
    invite(programs["draft"], actors.participant)
    assert "Secret draft" in _names(client, actors.participant)
    colleague = MembershipFactory(organisation=actors.organisation, role=Role.PARTICIPANT).user
    assert "Secret draft" not in _names(client, colleague)


def test_another_organisations_invitation_shows_nothing_here(
    client: Client, actors: Actors, programs: dict[str, Program]
) -> None:
    """The participant is also a member of Globex and invited to a Globex program: it is listed
    in Globex only, and in Acme its URL answers like a missing program."""
    MembershipFactory(
        organisation=actors.other_organisation, user=actors.participant, role=Role.PARTICIPANT
    )
    globex_program = _program(
        actors.other_organisation, actors.outsider, "Globex invitation", status=Status.ENROLLING
    )
    invite(globex_program, actors.participant)

    assert "Globex invitation" not in _names(client, actors.participant)
    assert client.get(f"{PAGE}{globex_program.pk}/about/").status_code == 404
    assert client.get(f"/o/globex/programs/{globex_program.pk}/about/").status_code == 200
    globex = {p["name"] for p in client.get("/api/o/globex/programs/").json()["results"]}
    assert globex == {"Globex invitation"}


def test_acme_rows_never_make_a_globex_program_visible(
    client: Client, actors: Actors, programs: dict[str, Program], involved: User
) -> None:
    """An outsider sees none of Acme's programs, however Acme's participants relate to them."""
    client.force_login(actors.outsider)
    assert client.get("/api/o/globex/programs/").json()["results"] == []
    for program in programs.values():
        assert client.get(f"{PAGE}{program.pk}/about/").status_code == 404


def test_a_manager_sees_their_programs_as_managed_and_others_as_a_participant(
    client: Client, actors: Actors, programs: dict[str, Program], other_program_manager: User
) -> None:
    invite(programs["invited"], other_program_manager)
    client.force_login(other_program_manager)
    body = client.get(API).json()["results"]
    relation = {p["name"]: p["is_managed"] for p in body}
    assert relation == {"Their own program": True, "Open to all": False, "By invitation": False}
    page = client.get(PAGE).content.decode()
    managed_section = page.split('id="involved-heading"')[0]
    assert "Their own program" in managed_section and "By invitation" not in managed_section
