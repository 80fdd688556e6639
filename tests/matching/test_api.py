"""The matching REST API: who reaches it, and the same services as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.authz import assert_access
from tests.matching.conftest import Matching
from tests.matching.django_factories import approved, participant
from twoway.matching import services
from twoway.matching.models import MatchRun, PairExclusion
from twoway.mentorships.models import Mentorship

MANAGERS = {"program_manager", "admin"}


def api(path: str) -> str:
    return f"/api/o/acme/matching/{path}"


@pytest.fixture
def run(matching: Matching, django_capture_on_commit_callbacks: Any) -> MatchRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_start(
            actor=matching.actors.program_manager, program=matching.program
        )
    run.refresh_from_db()
    return run


def as_other_manager(client: Client, m: Matching, method: str, path: str, data: Any = None) -> int:
    client.force_login(m.other_manager)
    kwargs = {"data": data, "content_type": "application/json"} if data is not None else {}
    code = getattr(client, method)(path, **kwargs).status_code
    client.logout()
    return code


def test_every_endpoint_is_for_the_programs_managers_only(
    client: Client, matching: Matching, run: MatchRun
) -> None:
    proposal = run.proposals.first()
    reads = [
        api(f"programs/{matching.program.pk}/runs/"),
        api(f"programs/{matching.program.pk}/settings/"),
        api(f"runs/{run.pk}/"),
        api(f"runs/{run.pk}/proposals/"),
        api(f"runs/{run.pk}/unmatched/"),
    ]
    for path in reads:
        assert_access(client, matching.actors, path, allowed=MANAGERS, api=True)
        assert as_other_manager(client, matching, "get", path) == 404
    writes = [
        ("post", api(f"proposals/{proposal.pk}/lock/"), {"locked": True}),
        ("post", api(f"runs/{run.pk}/swap/"), {"first": 0, "second": 0}),
        ("post", api(f"runs/{run.pk}/proposals/add/"), {"mentor": 0, "mentee": 0}),
    ]
    for method, path, data in writes:
        assert as_other_manager(client, matching, method, path, data or {}) == 404
        assert_access(
            client,
            matching.actors,
            path,
            method=method,
            data=data or {},
            api=True,
            allowed=MANAGERS,
            ok_status={200, 201, 400, 404},
        )
    remove = api(f"proposals/{proposal.pk}/")
    assert as_other_manager(client, matching, "delete", remove) == 404
    # Strangers first: the proposal still exists for the program manager, who removes it.
    responses = assert_access(
        client,
        matching.actors,
        remove,
        method="delete",
        api=True,
        allowed=MANAGERS,
        ok_status={204, 404},
    )
    assert responses["program_manager"].status_code == 204
    publish = api(f"runs/{run.pk}/publish/")
    assert as_other_manager(client, matching, "post", publish, {}) == 404
    assert_access(
        client,
        matching.actors,
        publish,
        method="post",
        data={},
        api=True,
        allowed=MANAGERS,
        ok_status={200, 400},
    )
    start = api(f"programs/{matching.program.pk}/runs/")
    assert as_other_manager(client, matching, "post", start, {}) == 404
    assert_access(
        client,
        matching.actors,
        start,
        method="post",
        data={},
        api=True,
        allowed=MANAGERS,
        ok_status={201, 400},
    )


def test_start_poll_and_list(
    client: Client, matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(matching.actors.program_manager)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(api(f"programs/{matching.program.pk}/runs/"))
    assert created.status_code == 201
    run_id = created.json()["id"]

    detail = client.get(api(f"runs/{run_id}/")).json()
    assert detail["status"] == "done" and detail["progress"] == 1.0
    assert detail["matched"] == 3 and detail["participation_proven"] is True
    assert 0 <= detail["gap"] < 1

    proposals = client.get(api(f"runs/{run_id}/proposals/")).json()
    assert proposals["count"] == 3
    first = proposals["results"][0]
    assert {m["role"] for m in first["members"]} == {"mentor", "mentee"}
    assert first["reason"] and "teach_learn" in first["breakdown"]
    found = client.get(api(f"runs/{run_id}/proposals/"), {"q": "Mentee2"}).json()
    assert found["count"] == 1


def test_wrong_status_is_a_400(client: Client, matching: Matching) -> None:
    matching.program.status = "enrolling"
    matching.program.save()
    client.force_login(matching.actors.admin)
    response = client.post(api(f"programs/{matching.program.pk}/runs/"))
    assert response.status_code == 400
    assert "only while the program is in matching" in response.json()["detail"]


def test_lock_swap_refusal_and_add_with_warning(
    client: Client, matching: Matching, run: MatchRun
) -> None:
    client.force_login(matching.actors.program_manager)
    first, second, _ = run.proposals.order_by("id")
    locked = client.post(
        api(f"proposals/{first.pk}/lock/"), {"locked": True}, content_type="application/json"
    )
    assert locked.json()["locked"] is True

    PairExclusion.objects.create(
        organisation=matching.program.organisation,
        program=matching.program,
        person_a=first.members.get(role="mentee").application.person,
        person_b=second.members.get(role="mentor").application.person,
    )
    swap = client.post(
        api(f"runs/{run.pk}/swap/"),
        {"first": first.pk, "second": second.pk},
        content_type="application/json",
    )
    assert swap.status_code == 400 and swap.json()["rule"] == "excluded"

    peer = approved(
        matching.program,
        participant(matching.actors.organisation, first_name="Peer", level=2),
        role="mentee",
    )
    mentor = matching.mentors[0].pk
    refused = client.post(
        api(f"runs/{run.pk}/proposals/add/"),
        {"mentor": mentor, "mentee": peer.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["rule"] == "level"

    senior = approved(
        matching.program,
        participant(matching.actors.organisation, first_name="Senior", level=7),
        role="mentee",
    )
    warned = client.post(
        api(f"runs/{run.pk}/proposals/add/"),
        {"mentor": mentor, "mentee": senior.pk},
        content_type="application/json",
    )
    assert warned.status_code == 409 and "already at capacity" in warned.json()["warning"]
    added = client.post(
        api(f"runs/{run.pk}/proposals/add/"),
        {"mentor": mentor, "mentee": senior.pk, "confirm_warning": True},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["manual"] is True


def test_publish_twice_is_refused(client: Client, matching: Matching, run: MatchRun) -> None:
    client.force_login(matching.actors.admin)
    published = client.post(api(f"runs/{run.pk}/publish/"))
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = client.post(api(f"runs/{run.pk}/publish/"))
    assert again.status_code == 400 and "already published" in again.json()["detail"]
    assert Mentorship.objects.count() == 3


def test_settings_round_trip_and_refusal(client: Client, matching: Matching) -> None:
    client.force_login(matching.actors.program_manager)
    path = api(f"programs/{matching.program.pk}/settings/")
    current = client.get(path).json()
    assert current["weights"]["teach_learn"] == "high"

    current["weights"]["teach_learn"] = "must"
    saved = client.put(path, current, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["weights"]["teach_learn"] == "must"

    current["weights"] = {"charisma": "high"}
    refused = client.put(path, current, content_type="application/json")
    assert refused.status_code == 400 and "'charisma'" in refused.json()["detail"]


def test_the_schema_lists_the_matching_endpoints(client: Client, matching: Matching) -> None:
    client.force_login(matching.actors.admin)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/o/{org_slug}/matching/runs/{run_id}/proposals/add/" in paths
    assert "/api/o/{org_slug}/matching/programs/{program_id}/runs/" in paths


def test_only_the_programs_managers_change_its_settings(client: Client, matching: Matching) -> None:
    path = api(f"programs/{matching.program.pk}/settings/")
    client.force_login(matching.actors.program_manager)
    wanted = client.get(path).json()
    client.logout()
    wanted["weights"]["location"] = "must"
    assert as_other_manager(client, matching, "put", path, wanted) == 404
    assert_access(
        client, matching.actors, path, method="put", data=wanted, api=True, allowed=MANAGERS
    )
    client.force_login(matching.actors.program_manager)
    assert client.get(path).json()["weights"]["location"] == "must"
