"""The managers' program list: search by name, filter by status and format, 25 a page — on the
page (a labelled form that works from the keyboard, without JavaScript) and in the API."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.authz import Actors
from tests.programs.factories import make_program
from twoway.accounts.models import User
from twoway.programs.models import Format, Program

Status = Program.Status
PAGE = "/o/acme/programs/"
API = "/api/o/acme/programs/"


def rows(html: str) -> list[str]:
    """The program names in the managed table, in order."""
    table = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', table)


@pytest.fixture
def catalogue(actors: Actors) -> None:
    """Four programs of Acme, all managed by the actors' program manager."""
    for name, format, status in [
        ("Leaders go digital", Format.REVERSE, Status.ENROLLING),
        ("Digital circle", Format.CIRCLE, Status.DRAFT),
        ("Inclusive leadership", Format.REVERSE, Status.RUNNING),
        ("Generations together", Format.MULTIGENERATIONAL, Status.ENROLLING),
    ]:
        make_program(
            organisation=actors.organisation,
            manager=actors.program_manager,
            name=name,
            format=format,
            status=status,
        )


def page(client: Client, user: User, query: str = "") -> str:
    client.force_login(user)
    response = client.get(f"{PAGE}{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Generations together",
                "Inclusive leadership",
                "Digital circle",
                "Leaders go digital",
            ],
        ),
        ("?q=digital", ["Digital circle", "Leaders go digital"]),
        ("?q=++DIGITAL++circle", ["Digital circle"]),
        ("?status=enrolling", ["Generations together", "Leaders go digital"]),
        ("?format=reverse", ["Inclusive leadership", "Leaders go digital"]),
        ("?q=digital&status=enrolling&format=reverse", ["Leaders go digital"]),
        ("?q=nothing+like+it", []),
    ],
)
def test_search_and_filters(
    client: Client, actors: Actors, query: str, expected: list[str]
) -> None:
    assert rows(page(client, actors.program_manager, query)) == expected


@pytest.mark.usefixtures("catalogue")
def test_no_match_says_so_and_offers_the_way_back(client: Client, actors: Actors) -> None:
    html = page(client, actors.admin, "?q=nothing")
    assert "0 programs found" in html and "No program matches." in html
    assert f'<a href="{PAGE}">Show all programs</a>' in html


@pytest.mark.usefixtures("catalogue")
def test_an_unknown_filter_value_is_ignored(client: Client, actors: Actors) -> None:
    assert len(rows(page(client, actors.admin, "?status=frozen&format=tandem"))) == 4


def test_a_search_never_reaches_programs_the_manager_does_not_manage(
    client: Client, actors: Actors, other_program_manager: User
) -> None:
    make_program(organisation=actors.organisation, manager=actors.program_manager, name="Mine")
    assert rows(page(client, other_program_manager, "?q=i")) == ["Their own program"]
    assert rows(page(client, actors.admin, "?q=i")) == ["Mine", "Their own program"]


def test_the_form_is_labelled_and_keeps_its_values(client: Client, actors: Actors) -> None:
    html = page(client, actors.program_manager, "?q=circle&status=draft&format=circle")
    form = html.split('<form method="get"')[1].split("</form>")[0]
    assert 'role="search"' in form
    for field, label in [("q", "Search by name"), ("status", "Status"), ("format", "Format")]:
        assert f'<label for="id_{field}">{label}</label>' in form
        assert f'id="id_{field}"' in form
    assert 'value="circle"' in form
    assert '<option value="draft" selected>' in form
    assert '<option value="circle" selected>' in form
    assert '<button type="submit">Find programs</button>' in form
    assert f'<a href="{PAGE}">Clear filters</a>' in form


def test_participants_get_no_filter_form(client: Client, actors: Actors) -> None:
    assert 'role="search"' not in page(client, actors.participant)


def test_25_a_page_and_the_filters_carry_over(client: Client, actors: Actors) -> None:
    for n in range(30):
        make_program(
            organisation=actors.organisation,
            manager=actors.program_manager,
            name=f"Cohort {n:02d}",
            format=Format.CLASSIC,
        )
    make_program(organisation=actors.organisation, manager=actors.program_manager, name="Other")
    first = page(client, actors.program_manager, "?q=cohort")
    assert rows(first) == [f"Cohort {n:02d}" for n in range(29, 4, -1)]
    assert "30 programs found — page 1 of 2" in first
    assert 'href="?q=cohort&amp;page=2" rel="next"' in first
    second = page(client, actors.program_manager, "?q=cohort&page=2")
    assert rows(second) == [f"Cohort {n:02d}" for n in range(4, -1, -1)]
    assert 'href="?q=cohort&amp;page=1" rel="prev"' in second
    # A page past the end shows the last one rather than failing.
    assert rows(page(client, actors.program_manager, "?q=cohort&page=9")) == rows(second)


@pytest.mark.usefixtures("catalogue")
def test_the_api_takes_the_same_filters(client: Client, actors: Actors) -> None:
    client.force_login(actors.program_manager)
    body = client.get(f"{API}?q=digital&status=enrolling").json()
    assert body["count"] == 1 and [p["name"] for p in body["results"]] == ["Leaders go digital"]
    assert [p["name"] for p in client.get(f"{API}?program_format=circle").json()["results"]] == [
        "Digital circle"
    ]
    refused = client.get(f"{API}?status=frozen")
    assert refused.status_code == 400 and "status" in refused.json()


def test_the_api_pages_by_25(client: Client, actors: Actors) -> None:
    for n in range(27):
        make_program(organisation=actors.organisation, manager=actors.admin, name=f"Cohort {n:02d}")
    client.force_login(actors.admin)
    first = client.get(API).json()
    assert first["count"] == 27 and len(first["results"]) == 25 and first["next"]
    assert len(client.get(f"{API}?page=2").json()["results"]) == 2
