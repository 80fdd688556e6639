"""Program pages: who may see each one, and what they do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.programs.factories import make_program, ready_dates
from twoway.accounts.models import User
from twoway.people.models import Topic
from twoway.programs.models import EligibilityRule, Playbook, Program

Status = Program.Status
MANAGERS = {"program_manager", "admin"}


def url(program: Program | None, suffix: str = "") -> str:
    if program is None:
        return f"/o/acme/programs/{suffix}"
    return f"/o/acme/programs/{program.pk}/{suffix}"


MANAGER_PAGES = [
    "",
    "design/",
    "eligibility/mentor/",
    "eligibility/mentee/",
    "transitions/open-enrolment/",
    "save-as-playbook/",
]


def test_any_member_sees_the_list(client: Client, actors: Actors) -> None:
    assert_access(client, actors, url(None), allowed={"participant", "program_manager", "admin"})


def test_only_program_managers_and_admins_create(client: Client, actors: Actors) -> None:
    assert_access(client, actors, url(None, "new/"), allowed=MANAGERS)
    assert_access(client, actors, url(None, "new/?playbook=classic-1-1"), allowed=MANAGERS)


@pytest.mark.parametrize("suffix", MANAGER_PAGES)
def test_manager_pages(client: Client, actors: Actors, program: Program, suffix: str) -> None:
    assert_access(client, actors, url(program, suffix), allowed=MANAGERS)


@pytest.mark.parametrize("suffix", MANAGER_PAGES)
def test_a_manager_of_another_program_gets_404(
    client: Client, actors: Actors, program: Program, other_program_manager: User, suffix: str
) -> None:
    client.force_login(other_program_manager)
    assert client.get(url(program, suffix)).status_code == 404
    assert client.post(url(program, "checklist/key_areas/"), {"done": "1"}).status_code == 404
    program.refresh_from_db()
    assert program.checklist == {}


def test_the_checklist_post_is_for_managers(
    client: Client, actors: Actors, program: Program
) -> None:
    assert_access(
        client,
        actors,
        url(program, "checklist/celebrate/"),
        method="post",
        data={"done": "1"},
        allowed=MANAGERS,
        ok_status=302,
    )


def test_about_page_is_for_members_once_open(client: Client, actors: Actors) -> None:
    today = timezone.localdate()
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        status=Status.ENROLLING,
        enrolment_mode=Program.EnrolmentMode.OPEN,
        **ready_dates(today - dt.timedelta(days=1)),
    )
    assert_access(
        client, actors, url(program, "about/"), allowed={"participant", "program_manager", "admin"}
    )
    Program.objects.filter(pk=program.pk).update(status=Status.DRAFT)
    assert_access(client, actors, url(program, "about/"), allowed=MANAGERS)


def test_the_list_is_role_aware(
    client: Client, actors: Actors, program: Program, other_program_manager: User
) -> None:
    client.force_login(actors.program_manager)
    page = client.get(url(None)).content.decode()
    assert program.name in page and "Their own program" not in page
    client.force_login(actors.admin)
    page = client.get(url(None)).content.decode()
    assert program.name in page and "Their own program" in page
    client.force_login(actors.participant)
    page = client.get(url(None)).content.decode()
    assert program.name not in page and "No program is taking applications" in page


def test_create_from_a_playbook(client: Client, actors: Actors) -> None:
    client.force_login(actors.program_manager)
    choose = client.get(url(None, "new/")).content.decode()
    assert "Reverse mentoring for digital transformation" in choose

    response = client.post(
        url(None, "new/"), {"playbook": "reverse-digital", "name": "Leaders go digital"}
    )

    program = Program.objects.get(name="Leaders go digital")
    assert response.status_code == 302 and response["Location"] == url(program)
    assert program.playbook_key == "reverse-digital"
    assert list(program.managers.all()) == [actors.program_manager]
    assert program.key_areas.filter(name="Generative AI").exists()


def test_home_shows_the_lifecycle_checklist_and_dates(
    client: Client, actors: Actors, program: Program
) -> None:
    client.force_login(actors.program_manager)
    page = client.get(url(program)).content.decode()
    assert '<li class="current" aria-current="step">Draft</li>' in page
    assert "Identify key areas" in page and "Celebrate successes" in page
    assert "Mentorship Rooms" in page  # steps whose pages come later say so
    assert "1 Mar 2030" in page
    assert "Open enrolment…" in page


def test_checklist_ticks_in_place_with_htmx(
    client: Client, actors: Actors, program: Program
) -> None:
    client.force_login(actors.program_manager)
    response = client.post(
        url(program, "checklist/key_areas/"), {"done": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<li id="step-key_areas"') and " checked" in body
    program.refresh_from_db()
    assert "key_areas" in program.checklist

    # Without JavaScript: a plain form post, unticked (no "done"), back to the home page.
    response = client.post(url(program, "checklist/key_areas/"))
    assert response.status_code == 302 and response["Location"].endswith("#step-key_areas")
    program.refresh_from_db()
    assert program.checklist == {}


def test_an_unknown_checklist_step_is_404(client: Client, actors: Actors, program: Program) -> None:
    client.force_login(actors.program_manager)
    assert client.post(url(program, "checklist/party/"), {"done": "1"}).status_code == 404


def test_transition_confirms_then_moves(client: Client, actors: Actors, program: Program) -> None:
    client.force_login(actors.program_manager)
    confirm = client.get(url(program, "transitions/open-enrolment/")).content.decode()
    assert "Yes, open enrolment" in confirm
    response = client.post(url(program, "transitions/open-enrolment/"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Status.ENROLLING


def test_an_illegal_transition_shows_the_refusal(
    client: Client, actors: Actors, program: Program
) -> None:
    client.force_login(actors.program_manager)
    response = client.post(url(program, "transitions/start/"))
    assert response.status_code == 400
    assert "A program in draft cannot start; it is still being designed." in (
        response.content.decode()
    )
    program.refresh_from_db()
    assert program.status == Status.DRAFT


def test_design_form_saves_and_shows_service_refusals(
    client: Client, actors: Actors, program: Program
) -> None:
    client.force_login(actors.program_manager)
    form = client.get(url(program, "design/")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    topic = Topic.objects.get(organisation=actors.organisation, name="TikTok marketing")
    data.update(key_areas=[topic.pk], managers=[actors.program_manager.pk, actors.admin.pk])
    data.update(goals="New goals", requires_approval="")

    response = client.post(url(program, "design/"), data)

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.goals == "New goals"
    assert list(program.key_areas.all()) == [topic]
    assert set(program.managers.all()) == {actors.program_manager, actors.admin}

    data["kickoff_date"] = "2030-01-01"  # before matching
    response = client.post(url(program, "design/"), data)
    assert response.status_code == 200
    assert "comes before the matching date" in response.content.decode()
    program.refresh_from_db()
    assert program.kickoff_date == dt.date(2030, 4, 5)


def test_eligibility_form(client: Client, actors: Actors, program: Program) -> None:
    client.force_login(actors.program_manager)
    response = client.post(
        url(program, "eligibility/mentor/"), {"min_level": "1", "max_level": "3"}
    )
    assert response.status_code == 302
    rule = EligibilityRule.objects.get(program=program, role="mentor")
    assert (rule.min_level, rule.max_level) == (1, 3)

    response = client.post(
        url(program, "eligibility/mentor/"), {"min_level": "5", "max_level": "3"}
    )
    assert "highest level (3) is below the lowest (5)" in response.content.decode()
    response = client.post(url(program, "eligibility/mentor/"), {"included": "NOPE1"})
    assert "No one in the directory has the employee id NOPE1" in response.content.decode()


def test_save_as_playbook_page(client: Client, actors: Actors, program: Program) -> None:
    client.force_login(actors.program_manager)
    response = client.post(url(program, "save-as-playbook/"), {"name": "Acme reverse"})
    assert response.status_code == 302
    playbook = Playbook.objects.get(organisation=actors.organisation)
    assert playbook.name == "Acme reverse"
    page = client.get(url(None, "new/")).content.decode()
    assert "Acme reverse" in page
    response = client.post(
        url(None, "new/"), {"playbook": f"custom:{playbook.pk}", "name": "Second round"}
    )
    assert Program.objects.get(name="Second round").playbook_key == f"custom:{playbook.pk}"


def test_home_shows_the_enrolment_funnel_and_links_to_the_enrolment_pages(
    client: Client, actors: Actors
) -> None:
    from tests.enrolment.factories import make_applicant, make_program, submit

    program = make_program(actors.organisation, managers=[actors.program_manager])
    for _ in range(2):
        user, _person = make_applicant(actors.organisation, level=2)
        submit(user, program)
    client.force_login(actors.program_manager)

    page = client.get(url(program)).content.decode()

    assert "<li><strong>2</strong> Applied</li>" in page
    assert f"/o/{actors.organisation.slug}/enrolment/programs/{program.pk}/applicants/" in page
    assert f"/o/{actors.organisation.slug}/enrolment/programs/{program.pk}/invite/" in page
