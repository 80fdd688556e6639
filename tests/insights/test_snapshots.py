"""The dashboard reads a snapshot of the program's figures: computed on the first visit, kept
for ``SNAPSHOT_MAX_AGE``, refreshed by the worker every ``SNAPSHOT_EVERY`` and on a manager's
request; "last nudged" and which pairs are still active are read live."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.insights.factories import build_program, pair, session
from tests.insights.test_pages import other_manager
from tests.programs.factories import make_program
from twoway.core.periodic import JOBS
from twoway.insights.models import HealthSnapshot
from twoway.insights.services import (
    RECOMPUTE_AT_MOST_EVERY,
    SNAPSHOT_MAX_AGE,
    health_snapshot_current,
    health_snapshots_refresh,
)
from twoway.mentorships.models import Mentorship
from twoway.programs.models import Program

pytestmark = pytest.mark.django_db

HELD = '<th scope="row">Sessions held</th><td>{}</td>'


def page_url(program: Program) -> str:
    return reverse("insights:program", args=["acme", program.pk])


def refresh_url(program: Program) -> str:
    return reverse("insights:program_refresh", args=["acme", program.pk])


def test_the_first_visit_computes_and_later_visits_read_the_same_figures(
    client: Client, actors: Actors
) -> None:
    built = build_program(actors)
    client.force_login(actors.program_manager)
    assert HELD.format(6) in client.get(page_url(built.program)).content.decode()
    [snapshot] = HealthSnapshot.objects.all()
    assert snapshot.program == built.program and snapshot.organisation == actors.organisation

    session(built.mentorships["steady"], built.now - dt.timedelta(days=2))  # a seventh held
    page = client.get(page_url(built.program)).content.decode()
    assert HELD.format(6) in page  # the snapshot, as the page says
    assert "Figures as of" in page and "Recompute now" in page

    # Just computed: pressing "Recompute now" at once does not recompute (seconds, for a big
    # program); a minute later it does.
    response = client.post(refresh_url(built.program), follow=True)
    assert HELD.format(6) in response.content.decode()
    assert "recomputed less than a minute ago" in response.content.decode()
    HealthSnapshot.objects.update(computed_at=timezone.now() - RECOMPUTE_AT_MOST_EVERY)
    response = client.post(refresh_url(built.program), follow=True)
    assert HELD.format(7) in response.content.decode()
    assert "The figures were recomputed just now." in response.content.decode()


def test_a_snapshot_older_than_its_maximum_age_is_recomputed_by_the_page(
    client: Client, actors: Actors
) -> None:
    built = build_program(actors)
    client.force_login(actors.program_manager)
    client.get(page_url(built.program))
    session(built.mentorships["steady"], built.now - dt.timedelta(days=2))
    HealthSnapshot.objects.update(computed_at=timezone.now() - SNAPSHOT_MAX_AGE * 1.1)
    assert HELD.format(7) in client.get(page_url(built.program)).content.decode()


def test_an_unreadable_snapshot_is_recomputed(actors: Actors) -> None:
    built = build_program(actors)
    health_snapshot_current(program=built.program, now=timezone.now())
    HealthSnapshot.objects.update(health=b"written by another version")
    snapshot = health_snapshot_current(program=built.program, now=timezone.now())
    assert snapshot.health.sessions_held == 6


def test_at_risk_rows_come_from_the_snapshot_but_an_ended_pair_is_left_out(
    client: Client, actors: Actors
) -> None:
    built = build_program(actors)
    client.force_login(actors.program_manager)
    api = reverse("insights_api:at_risk", args=["acme", built.program.pk])
    listed = {row["mentorship"] for row in client.get(api).json()["results"]}
    quiet = built.mentorships["quiet"]
    assert quiet.pk in listed
    Mentorship.objects.filter(pk=quiet.pk).update(status=Mentorship.Status.ENDED_EARLY)
    listed = {row["mentorship"] for row in client.get(api).json()["results"]}
    assert quiet.pk not in listed and built.mentorships["steady"].pk in listed


def test_recomputing_is_for_the_programs_managers_and_admins_only(
    client: Client, actors: Actors
) -> None:
    built = build_program(actors)
    url = refresh_url(built.program)
    responses: dict[str, Any] = assert_access(
        client, actors, url, allowed={"program_manager", "admin"}, method="post", ok_status=302
    )
    assert responses["admin"]["Location"] == page_url(built.program)
    assert other_manager(actors).post(url).status_code == 404
    assert client.get(url).status_code == 405  # a GET changes nothing


def test_the_worker_refreshes_programs_under_way_and_leaves_drafts_alone(
    actors: Actors,
) -> None:
    built = build_program(actors)
    draft = make_program(
        organisation=actors.organisation, manager=actors.program_manager, name="Draft"
    )
    pair(draft, status="active", started_at=built.now - dt.timedelta(weeks=1))
    assert health_snapshots_refresh(now=timezone.now()) == 1
    assert list(HealthSnapshot.objects.values_list("program", flat=True)) == [built.program.pk]
    assert "health_snapshots" in {job.name for job in JOBS}
