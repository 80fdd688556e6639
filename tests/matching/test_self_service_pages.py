"""Self-service matching pages and API: who reaches what, what each side sees, query counts.

Every URL is requested as anonymous, the mentee, the mentor, another participant, the program
manager, an organisation admin and an admin of another organisation (``assert_access``; the
"participant" actor is played in turn by the mentee, the mentor and a bystander).
"""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.matching.django_factories import approved, matching_program, participant
from tests.matching.test_self_service import DECLINE_REASON, MESSAGE, World, ask, make_world, member
from twoway.matching import self_service
from twoway.matching.models import MatchingSettings, MatchRequest

pytestmark = pytest.mark.django_db

SLUG = "acme"


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


def as_mentee(world: World) -> Actors:
    return world.actors  # the actors' participant is the mentee


def as_mentor(world: World) -> Actors:
    return dataclasses.replace(world.actors, participant=world.ada.user)


def as_bystander(world: World) -> Actors:
    """A participant of Acme with no place in this program."""
    return dataclasses.replace(world.actors, participant=member(world.actors.organisation))


def page(name: str, **kwargs: int) -> str:
    return reverse(f"find_a_mentor:{name}", kwargs={"org_slug": SLUG, **kwargs})


def api(name: str, **kwargs: int) -> str:
    return reverse(f"api_find_a_mentor_{name}", kwargs={"org_slug": SLUG, **kwargs})


# --- Access ----------------------------------------------------------------------------------


def test_the_find_a_mentor_page_is_the_mentees_alone(client: Client, world: World) -> None:
    url = page("find", program_id=world.program.pk)
    for actors in (as_mentor(world), as_bystander(world)):
        assert_access(client, actors, url, allowed=set())
    responses = assert_access(client, as_mentee(world), url, allowed={"participant"})
    html = responses["participant"].content.decode()
    assert "<h1>Find a mentor</h1>" in html
    assert "Ada Tester" in html and "match</strong>" in html
    assert 'role="status"' not in html or "No mentor" not in html


def test_the_mentoring_requests_page_is_the_mentors_alone(client: Client, world: World) -> None:
    url = page("requests", program_id=world.program.pk)
    for actors in (as_mentee(world), as_bystander(world)):
        assert_access(client, actors, url, allowed=set())
    assert_access(client, as_mentor(world), url, allowed={"participant"})


def test_the_overview_is_the_managers_and_holds_no_messages(client: Client, world: World) -> None:
    ask(world, world.ada, MESSAGE)
    url = page("overview", program_id=world.program.pk)
    for actors in (as_mentee(world), as_mentor(world)):
        assert_access(client, actors, url, allowed={"program_manager", "admin"})
    responses = assert_access(client, world.actors, url, allowed={"program_manager", "admin"})
    html = responses["program_manager"].content.decode()
    assert "Mia Tester" in html and "Ada Tester" in html and "Waiting for an answer" in html
    assert "canary-message" not in html
    assert self_service.match_request_list_for_manager(program=world.program)[0].reason not in html


def test_asking_is_the_mentees_alone(client: Client, world: World) -> None:
    url = page("ask", program_id=world.program.pk)
    data = {"mentor": world.ada.pk, "message": MESSAGE}
    for actors in (as_mentor(world), as_bystander(world)):
        assert_access(client, actors, url, allowed=set(), method="post", data=data)
    assert not MatchRequest.objects.exists()
    assert_access(
        client,
        as_mentee(world),
        url,
        allowed={"participant"},
        method="post",
        data=data,
        ok_status=302,
    )
    made = MatchRequest.objects.get()
    assert (made.mentor_id, made.message) == (world.ada.pk, MESSAGE)


