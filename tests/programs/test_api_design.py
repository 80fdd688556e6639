"""The programs REST API beyond the program itself: eligibility per role, the playbook
checklist, managers, saving as a playbook and the playbook library — the same access rules
(a manager of another program and another organisation get a 404) and the same services as the
pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory
from tests.people.factories import PersonFactory
from twoway.accounts.models import User
from twoway.core.models import Role
from twoway.people.models import Department
from twoway.programs.models import EligibilityRule, Playbook, Program
from twoway.programs.playbooks import BUILTIN_PLAYBOOKS, CHECKLIST

MANAGERS = {"program_manager", "admin"}
LIST = "/api/o/acme/programs/"


def url(program: Program, suffix: str) -> str:
    return f"{LIST}{program.pk}/{suffix}"


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# --- Eligibility ---------------------------------------------------------------------------------


def test_eligibility_read_is_for_the_programs_managers(
    client: Client, actors: Actors, program: Program
) -> None:
    responses = assert_access(
        client, actors, url(program, "eligibility/mentor/"), allowed=MANAGERS, api=True
    )
    assert responses["admin"].json() == {
        "role": "mentor",
        "min_level": None,
        "max_level": None,
        "min_tenure_months": None,
        "departments": [],
        "included": [],
        "excluded": [],
    }


def test_eligibility_update_is_for_the_programs_managers(
    client: Client, actors: Actors, program: Program
) -> None:
    marketing = Department.objects.create(organisation=actors.organisation, name="Marketing")
    star = PersonFactory(organisation=actors.organisation, employee_id="E-STAR")
    body = {
        "min_level": 1,
        "max_level": 3,
        "min_tenure_months": 6,
        "departments": [marketing.pk],
        "included": [star.pk],
    }
    responses = assert_access(
        client,
        actors,
        url(program, "eligibility/mentor/"),
        method="put",
        data=body,
        api=True,
        allowed=MANAGERS,
    )
    saved = responses["program_manager"].json()
    assert (saved["min_level"], saved["max_level"], saved["min_tenure_months"]) == (1, 3, 6)
    assert saved["departments"] == [{"id": marketing.pk, "name": "Marketing"}]
    assert saved["included"] == [{"id": star.pk, "employee_id": "E-STAR", "name": star.full_name}]
    rule = EligibilityRule.objects.get(program=program, role="mentor")
    assert list(rule.departments.all()) == [marketing] and list(rule.included.all()) == [star]
    # PUT replaces the whole rule: what is left out is "no limit".
    response = as_user(client, actors.program_manager).put(
        url(program, "eligibility/mentor/"), {"max_level": 4}, "application/json"
    )
    assert response.status_code == 200
    assert response.json()["min_level"] is None and response.json()["departments"] == []


def test_eligibility_refusals_say_why_and_save_nothing(
    client: Client, actors: Actors, program: Program
) -> None:
    as_user(client, actors.program_manager)
    path = url(program, "eligibility/mentee/")

    response = client.put(path, {"min_level": 1, "max_level": 9}, "application/json")
    assert response.status_code == 400
    assert "Level 9 is not on this organisation's ladder" in response.json()["detail"]
    assert response.json()["field"] == "max_level"

    foreign = Department.objects.create(organisation=actors.other_organisation, name="Theirs")
    missing = client.put(path, {"departments": [foreign.pk + 1000]}, "application/json").json()
    response = client.put(path, {"departments": [foreign.pk]}, "application/json")
    assert response.status_code == 400
    # Another organisation's department answers exactly like one that does not exist.
    assert response.json()["detail"] == missing["detail"].replace(
        str(foreign.pk + 1000), str(foreign.pk)
    )
    stranger = PersonFactory(organisation=actors.other_organisation)
    response = client.put(path, {"included": [stranger.pk]}, "application/json")
    assert response.status_code == 400 and response.json()["field"] == "included"
    assert not EligibilityRule.objects.exists()


def test_eligibility_is_locked_once_the_program_runs(
    client: Client, actors: Actors, program: Program
) -> None:
    Program.objects.filter(pk=program.pk).update(status=Program.Status.RUNNING)
    response = as_user(client, actors.admin).put(
        url(program, "eligibility/mentor/"), {"max_level": 3}, "application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Eligibility cannot change once the program is running."


def test_an_unknown_role_is_a_404(client: Client, actors: Actors, program: Program) -> None:
    as_user(client, actors.admin)
    assert client.get(url(program, "eligibility/sponsor/")).status_code == 404
    assert (
        client.put(url(program, "eligibility/sponsor/"), {}, "application/json").status_code == 404
    )


# --- Checklist -----------------------------------------------------------------------------------


def test_the_checklist_is_for_the_programs_managers(
    client: Client, actors: Actors, program: Program
) -> None:
    responses = assert_access(
        client, actors, url(program, "checklist/"), allowed=MANAGERS, api=True
    )
    steps = responses["program_manager"].json()
    assert [s["key"] for s in steps] == [step.key for step in CHECKLIST]
    assert not any(s["done"] for s in steps)
    key_areas = steps[0]
    assert key_areas["title"] == "Identify key areas"
    assert key_areas["url"] == f"/o/acme/programs/{program.pk}/design/#key-areas"


def test_ticking_and_unticking_a_step(client: Client, actors: Actors, program: Program) -> None:
    responses = assert_access(
        client,
        actors,
        url(program, "checklist/celebrate/"),
        method="post",
        data={},
        api=True,
        allowed=MANAGERS,
    )
    celebrate = {s["key"]: s for s in responses["admin"].json()}["celebrate"]
    assert celebrate["done"] is True and celebrate["done_at"]
    program.refresh_from_db()
    assert set(program.checklist) == {"celebrate"}
    # Ticking again keeps the first time; done=false takes the tick back.
    first = program.checklist["celebrate"]
    as_user(client, actors.program_manager).post(url(program, "checklist/celebrate/"))
    program.refresh_from_db()
    assert program.checklist["celebrate"] == first
    response = client.post(
        url(program, "checklist/celebrate/"), {"done": False}, "application/json"
    )
    assert {s["key"]: s["done"] for s in response.json()}["celebrate"] is False
    program.refresh_from_db()
    assert program.checklist == {}


def test_an_unknown_step_is_a_404(client: Client, actors: Actors, program: Program) -> None:
    assert as_user(client, actors.admin).post(url(program, "checklist/party/")).status_code == 404


# --- Managers ------------------------------------------------------------------------------------


def test_managers_are_for_the_programs_managers(
    client: Client, actors: Actors, program: Program
) -> None:
    responses = assert_access(client, actors, url(program, "managers/"), allowed=MANAGERS, api=True)
    assert [m["id"] for m in responses["admin"].json()] == [actors.program_manager.pk]
    responses = assert_access(
        client,
        actors,
        url(program, "managers/"),
        method="put",
        data={"managers": [actors.program_manager.pk, actors.admin.pk]},
        api=True,
        allowed=MANAGERS,
    )
    assert {m["id"] for m in responses["admin"].json()} == {
        actors.program_manager.pk,
        actors.admin.pk,
    }
    assert set(program.managers.all()) == {actors.program_manager, actors.admin}


def test_managers_must_be_program_managers_or_admins_here(
    client: Client, actors: Actors, program: Program
) -> None:
    as_user(client, actors.program_manager)
    path = url(program, "managers/")
    participant = client.put(path, {"managers": [actors.participant.pk]}, "application/json")
    outsider = client.put(path, {"managers": [actors.outsider.pk]}, "application/json")
    nobody = client.put(path, {"managers": [999_999]}, "application/json")
    assert participant.status_code == outsider.status_code == nobody.status_code == 400
    assert participant.json()["detail"] == (
        f"User {actors.participant.pk} cannot manage programs here: managers must be program "
        "managers or admins of this organisation."
    )
    # Another organisation's admin answers exactly like an id that does not exist.
    assert outsider.json()["detail"].replace(str(actors.outsider.pk), "N") == nobody.json()[
        "detail"
    ].replace("999999", "N")
    inactive = MembershipFactory(
        organisation=actors.organisation, role=Role.PROGRAM_MANAGER, is_active=False
    ).user
    assert client.put(path, {"managers": [inactive.pk]}, "application/json").status_code == 400
    empty = client.put(path, {"managers": []}, "application/json")
    assert empty.status_code == 400 and "at least one manager" in empty.json()["detail"]
    assert list(program.managers.all()) == [actors.program_manager]


# --- Playbooks -----------------------------------------------------------------------------------


def test_saving_as_a_playbook_is_for_the_programs_managers(
    client: Client, actors: Actors, program: Program
) -> None:
    responses = assert_access(
        client,
        actors,
        url(program, "save-as-playbook/"),
        method="post",
        data={"name": "Our reverse mentoring"},
        api=True,
        allowed=MANAGERS,
        ok_status={201, 400},
    )
    assert responses["program_manager"].status_code == 201
    body = responses["program_manager"].json()
    assert body["name"] == "Our reverse mentoring" and body["format"] == "reverse"
    playbook = Playbook.objects.get()
    assert playbook.pk == body["id"] and playbook.organisation == actors.organisation
    # The admin came second: the name is taken, said plainly.
    assert responses["admin"].status_code == 400
    assert responses["admin"].json() == {
        "detail": "This organisation already has a playbook called 'Our reverse mentoring'.",
        "field": "name",
    }


def test_the_playbook_library_is_for_program_managers_and_admins(
    client: Client, actors: Actors, program: Program
) -> None:
    ours = Playbook.objects.create(
        organisation=actors.organisation, name="Ours", format="classic", data={"format": "classic"}
    )
    Playbook.objects.create(
        organisation=actors.other_organisation, name="Theirs", format="classic", data={}
    )
    responses = assert_access(client, actors, f"{LIST}playbooks/", allowed=MANAGERS, api=True)
    body = responses["program_manager"].json()
    assert [p["key"] for p in body["builtin"]] == [p.key for p in BUILTIN_PLAYBOOKS]
    assert [p["id"] for p in body["organisation"]] == [ours.pk]
    # A program is created from what the library lists.
    created = as_user(client, actors.program_manager).post(
        LIST, {"name": "From ours", "playbook_id": ours.pk}, "application/json"
    )
    assert created.status_code == 201 and created.json()["playbook_key"] == f"custom:{ours.pk}"


# --- A manager of another program ----------------------------------------------------------------

ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "eligibility/mentor/", None),
    ("put", "eligibility/mentor/", {"max_level": 3}),
    ("get", "checklist/", None),
    ("post", "checklist/celebrate/", {}),
    ("get", "managers/", None),
    ("put", "managers/", {"managers": "me"}),  # the other manager's own id
    ("post", "save-as-playbook/", {"name": "Stolen"}),
]


@pytest.mark.parametrize(("method", "suffix", "data"), ENDPOINTS)
def test_a_manager_of_another_program_gets_404(
    client: Client,
    program: Program,
    other_program_manager: User,
    method: str,
    suffix: str,
    data: dict[str, Any] | None,
) -> None:
    as_user(client, other_program_manager)
    if data and data.get("managers") == "me":
        data = {"managers": [other_program_manager.pk]}
    kwargs: dict[str, Any] = (
        {} if data is None else {"data": data, "content_type": "application/json"}
    )
    assert getattr(client, method)(url(program, suffix), **kwargs).status_code == 404
    program.refresh_from_db()
    assert program.checklist == {} and other_program_manager not in program.managers.all()
    assert not EligibilityRule.objects.filter(program=program).exists()
    assert not Playbook.objects.exists()


def test_a_manager_of_another_program_still_uses_the_library(
    client: Client, other_program_manager: User
) -> None:
    """The library is the organisation's, not a program's."""
    assert as_user(client, other_program_manager).get(f"{LIST}playbooks/").status_code == 200


def test_the_schema_documents_the_new_endpoints(client: Client, actors: Actors) -> None:
    schema = as_user(client, actors.admin).get("/api/schema/").content.decode()
    for operation in (
        "programs_eligibility_retrieve",
        "programs_eligibility_update",
        "programs_checklist_list",
        "programs_checklist_tick",
        "programs_managers_list",
        "programs_managers_update",
        "programs_save_as_playbook",
        "playbooks_list",
    ):
        assert operation in schema
