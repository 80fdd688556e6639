"""The manager's matching pages: who reaches them, what they show, what they change."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import assert_access
from tests.matching.conftest import Matching
from tests.matching.django_factories import approved, pairs_program, participant
from twoway.matching import services
from twoway.matching.models import MatchRun, PairExclusion
from twoway.mentorships.models import Mentorship

MANAGERS = {"program_manager", "admin"}


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"matching:{name}", kwargs={"org_slug": "acme", **kwargs})


def run_now(m: Matching, capture: Any) -> MatchRun:
    with capture(execute=True):
        run = services.match_run_start(actor=m.actors.program_manager, program=m.program)
    run.refresh_from_db()
    return run


def assert_other_manager_gets_404(
    client: Client, m: Matching, path: str, method: str = "get"
) -> None:
    client.force_login(m.other_manager)
    assert getattr(client, method)(path).status_code == 404
    client.logout()


@pytest.fixture
def run(matching: Matching, django_capture_on_commit_callbacks: Any) -> MatchRun:
    return run_now(matching, django_capture_on_commit_callbacks)


def test_every_page_is_for_the_programs_managers_only(
    client: Client, matching: Matching, run: MatchRun
) -> None:
    proposal = run.proposals.first()
    mentee = matching.mentees[0].pk
    pages = [
        url("home", program_id=matching.program.pk),
        url("settings", program_id=matching.program.pk),
        url("run", run_id=run.pk),
        url("publish", run_id=run.pk),
        url("compare", run_id=run.pk)
        + f"?mentee={mentee}&mentor_a={matching.mentors[0].pk}&mentor_b={matching.mentors[1].pk}",
    ]
    for page in pages:
        assert_access(client, matching.actors, page, allowed=MANAGERS)
        assert_other_manager_gets_404(client, matching, page)
    posts = [
        url("run_start", program_id=matching.program.pk),
        url("swap", run_id=run.pk),
        url("add", run_id=run.pk),
        url("lock", proposal_id=proposal.pk),
        url("remove", proposal_id=proposal.pk),
    ]
    for action in posts:
        # Strangers are refused before anything happens; managers get a redirect or the form.
        assert_access(
            client, matching.actors, action, method="post", allowed=MANAGERS, ok_status={302, 422}
        )
        assert_other_manager_gets_404(client, matching, action, method="post")


def test_publish_is_refused_to_strangers(client: Client, matching: Matching, run: MatchRun) -> None:
    assert_access(
        client,
        matching.actors,
        url("publish", run_id=run.pk),
        method="post",
        allowed=MANAGERS,
        ok_status=302,
    )
    # The program manager published; the admin's second try was refused; nobody else got in.
    assert Mentorship.objects.count() == 3


def test_settings_form_saves_weights(client: Client, matching: Matching) -> None:
    client.force_login(matching.actors.program_manager)
    data = {
        "min_shared_hours": 2,
        "request_days": 7,
        "load_spreading": "on",
        **{
            f"weight_{c}": "low"
            for c in services.weights_effective(
                services.matching_settings_get_or_create(program=matching.program)
            )
        },
        "weight_teach_learn": "must",
    }
    response = client.post(url("settings", program_id=matching.program.pk), data)
    assert response.status_code == 302
    settings = services.matching_settings_get_or_create(program=matching.program)
    assert settings.weights["teach_learn"] == "must" and settings.load_spreading


def test_run_button_runs_and_the_page_shows_the_result(
    client: Client, matching: Matching, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(matching.actors.program_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("run_start", program_id=matching.program.pk))
    run = MatchRun.objects.get()
    assert response["Location"] == url("run", run_id=run.pk)

    page = client.get(response["Location"]).content.decode()

    assert "within" in page and "of the best possible" in page
    assert "Mentee0 Tester" in page
    assert 'role="search"' in page
    assert "Publish these matches" in page


def test_a_running_run_shows_a_progress_bar_and_htmx_polls_it(
    client: Client, matching: Matching
) -> None:
    run = MatchRun.objects.create(
        organisation=matching.program.organisation,
        program=matching.program,
        status="running",
        step="assign",
        progress=0.6,
    )
    client.force_login(matching.actors.program_manager)

    page = client.get(url("run", run_id=run.pk)).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="60"' in page
    assert "Choosing the pairs" in page

    partial = client.get(url("run", run_id=run.pk), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    MatchRun.objects.filter(pk=run.pk).update(status="done")
    done = client.get(url("run", run_id=run.pk), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_search_filters_the_proposals(client: Client, matching: Matching, run: MatchRun) -> None:
    client.force_login(matching.actors.program_manager)
    page = client.get(url("run", run_id=run.pk), {"q": "Mentee1"}).content.decode()
    assert "1 pair " in page or "1 pair." in page
    assert "Mentee1 Tester" in page and "Mentee2 Tester" not in page


def test_lock_remove_and_swap_from_the_page(
    client: Client, matching: Matching, run: MatchRun
) -> None:
    client.force_login(matching.actors.program_manager)
    first, second, third = run.proposals.order_by("id")
    client.post(url("lock", proposal_id=first.pk), {"locked": "1"})
    first.refresh_from_db()
    assert first.locked

    client.post(url("swap", run_id=run.pk), {"first": first.pk, "second": second.pk})
    client.post(url("remove", proposal_id=third.pk))

    assert run.proposals.count() == 2
    assert run.unmatched_entries.filter(rule="removed").count() == 2


def test_swap_refusal_names_the_rule(client: Client, matching: Matching, run: MatchRun) -> None:
    first, second, _ = run.proposals.order_by("id")
    mentee = first.members.get(role="mentee").application.person
    mentor = second.members.get(role="mentor").application.person
    PairExclusion.objects.create(
        organisation=matching.program.organisation,
        program=matching.program,
        person_a=mentee,
        person_b=mentor,
    )
    client.force_login(matching.actors.program_manager)

    response = client.post(
        url("swap", run_id=run.pk), {"first": first.pk, "second": second.pk}, follow=True
    )

    assert "pair exclusion" in response.content.decode()


def test_add_pair_shows_the_refusal_and_the_warning_with_a_confirm_box(
    client: Client, matching: Matching, run: MatchRun
) -> None:
    peer = approved(
        matching.program,
        participant(matching.actors.organisation, first_name="Peer", level=2),
        role="mentee",
    )
    client.force_login(matching.actors.program_manager)
    mentor = matching.mentors[0].pk

    refused = client.post(url("add", run_id=run.pk), {"mentor": mentor, "mentee": peer.pk})
    assert refused.status_code == 422
    assert "level rule" in refused.content.decode()

    senior = approved(
        matching.program,
        participant(matching.actors.organisation, first_name="Senior", level=7),
        role="mentee",
    )
    warned = client.post(url("add", run_id=run.pk), {"mentor": mentor, "mentee": senior.pk})
    body = warned.content.decode()
    assert "already at capacity" in body and 'role="alert"' in body
    assert "want to add this pair anyway" in body

    added = client.post(
        url("add", run_id=run.pk),
        {"mentor": mentor, "mentee": senior.pk, "confirm_warning": "on"},
    )
    assert added.status_code == 302
    assert run.proposals.filter(manual=True).count() == 1


def test_compare_shows_both_mentors_and_a_broken_rule(
    client: Client, matching: Matching, run: MatchRun
) -> None:
    mentee = matching.mentees[0]
    blocked = matching.mentors[1]
    PairExclusion.objects.create(
        organisation=matching.program.organisation,
        program=matching.program,
        person_a=mentee.person,
        person_b=blocked.person,
    )
    client.force_login(matching.actors.program_manager)

    page = client.get(
        url("compare", run_id=run.pk),
        {"mentee": mentee.pk, "mentor_a": matching.mentors[0].pk, "mentor_b": blocked.pk},
    ).content.decode()

    assert "Mentor0 Tester" in page and "Mentor1 Tester" in page
    assert "Not allowed: breaks a pair exclusion" in page
    assert "Allowed by every rule" in page


def test_publish_from_the_page(client: Client, matching: Matching, run: MatchRun) -> None:
    client.force_login(matching.actors.program_manager)
    confirm = client.get(url("publish", run_id=run.pk)).content.decode()
    assert "Publish 3 matches?" in confirm

    response = client.post(url("publish", run_id=run.pk), follow=True)

    assert "3 mentorships created" in response.content.decode()
    assert Mentorship.objects.count() == 3
    again = client.post(url("publish", run_id=run.pk), follow=True)
    assert "already published" in again.content.decode()


@pytest.mark.parametrize("pairs", [5, 30])
def test_the_run_page_costs_the_same_queries_for_5_and_30_pairs(
    client: Client, actors: Any, pairs: int, django_capture_on_commit_callbacks: Any
) -> None:
    program, _, _ = pairs_program(
        actors.organisation, managers=[actors.program_manager], pairs=pairs
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_start(actor=actors.program_manager, program=program)
    client.force_login(actors.program_manager)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("run", run_id=run.pk))

    assert response.status_code == 200
    assert len(queries) == 12


def test_the_program_home_links_managers_to_matching(client: Client, matching: Matching) -> None:
    client.force_login(matching.actors.program_manager)
    home = reverse("programs:home", kwargs={"org_slug": "acme", "program_id": matching.program.pk})
    assert url("home", program_id=matching.program.pk) in client.get(home).content.decode()
