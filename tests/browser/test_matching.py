"""Browser journey, as issue 4 asks: a program manager runs matching, reviews the proposals,
locks a pair, runs again, reads why someone was not placed and publishes. Every page on the way
is checked with axe-core.

The first run is held back from the (immediate, in tests) task backend so that the page shows
its HTMX-polled progress bar; the test then plays the worker, and the page reloads itself with
the result. The second run goes through as tasks do in tests: finished within the request.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_directory import log_in_with_session
from tests.core.factories import MembershipFactory
from tests.matching.django_factories import approved, matching_program, participant
from twoway.core.models import Role
from twoway.matching import services, tasks
from twoway.matching.models import MatchRun
from twoway.mentorships.models import Mentorship
from twoway.programs.models import Program

pytestmark = pytest.mark.django_db(transaction=True)

REPORTING_CHAIN_RULE = "the reporting-chain rule (one of them reports to the other)"


def classic_program_with_one_unmatchable_mentee(organisation: Any, manager: Any) -> Program:
    """Classic mentoring in matching: six senior mentors, five junior mentees anyone of them can
    mentor, and Jo, a senior mentee whose only mentor senior enough is Morgan — Jo's manager."""
    program = matching_program(
        organisation, managers=[manager], name="Leaders grow leaders", format="classic"
    )
    morgan = participant(organisation, first_name="Morgan", level=6)
    approved(program, morgan, role="mentor")
    for name in ("Ada", "Ben", "Cleo", "Dev", "Eve"):
        approved(program, participant(organisation, first_name=name, level=5), role="mentor")
    for name in ("Finn", "Gus", "Hana", "Ivy", "Kai"):
        approved(program, participant(organisation, first_name=name, level=2), role="mentee")
    jo = participant(organisation, first_name="Jo", level=5, manager=morgan)
    approved(program, jo, role="mentee")
    return program


def test_a_manager_runs_matching_locks_a_pair_runs_again_and_publishes(
    page: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    membership = MembershipFactory(role=Role.PROGRAM_MANAGER, organisation__slug="acme")
    manager = membership.user
    program = classic_program_with_one_unmatchable_mentee(membership.organisation, manager)
    log_in_with_session(page, live_server, manager)

    # The program home → Matching.
    page.goto(f"{live_server.url}/o/acme/programs/{program.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaders grow leaders")
    assert_accessible(page)
    page.get_by_role("region", name="Enrolment").get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching")
    expect(page.get_by_text("No run yet.")).to_be_visible()
    assert_accessible(page)

    # Run matching, with the worker held back: the run page shows a progress bar and polls.
    held: list[int] = []
    with monkeypatch.context() as patch:
        patch.setattr(tasks, "run_match", SimpleNamespace(enqueue=held.append))
        page.get_by_role("button", name="Run matching").click()
        progress = page.get_by_role("progressbar", name="Matching progress")
        expect(progress).to_be_visible()
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_role("status").filter(has_text="Waiting for the worker")).to_be_visible()
    assert_accessible(page)
    assert len(held) == 1

    # The test plays the worker while one of the page's polls is held in the browser: the live
    # server, which borrows the test's database connection, is idle meanwhile.
    run_url = f"**/o/acme/matching/runs/{held[0]}/"
    polls: list[Any] = []

    def hold(route: Any) -> None:
        polls.append(route)

    page.route(run_url, hold)
    for _ in range(50):  # a poll comes every second
        if polls:
            break
        page.wait_for_timeout(100)
    assert polls, "the run page stopped polling"
    services.match_run_execute(run=MatchRun.objects.get(pk=held[0]))
    for poll in polls:
        poll.continue_()
    page.unroute(run_url)

    # The run is done: the page reloads itself with the proposals.
    expect(progress).to_have_count(0)
    pairs = page.get_by_role("region", name="Proposed pairs")
    expect(pairs.get_by_role("status")).to_have_text("5 pairs.")
    proposals = pairs.get_by_role("listitem")
    expect(proposals).to_have_count(5)
    assert_accessible(page)

    # Each proposal says in plain words why: shared hours, not a score.
    first = proposals.first
    expect(first).to_contain_text(re.compile(r"\d+ shared free hours a week"))
    pair_name = first.get_by_role("heading", level=3).inner_text()
    assert re.fullmatch(r"\w+ Tester \(mentee\) with \w+ Tester \(mentor\)", pair_name), pair_name

    # Lock it from the keyboard.
    lock = first.get_by_role("button", name="Lock this pair")
    lock.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Pair locked.")).to_be_visible()
    locked = pairs.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=pair_name, exact=True)
    )
    expect(locked.get_by_text("Locked", exact=True)).to_be_visible()
    expect(locked.get_by_role("button", name="Unlock this pair")).to_be_visible()
    assert_accessible(page)

    # Run again: the locked pair is kept, still locked.
    page.get_by_role("link", name="← Matching of Leaders grow leaders").click()
    expect(page.get_by_role("table", name="Matching runs, newest first")).to_contain_text("Done")
    assert_accessible(page)
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("region", name="Summary")).to_be_visible()
    expect(pairs.get_by_role("listitem")).to_have_count(5)
    locked = pairs.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=pair_name, exact=True)
    )
    expect(locked).to_have_count(1)
    expect(locked.get_by_text("Locked", exact=True)).to_be_visible()
    expect(locked.get_by_role("button", name="Unlock this pair")).to_be_visible()
    second_run = services.latest_run(program)
    assert second_run is not None and second_run.pk != held[0]
    assert page.url.endswith(f"/matching/runs/{second_run.pk}/")

    # Jo is not placed, and the page says which rule and why.
    not_placed = page.get_by_role("region", name="Not placed")
    jo = not_placed.get_by_role("row").filter(has_text="Jo Tester")
    expect(jo.get_by_role("cell")).to_have_text(
        [
            "Jo Tester",
            REPORTING_CHAIN_RULE,
            "the one remaining mentor is in Jo Tester's reporting chain",
        ]
    )
    assert_accessible(page)

    # Publish, after the confirmation page.
    page.get_by_role("link", name="Publish these matches…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish 5 matches?")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the matches").click()
    expect(
        page.get_by_role("status").filter(
            has_text="Published: 5 mentorships created; everyone matched gets an email."
        )
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Status: Published"))).to_be_visible()
    expect(page.get_by_role("button", name="Unlock this pair")).to_have_count(0)
    assert_accessible(page)

    # Each proposal of the published run is now a mentorship with the same two people.
    second_run.refresh_from_db()
    assert second_run.status == MatchRun.Status.PUBLISHED
    proposed = {
        frozenset((m.application.person_id, m.role) for m in p.members.all())
        for p in second_run.proposals.prefetch_related("members__application")
    }
    created = {
        frozenset((m.person_id, m.role) for m in mentorship.members.all())
        for mentorship in Mentorship.objects.filter(program=program).prefetch_related("members")
    }
    assert len(created) == 5 and created == proposed
    mentee_name, mentor_name = re.findall(r"(\w+) Tester", pair_name)
    assert (
        Mentorship.objects.filter(
            program=program,
            members__person__first_name=mentee_name,
            members__role="mentee",
        )
        .filter(members__person__first_name=mentor_name, members__role="mentor")
        .exists()
    )
    assert not Mentorship.objects.filter(program=program, members__person__first_name="Jo")
    assert len(mail.outbox) == 10