def test_answering_is_the_mentors_alone(client: Client, world: World) -> None:
    first = ask(world, world.ada)
    for name in ("accept", "decline"):
        url = page(name, request_id=first.pk)
        for actors in (as_mentee(world), as_bystander(world)):
            assert_access(client, actors, url, allowed=set(), method="post", data={})
    assert MatchRequest.objects.get(pk=first.pk).status == "pending"
    assert_access(
        client,
        as_mentor(world),
        page("decline", request_id=first.pk),
        allowed={"participant"},
        method="post",
        data={},
        ok_status=302,
    )
    passed = MatchRequest.objects.get(status="pending")  # Ben's, passed on
    ben = dataclasses.replace(world.actors, participant=world.ben.user)
    assert_access(
        client,
        ben,
        page("accept", request_id=passed.pk),
        allowed={"participant"},
        method="post",
        data={},
        ok_status=302,
    )
    assert MatchRequest.objects.get(pk=passed.pk).status == "accepted"


def test_cancelling_is_the_mentees_alone(client: Client, world: World) -> None:
    made = ask(world, world.ada)
    url = page("cancel", request_id=made.pk)
    for actors in (as_mentor(world), as_bystander(world)):
        assert_access(client, actors, url, allowed=set(), method="post", data={})
    assert_access(
        client,
        as_mentee(world),
        url,
        allowed={"participant"},
        method="post",
        data={},
        ok_status=302,
    )
    assert MatchRequest.objects.get(pk=made.pk).status == "cancelled"


def test_every_endpoint_answers_only_its_side(client: Client, world: World) -> None:
    program = world.program.pk
    mentee_only = [
        ("get", api("suggestions", program_id=program), None),
        ("post", api("request_create", program_id=program), {"mentor_application": world.cy.pk}),
    ]
    for method, url, data in mentee_only:
        for actors in (as_mentor(world), as_bystander(world)):
            assert_access(client, actors, url, allowed=set(), method=method, data=data, api=True)
        assert_access(
            client,
            as_mentee(world),
            url,
            allowed={"participant"},
            method=method,
            data=data,
            api=True,
            ok_status={200, 201},
        )
    made = MatchRequest.objects.get(mentor=world.cy)
    cancel = api("request_cancel", request_id=made.pk)
    for actors in (as_mentor(world), as_bystander(world)):
        assert_access(client, actors, cancel, allowed=set(), method="post", data={}, api=True)
    assert_access(
        client,
        as_mentee(world),
        cancel,
        allowed={"participant"},
        method="post",
        data={},
        api=True,
    )
    made = ask(world, world.ada)
    for name in ("request_accept", "request_decline"):
        url = api(name, request_id=made.pk)
        for actors in (as_mentee(world), as_bystander(world)):
            assert_access(client, actors, url, allowed=set(), method="post", data={}, api=True)
    assert_access(
        client,
        as_mentor(world),
        api("request_accept", request_id=made.pk),
        allowed={"participant"},
        method="post",
        data={},
        api=True,
    )
    mine = api("my_requests")
    everyone = {"participant", "program_manager", "admin"}
    assert_access(client, world.actors, mine, allowed=everyone, api=True)
    overview = api("program_requests", program_id=program)
    for actors in (as_mentee(world), as_mentor(world)):
        assert_access(client, actors, overview, allowed={"program_manager", "admin"}, api=True)


# --- What each side sees ---------------------------------------------------------------------


def test_the_decline_reason_never_reaches_the_mentee(client: Client, world: World) -> None:
    made = ask(world, world.ada, MESSAGE)
    mentor = Client()
    mentor.force_login(world.ada.user)
    mentor.post(page("decline", request_id=made.pk), {"reason": DECLINE_REASON})
    assert MatchRequest.objects.get(pk=made.pk).status == "declined"
    client.force_login(world.actors.participant)
    html = client.get(page("find", program_id=world.program.pk)).content.decode()
    assert "Not available" in html and "Ben Tester" in html  # passed on to Ben
    body = client.get(api("my_requests")).json()
    ada = next(r for r in body["as_mentee"] if r["mentor_name"] == "Ada Tester")
    assert ada["status"] == "not_available" and ada["status_label"] == "Not available"
    for text in (html, str(body)):
        assert DECLINE_REASON not in text
        assert "declined" not in text.lower() and "expired" not in text.lower()


