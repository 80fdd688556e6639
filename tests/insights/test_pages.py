"""Insights pages, exports and endpoints: who may see them, what they show (aggregates, never
content), the same suppression everywhere, and a query count that does not grow with the
program."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.authz import Actors, assert_access
from tests.insights.factories import (
    application,
    build_program,
    diversity,
    pair,
    person,
    pulse,
    session,
)
from tests.programs.factories import make_program
from twoway.core.models import Role
from twoway.insights.models import HealthSnapshot
from twoway.rooms.models import Note

pytestmark = pytest.mark.django_db

SECRET = "zebra-canary-7731"


def urls(program_id: int) -> dict[str, str]:
    args = {"org_slug": "acme", "program_id": program_id}
    return {
        "page": reverse("insights:program", kwargs=args),
        "csv": reverse("insights:program_export", kwargs=args) + "?format=csv",
        "xlsx": reverse("insights:program_export", kwargs=args) + "?format=xlsx",
        "api": reverse("insights_api:program", kwargs=args),
        "api_at_risk": reverse("insights_api:at_risk", kwargs=args),
    }


def other_manager(actors: Actors) -> Client:
    """A program manager of another program of the same organisation."""
    from tests.core.factories import MembershipFactory

    user = MembershipFactory(organisation=actors.organisation, role=Role.PROGRAM_MANAGER).user
    make_program(organisation=actors.organisation, manager=user, name="Another program")
    client = Client()
    client.force_login(user)
    return client


def test_program_pages_are_for_its_managers_and_admins(client: Client, actors: Actors) -> None:
    built = build_program(actors)
    allowed = {"program_manager", "admin"}
    for name, url in urls(built.program.pk).items():
        api = name.startswith("api")
        assert_access(client, actors, url, allowed=allowed, api=api)
        assert other_manager(actors).get(url).status_code == 404, url


def test_roll_up_is_for_managers_and_admins(client: Client, actors: Actors) -> None:
    build_program(actors)
    assert_access(
        client,
        actors,
        reverse("insights:home", args=["acme"]),
        allowed={"program_manager", "admin"},
    )
    assert_access(
        client,
        actors,
        reverse("insights_api:rollup", args=["acme"]),
        allowed={"program_manager", "admin"},
        api=True,
    )


def test_roll_up_shows_the_programs_each_viewer_manages(client: Client, actors: Actors) -> None:
    build_program(actors)
    make_program(organisation=actors.organisation, manager=actors.admin, name="Admins only")

    client.force_login(actors.program_manager)
    mine = client.get(reverse("insights:home", args=["acme"])).content.decode()
    client.force_login(actors.admin)
    everything = client.get(reverse("insights_api:rollup", args=["acme"])).json()

    assert "Health check" in mine and "Admins only" not in mine
    assert {row["name"] for row in everything["results"]} == {"Health check", "Admins only"}
    row = next(row for row in everything["results"] if row["name"] == "Health check")
    assert row["approved"] == 10 and row["sessions_held"] == 6
    assert row["pulse_mean"] == pytest.approx(3.12, abs=0.01)


def test_dashboard_shows_figures_definitions_and_at_risk_pairs(
    client: Client, actors: Actors
) -> None:
    built = build_program(actors)
    client.force_login(actors.program_manager)

    page = client.get(urls(built.program.pk)["page"]).content.decode()

    assert "Program health: Health check" in page
    assert "quiet for 8 weeks, low pulse" in page and "overdue actions" in page
    assert "divided by the rhythm its members agreed" in page  # a definition
    assert '<th scope="row">Sessions held</th><td>6</td>' in page
    assert "&lt;5" in page  # suppressed pulse cells
    assert 'id="insights-data"' in page and "chart-4.6.1.umd.min.js" in page


def test_no_note_or_pulse_reflection_reaches_any_output(client: Client, actors: Actors) -> None:
    built = build_program(actors)
    steady = built.mentorships["steady"]
    held = session(steady, built.now - dt.timedelta(days=1))
    pulse(held, [1, 1], reflection=SECRET)
    member = steady.members.first()
    assert member is not None
    Note.objects.create(
        organisation=actors.organisation,
        mentorship=steady,
        author=member,
        visibility="shared",
        body=SECRET,
        body_html=SECRET,
    )
    client.force_login(actors.admin)
    for url in urls(built.program.pk).values():
        assert SECRET.encode() not in client.get(url).content, url
    assert SECRET.encode() not in client.get(reverse("insights:home", args=["acme"])).content


def test_exports_carry_the_same_suppression(client: Client, actors: Actors) -> None:
    built = build_program(actors)
    program = built.program
    for _ in range(7):
        diversity(application(program, person(program)), age_band="under_25", gender="woman")
    for _ in range(3):
        diversity(application(program, person(program)), age_band="45_54", gender="woman")
    client.force_login(actors.program_manager)
    links = urls(program.pk)

    response = client.get(links["csv"])
    assert response["Content-Disposition"].startswith('attachment; filename="health-check')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    gen_x = next(row for row in rows if row and row[0] == "Gen X (45-54)")
    assert gen_x[1:] == ["", "", "", "", "", ""]  # 3 people: every figure blank
    assert next(row for row in rows if row and row[0] == "Sessions held") == ["Sessions held", "6"]

    workbook = load_workbook(io.BytesIO(client.get(links["xlsx"]).content))
    sheet = workbook.active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    gen_x_xlsx = next(row for row in cells if row[0] == "Gen X (45-54)")
    assert all(value is None for value in gen_x_xlsx[1:])
    gen_z = next(row for row in cells if row[0] == "Gen Z (under 25)")
    assert 3 not in gen_z and 3 not in gen_x_xlsx
    pulse_cells = {row[0]: row[1] for row in cells if row[0] and str(row[0]).startswith("Pulse")}
    assert pulse_cells["Pulse: rated 5"] is None and pulse_cells["Pulse: rated 3"] == 0

    api = client.get(links["api"]).json()
    api_gen_x = next(row for row in api["generations"]["rows"] if row["group"] == "Gen X (45-54)")
    assert api_gen_x["values"] == [None] * 5 and api_gen_x["total"] is None
    assert api["pulse"]["distribution"]["5"] is None


def test_export_refuses_an_unknown_format(client: Client, actors: Actors) -> None:
    built = build_program(actors)
    client.force_login(actors.program_manager)
    url = reverse("insights:program_export", args=["acme", built.program.pk]) + "?format=pdf"

    response = client.get(url)

    assert response.status_code == 400
    assert b"Format: choose csv or xlsx." in response.content


def test_at_risk_endpoint_lists_reasons_as_metadata(client: Client, actors: Actors) -> None:
    built = build_program(actors)
    client.force_login(actors.program_manager)

    data = client.get(urls(built.program.pk)["api_at_risk"]).json()

    by_id = {row["mentorship"]: row for row in data["results"]}
    assert by_id[built.mentorships["quiet"].pk]["reasons"] == ["quiet", "low_pulse"]
    assert by_id[built.mentorships["quiet"].pk]["quiet_weeks"] == 8
    assert by_id[built.mentorships["steady"].pk]["reasons"] == ["overdue_actions"]
    assert data["count"] == 2


def _dashboard_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_and_roll_up_cost_the_same_queries_with_2_or_30_pairs(
    client: Client, actors: Actors
) -> None:
    built = build_program(actors)
    client.force_login(actors.program_manager)
    page = urls(built.program.pk)["page"]
    home = reverse("insights:home", args=["acme"])
    # The first visit computes the snapshot, the next ones read it: both costs are fixed.
    small = [_dashboard_queries(client, page) for _ in range(2)] + [
        _dashboard_queries(client, home)
    ]
    assert small[1] < small[0]

    for i in range(25):
        mentorship = pair(
            built.program, status="active", started_at=built.now - dt.timedelta(weeks=9)
        )
        pulse(session(mentorship, built.now - dt.timedelta(weeks=8)), [1, 2])
        diversity(application(built.program, person(built.program)), age_band="25_34")
        make_program(organisation=actors.organisation, manager=actors.program_manager, name=f"P{i}")

    HealthSnapshot.objects.all().delete()
    large = [_dashboard_queries(client, page) for _ in range(2)] + [
        _dashboard_queries(client, home)
    ]
    assert large == small


def test_one_click_nudge_from_the_at_risk_list_comes_back_with_its_date(
    client: Client, actors: Actors
) -> None:
    built = build_program(actors)
    quiet = built.mentorships["quiet"]
    client.force_login(actors.program_manager)
    page_url = urls(built.program.pk)["page"]
    nudge_url = reverse("nudges:mentorship_nudge", args=["acme", quiet.pk])
    page = client.get(page_url).content.decode()
    assert f'action="{nudge_url}"' in page
    assert page.count("Never") == 2  # neither at-risk pair was nudged yet

    response = client.post(nudge_url, {"next": page_url}, follow=True)

    assert response.redirect_chain[-1][0] == page_url
    assert response.content.decode().count("Never") == 1
