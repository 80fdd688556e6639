"""The programs REST API: the same access rules and services as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.authz import Actors, assert_access
from tests.programs.factories import make_program
from twoway.accounts.models import User
from twoway.programs.models import Program

Status = Program.Status
MEMBERS = {"participant", "program_manager", "admin"}
MANAGERS = {"program_manager", "admin"}
LIST = "/api/o/acme/programs/"


def detail(program: Program) -> str:
    return f"{LIST}{program.pk}/"


def test_list_is_for_members(client: Client, actors: Actors, program: Program) -> None:
    responses = assert_access(client, actors, LIST, allowed=MEMBERS, api=True)
    assert responses["participant"].json()["results"] == []
    assert [p["name"] for p in responses["program_manager"].json()["results"]] == [program.name]
    assert responses["admin"].json()["results"][0]["is_managed"] is True


def test_create_is_for_program_managers_and_admins(client: Client, actors: Actors) -> None:
    responses = assert_access(
        client,
        actors,
        LIST,
        method="post",
        data={"name": "API circle", "playbook": "group-circle"},
        api=True,
        allowed=MANAGERS,
        ok_status=201,
    )
    body = responses["admin"].json()
    assert body["format"] == "circle" and body["status"] == "draft"
    assert "Leadership" in [t["name"] for t in body["key_areas"]]
    assert Program.objects.filter(name="API circle").count() == 2


def test_create_needs_exactly_one_source(client: Client, actors: Actors) -> None:
    client.force_login(actors.admin)
    response = client.post(
        LIST, {"name": "X", "playbook": "group-circle", "format": "classic"}, "application/json"
    )
    assert response.status_code == 400
    assert not Program.objects.exists()


def test_detail_and_update_are_for_the_programs_managers(
    client: Client, actors: Actors, program: Program
) -> None:
    assert_access(client, actors, detail(program), allowed=MANAGERS, api=True)
    assert_access(
        client,
        actors,
        detail(program),
        method="patch",
        data={"goals": "Via the API"},
        api=True,
        allowed=MANAGERS,
    )
    program.refresh_from_db()
    assert program.goals == "Via the API"


def test_update_refusal_is_a_400_with_the_reason(
    client: Client, actors: Actors, program: Program
) -> None:
    client.force_login(actors.program_manager)
    response = client.patch(
        detail(program), {"circle_min_size": 5, "circle_max_size": 3}, "application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "circle_max_size"
    assert "largest circle (3) is smaller than the smallest (5)" in response.json()["detail"]


def test_transitions(client: Client, actors: Actors, program: Program) -> None:
    url = f"{detail(program)}transitions/open-enrolment/"
    responses = assert_access(
        client, actors, url, method="post", api=True, allowed=MANAGERS, ok_status={200, 400}
    )
    program.refresh_from_db()
    assert program.status == Status.ENROLLING
    assert responses["program_manager"].json()["status"] == "enrolling"
    # The admin's attempt came second: refused as illegal now, with the reason.
    response = responses["admin"]
    assert response.status_code == 400
    assert response.json()["detail"].startswith("A program in enrolling cannot open enrolment;")


def test_a_program_not_ready_says_what_is_missing(client: Client, actors: Actors) -> None:
    program = make_program(organisation=actors.organisation, manager=actors.program_manager)
    client.force_login(actors.program_manager)
    response = client.post(f"{detail(program)}transitions/open-enrolment/")
    assert response.status_code == 400
    assert response.json()["problems"] == ["set the dates the application window opens and closes"]


@pytest.mark.parametrize("method", ["get", "patch"])
def test_a_manager_of_another_program_gets_404(
    client: Client, program: Program, other_program_manager: User, method: str
) -> None:
    client.force_login(other_program_manager)
    response = getattr(client, method)(detail(program), {"goals": "x"}, "application/json")
    assert response.status_code == 404
    response = client.post(f"{detail(program)}transitions/open-enrolment/")
    assert response.status_code == 404
    program.refresh_from_db()
    assert program.status == Status.DRAFT and program.goals == ""


def test_the_schema_documents_the_endpoints(client: Client, actors: Actors) -> None:
    client.force_login(actors.admin)
    schema = client.get("/api/schema/").content.decode()
    for operation in ("programs_list", "programs_create", "programs_transition"):
        assert operation in schema