def test_the_mentor_sees_the_note_the_deadline_and_the_strength(
    client: Client, world: World
) -> None:
    made = ask(world, world.ada, MESSAGE)
    world.ada.user.time_zone = "Asia/Tokyo"
    world.ada.user.save(update_fields=["time_zone"])
    client.force_login(world.ada.user)
    html = client.get(page("requests", program_id=world.program.pk)).content.decode()
    assert "Mia Tester" in html and MESSAGE.split(":")[0] in html
    assert made.expires_at.isoformat(timespec="seconds")[:10] in html or "Asia/Tokyo" in html
    assert "Asia/Tokyo" in html
    assert any(f"{word} match" in html for word in ("Strong", "Good", "Fair"))
    body = client.get(api("my_requests")).json()
    assert body["as_mentor"][0]["message"] == MESSAGE and body["as_mentee"] == []


def test_refusals_answer_400_with_the_reason(client: Client, world: World) -> None:
    ask(world, world.ada)
    client.force_login(world.actors.participant)
    response = client.post(
        api("request_create", program_id=world.program.pk),
        {"mentor_application": world.ben.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "already have a request waiting" in response.json()["detail"]


def test_my_mentoring_links_to_the_pages_when_self_service_is_on(
    client: Client, world: World
) -> None:
    home = reverse("enrolment:home", kwargs={"org_slug": SLUG})
    client.force_login(world.actors.participant)
    find = f'href="{page("find", program_id=world.program.pk)}"'
    requests = f'href="{page("requests", program_id=world.program.pk)}"'
    html = client.get(home).content.decode()
    assert find in html and requests not in html
    client.force_login(world.ada.user)
    html = client.get(home).content.decode()
    assert requests in html and find not in html


def test_the_schema_documents_the_endpoints(client: Client, world: World) -> None:
    client.force_login(world.actors.participant)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/o/{org_slug}/find-a-mentor/programs/{program_id}/suggestions/",
        "/api/o/{org_slug}/find-a-mentor/programs/{program_id}/requests/",
        "/api/o/{org_slug}/find-a-mentor/requests/",
        "/api/o/{org_slug}/find-a-mentor/requests/{request_id}/accept/",
        "/api/o/{org_slug}/find-a-mentor/requests/{request_id}/decline/",
        "/api/o/{org_slug}/find-a-mentor/requests/{request_id}/cancel/",
    ):
        assert path in schema


# --- Query counts ----------------------------------------------------------------------------


def test_the_suggestions_page_costs_the_same_for_5_and_30_mentors(
    client: Client, world: World
) -> None:
    org = world.actors.organisation

    def add_mentors(count: int) -> None:
        for i in range(count):
            person = participant(org, first_name=f"Extra{i}", level=2)
            approved(world.program, person, role="mentor", shares=world.topics[:1])

    url = page("find", program_id=world.program.pk)
    client.force_login(world.actors.participant)
    add_mentors(2)  # 5 mentors
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    add_mentors(25)  # 30 mentors
    with CaptureQueriesContext(connection) as thirty:
        assert client.get(url).status_code == 200
    assert len(five) == len(thirty), [q["sql"] for q in thirty.captured_queries]


def test_my_mentoring_links_self_service_programs_at_the_same_cost_for_one_or_three(
    client: Client, world: World
) -> None:
    # Given the mentee approved in one self-service program
    client.force_login(world.actors.participant)
    url = reverse("enrolment:home", kwargs={"org_slug": world.actors.organisation.slug})

    def cost() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    one, html = cost()
    assert "Find a mentor in Reverse 2026" in html
    # When they are approved in two more self-service programs
    for name in ("Circle 2027", "Classic 2028"):
        program = matching_program(
            world.actors.organisation, managers=[world.actors.program_manager], name=name
        )
        MatchingSettings.objects.create(
            organisation=program.organisation, program=program, self_service=True
        )
        approved(program, world.mentee.person, role="mentee")
    three, html = cost()
    # Then every program is linked and the page costs the same
    assert "Find a mentor in Circle 2027" in html and "Find a mentor in Classic 2028" in html
    assert three == one
