"""Query counts are pinned: the program list (page and API) costs the same for 3 programs as
for 30, and a program's home page the same whatever its number of key areas, managers and
eligibility rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import apply, invite, make_program, ready_dates
from twoway.accounts.models import User
from twoway.core.models import Role
from twoway.people.models import Department, Topic, topic_key
from twoway.programs import services
from twoway.programs.models import Program

Status = Program.Status
PAGE = "/o/acme/programs/"
API = "/api/o/acme/programs/"


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _topics(actors: Actors, count: int) -> list[Topic]:
    return [
        Topic.objects.get_or_create(
            organisation=actors.organisation,
            kind=Topic.Kind.SKILL,
            key=topic_key(f"Area {n}"),
            defaults={"name": f"Area {n}"},
        )[0]
        for n in range(count)
    ]


def add_programs(actors: Actors, count: int, participant: User) -> None:
    """``count`` programs of every kind a list shows: managed drafts, open ones with key areas,
    and ones the participant was invited to or applied to."""
    today = timezone.localdate()
    topics = _topics(actors, 3)
    existing = Program.objects.count()
    for n in range(existing, existing + count):
        kind = n % 3
        program = make_program(
            organisation=actors.organisation,
            manager=actors.program_manager,
            name=f"Program {n:03d}",
            status=Status.DRAFT if kind == 0 else Status.ENROLLING,
            enrolment_mode=Program.EnrolmentMode.OPEN,
            key_areas=topics[: 1 + n % 3],
            **ready_dates(today - dt.timedelta(days=1)),
        )
        if kind == 2:
            invite(program, participant)
        if n % 5 == 0 and kind != 0:
            apply(program, participant)


ROLES = ["participant", "program_manager", "admin"]
# Pinned: session, user and membership, then — page: the managed page (count and rows, for
# managers and admins), the programs the viewer participates in and their key areas, and the
# page layout's membership; API: count, rows and key areas.
LIST_QUERIES = {
    (PAGE, "participant"): 6,
    (PAGE, "program_manager"): 7,
    (PAGE, "admin"): 7,
    (API, "participant"): 6,
    (API, "program_manager"): 6,
    (API, "admin"): 6,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [PAGE, API])
def test_the_program_list_costs_the_same_for_3_and_30_programs(
    client: Client, actors: Actors, role: str, url: str
) -> None:
    client.force_login(getattr(actors, role))
    add_programs(actors, 3, actors.participant)
    few = queries(client, url)
    add_programs(actors, 27, actors.participant)
    many = queries(client, url)
    assert few == many, f"{role} at {url}: {few} queries for 3 programs, {many} for 30"
    assert many == LIST_QUERIES[url, role]


def test_the_filtered_list_costs_the_same_on_every_page(client: Client, actors: Actors) -> None:
    client.force_login(actors.admin)
    add_programs(actors, 30, actors.participant)
    first = queries(client, f"{PAGE}?status=enrolling&format=reverse&q=program")
    second = queries(client, f"{PAGE}?status=enrolling&format=reverse&q=program&page=2")
    assert first == second


def _home_queries(client: Client, program: Program) -> int:
    return queries(client, f"{PAGE}{program.pk}/")


def test_the_program_home_costs_the_same_whatever_its_size(
    client: Client, actors: Actors, program: Program
) -> None:
    """Given one key area, one manager and one eligibility rule with one department (a program
    without any rule skips the rules' own prefetches, so it would cost fewer queries)."""
    client.force_login(actors.program_manager)
    services.program_update(
        actor=actors.program_manager, program=program, key_areas=_topics(actors, 1)
    )
    services.eligibility_set(
        actor=actors.program_manager,
        program=program,
        role="mentor",
        departments=[Department.objects.create(organisation=actors.organisation, name="Sales")],
    )
    small = _home_queries(client, program)

    services.program_update(
        actor=actors.program_manager, program=program, key_areas=_topics(actors, 8)
    )
    co_managers = [
        MembershipFactory(organisation=actors.organisation, role=Role.PROGRAM_MANAGER).user
        for _ in range(4)
    ]
    services.program_set_managers(
        actor=actors.program_manager,
        program=program,
        managers=[actors.program_manager, *co_managers],
    )
    departments = [
        Department.objects.create(organisation=actors.organisation, name=f"Dept {n}")
        for n in range(4)
    ]
    people = [PersonFactory(organisation=actors.organisation) for _ in range(4)]
    for role in ("mentor", "mentee"):
        services.eligibility_set(
            actor=actors.program_manager,
            program=program,
            role=role,
            departments=departments,
            included=people[:2] if role == "mentor" else [],
            excluded=people[2:] if role == "mentor" else [],
        )
    program.checklist = {"key_areas": timezone.now().isoformat()}
    program.save()

    large = _home_queries(client, program)
    assert small == large, f"{small} queries with little design, {large} with a full one"
    # Session, user, membership; the program; key areas, managers, rules and the rules'
    # departments, included and excluded people; the funnel (2); the page layout's membership.
    assert large == 13
