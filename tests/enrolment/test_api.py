"""The enrolment REST API: the same rules as the pages, reasons in ``detail``, and no field for
diversity answers anywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.authz import assert_access
from tests.enrolment.conftest import CANARIES, Enrolment
from tests.enrolment.factories import TIPI, make_applicant, make_program
from tests.people.factories import PersonFactory
from twoway.enrolment.models import Application, CustomAnswer, Invitation
from twoway.programs.models import EligibilityRule

pytestmark = pytest.mark.django_db
API = "/api/o/acme/enrolment"


def test_participant_endpoints_access(client: Client, enrolment: Enrolment) -> None:
    members = {"participant", "program_manager", "admin"}
    for url in (f"{API}/applications/", f"{API}/invitations/"):
        assert_access(client, enrolment.actors, url, allowed=members, api=True)
    assert_access(
        client,
        enrolment.actors,
        f"{API}/applications/{enrolment.application.pk}/",
        allowed={"participant"},
        api=True,
    )


def test_manager_endpoints_access(client: Client, enrolment: Enrolment) -> None:
    for program, allowed in (
        (enrolment.program, {"program_manager", "admin"}),
        (enrolment.other_program, {"admin"}),
    ):
        base = f"{API}/programs/{program.pk}"
        for url in (f"{base}/applications/", f"{base}/invitations/", f"{base}/funnel/"):
            assert_access(client, enrolment.actors, url, allowed=allowed, api=True)
        assert_access(
            client,
            enrolment.actors,
            f"{base}/applications/bulk/",
            allowed=allowed,
            api=True,
            method="post",
            data={"action": "approve", "application_ids": [999999]},
            ok_status=400,
        )
    app = enrolment.application
    assert_access(
        client,
        enrolment.actors,
        f"{API}/programs/{enrolment.program.pk}/applications/{app.pk}/approve/",
        allowed={"program_manager", "admin"},
        api=True,
        method="post",
        data={},
        ok_status={200, 400},
    )


def submit_payload(program_id: int, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "program": program_id,
        "role": "mentor",
        "tipi_answers": TIPI,
        "shares": ["Generative AI", "Kite surfing"],
        "availability": [[0, 9], [4, 17]],
        "time_zone": "Asia/Tokyo",
        "meeting_mode": "in_person",
        "languages": ["ja", "en"],
    }
    payload.update(fields)
    return payload


def post(client: Client, url: str, payload: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_submit_read_and_withdraw(client: Client, enrolment: Enrolment) -> None:
    org = enrolment.actors.organisation
    program = make_program(org, name="API program")
    user, _ = make_applicant(org)
    client.force_login(user)
    response = post(client, f"{API}/applications/", submit_payload(program.pk, goals="Grow"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["status_text"]["title"] == "Application received"
    assert body["availability"] == [[0, 9], [4, 17]]  # back in the applicant's zone
    assert (body["extraversion"], body["openness"]) == (4.5, 5.0)
    assert sorted(body["shares"]) == ["Generative AI", "Kite surfing"]
    stored = Application.objects.get(pk=body["id"])
    assert stored.availability_utc.index("1") == 0  # Monday 09:00 in Tokyo is 00:00 UTC
    mine = client.get(f"{API}/applications/").json()
    assert [a["id"] for a in mine] == [body["id"]]
    withdrawn = client.post(f"{API}/applications/{body['id']}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"
    again = client.post(f"{API}/applications/{body['id']}/withdraw/")
    assert again.status_code == 400
    assert again.json() == {"detail": "This application is withdrawn already."}


def test_refusals_carry_the_reason_and_save_nothing(client: Client, enrolment: Enrolment) -> None:
    org = enrolment.actors.organisation
    program = make_program(org, name="Strict")
    EligibilityRule.objects.create(organisation=org, program=program, role="mentor", max_level=4)
    question_program = make_program(org, name="Questions")
    user, _ = make_applicant(org, level=6)
    client.force_login(user)
    before = Application.objects.count()
    response = post(client, f"{API}/applications/", submit_payload(program.pk))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This program asks mentors to be at level 4 or below; your level is 6.",
        "reasons": ["This program asks mentors to be at level 4 or below; your level is 6."],
    }
    from twoway.enrolment.services import question_create

    question = question_create(
        actor=enrolment.actors.admin, program=question_program, text="Pace", kind="scale"
    )
    response = post(
        client,
        f"{API}/applications/",
        submit_payload(question_program.pk, answers={str(question.pk): "fast"}),
    )
    assert response.json() == {"detail": "“Pace” needs a whole number from 1 to 5."}
    response = post(client, f"{API}/applications/", submit_payload(question_program.pk))
    assert response.status_code == 201
    response = post(client, f"{API}/applications/", submit_payload(question_program.pk))
    assert response.json() == {"detail": "You have already applied to this program."}
    assert Application.objects.count() == before + 1
    assert CustomAnswer.objects.filter(question=question).count() == 0
    # A program the member cannot see at all is a 404, like a missing one.
    invitation_only = make_program(org, name="Private", enrolment_mode="invitation")
    assert post(client, f"{API}/applications/", submit_payload(invitation_only.pk)).status_code == (
        404
    )


def test_manager_list_decide_and_bulk(client: Client, enrolment: Enrolment) -> None:
    org = enrolment.actors.organisation
    program = enrolment.program
    extra = [make_applicant(org)[0] for _ in range(3)]
    for user in extra:
        client.force_login(user)
        assert post(client, f"{API}/applications/", submit_payload(program.pk)).status_code == 201
    client.force_login(enrolment.actors.program_manager)
    listing = client.get(f"{API}/programs/{program.pk}/applications/?role=mentor").json()
    assert listing["count"] == 4
    first = listing["results"][0]
    assert set(first) == {
        "id",
        "program",
        "person",
        "role",
        "status",
        "status_label",
        "submitted_at",
        "decided_at",
        "promoted_at",
        "shares",
        "learns",
        "meeting_mode",
        "languages",
    }
    one = client.post(
        f"{API}/programs/{program.pk}/applications/{enrolment.application.pk}/waitlist/"
    )
    assert one.json()["status"] == "waitlisted"
    ids = [a["id"] for a in listing["results"]]
    response = post(
        client,
        f"{API}/programs/{program.pk}/applications/bulk/",
        {"action": "approve", "application_ids": ids},
    )
    assert response.json() == {"changed": 4}
    funnel = client.get(f"{API}/programs/{program.pk}/funnel/").json()
    assert funnel == {
        "invited": 0,
        "applied": 4,
        "approved": 4,
        "matched": 0,
        "active": 0,
        "waitlisted": 0,
        "declined": 0,
        "withdrawn": 0,
    }


def test_invitations_through_the_api(client: Client, enrolment: Enrolment) -> None:
    org = enrolment.actors.organisation
    people = [PersonFactory(organisation=org) for _ in range(2)]
    client.force_login(enrolment.actors.program_manager)
    url = f"{API}/programs/{enrolment.program.pk}/invitations/"
    refused = post(client, url, {"emails": [people[0].email, "ghost@example.test"]})
    assert refused.status_code == 400
    assert refused.json()["rows"] == [
        {
            "row": 2,
            "column": "email",
            "reason": "No one in the directory has this address.",
            "value": "ghost@example.test",
        }
    ]
    assert not Invitation.objects.filter(program=enrolment.program).exists()
    sent = post(client, url, {"person_ids": [p.pk for p in people]})
    assert sent.status_code == 201
    assert sent.json() == {
        "invited": 2,
        "already_invited": 0,
        "already_applied": 0,
        "without_email": 0,
    }
    listed = client.get(url).json()
    assert {row["person"] for row in listed} == {p.pk for p in people}
    assert "token" not in listed[0]


def test_no_api_response_shows_diversity_answers(client: Client, enrolment: Enrolment) -> None:
    app = enrolment.application
    urls = [
        f"{API}/applications/",
        f"{API}/applications/{app.pk}/",
        f"{API}/invitations/",
        "/api/schema/",
        f"/api/o/acme/people/{app.person_id}/",
    ]
    for program in (enrolment.program, enrolment.other_program):
        base = f"{API}/programs/{program.pk}"
        urls += [f"{base}/applications/", f"{base}/invitations/", f"{base}/funnel/"]
    for actor in ("participant", "program_manager", "admin"):
        client.force_login(enrolment.actors.user(actor))
        for url in urls:
            body = client.get(url).content.decode()
            for canary in CANARIES:
                assert canary not in body, f"{canary} leaked at {url} to {actor}"
