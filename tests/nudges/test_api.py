"""The nudges REST endpoints: history for the program's managers, the one-click nudge."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.authz import assert_access
from tests.nudges.factories import NOW, days, room_at
from twoway.nudges.models import Nudge, Rule
from twoway.nudges.services import nudges_sweep

pytestmark = pytest.mark.django_db


def test_the_history_endpoint_is_metadata_for_managers_only(client, actors):
    room = room_at(actors, started=NOW - days(60))
    nudges_sweep(now=NOW)
    url = f"/api/o/acme/nudges/programs/{room.program.pk}/"
    responses = assert_access(client, actors, url, allowed={"program_manager", "admin"}, api=True)
    body = responses["admin"].json()
    assert body["count"] == 2
    row = body["results"][0]
    assert set(row) == {"id", "created_at", "rule", "mentorship", "recipient_role", "manual"}
    assert row["rule"] == Rule.QUIET and row["mentorship"] == room.mentorship.pk
    assert {r["recipient_role"] for r in body["results"]} == {"Mentor", "Mentee"}

    client.force_login(actors.program_manager)
    assert client.get(url, {"rule": "agreement"}).json()["count"] == 0
    refused = client.get(url, {"rule": "everything"})
    assert refused.status_code == 400 and refused.json()["detail"].startswith("Rule: choose")


def test_the_history_endpoint_has_a_fixed_query_count(client, actors):
    room = room_at(actors, started=NOW - days(60))
    url = f"/api/o/acme/nudges/programs/{room.program.pk}/"
    client.force_login(actors.program_manager)
    nudges_sweep(now=NOW)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for week in range(1, 10):
        nudges_sweep(now=NOW + days(7 * week))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).json()["count"] == 20
    assert len(many) == len(few)


def test_the_nudge_endpoint(client, actors):
    room = room_at(actors, started=NOW)
    url = f"/api/o/acme/nudges/mentorships/{room.mentorship.pk}/"
    responses = assert_access(
        client,
        actors,
        url,
        allowed={"program_manager", "admin"},
        method="post",
        api=True,
        ok_status={201, 400},
    )
    assert responses["program_manager"].status_code == 201
    assert len(responses["program_manager"].json()) == 2
    assert responses["admin"].status_code == 400
    assert responses["admin"].json() == {"detail": "This mentorship was already nudged today"}
    assert Nudge.objects.filter(rule=Rule.MANUAL).count() == 2
