"""Browser journey, as issue 4 asks: a participant finds a mentor through suggestions. The mentee
asks their best suggestion from "Find a mentor", the mentor accepts from "Mentoring requests",
and the mentee's page then shows their mentor. Every page on the way is checked with axe-core.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_directory import log_in_with_session
from tests.core.factories import MembershipFactory
from tests.matching.django_factories import approved, matching_program, participant
from tests.matching.test_self_service import mentee_of
from twoway.core.models import Role
from twoway.matching.models import MatchingSettings, MatchRequest
from twoway.mentorships.models import Mentorship
from twoway.people.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "I would love help with our new app."


def test_a_mentee_asks_their_top_suggestion_and_the_mentor_accepts(
    page: Any, live_server: Any
) -> None:
    # Reverse mentoring in matching with self-service on; Mia wants three topics, Ada can teach
    # all three, Ben two, Cy one.
    membership = MembershipFactory(role=Role.PARTICIPANT, organisation__slug="acme")
    mia, organisation = membership.user, membership.organisation
    program = matching_program(organisation, name="Reverse 2026")
    MatchingSettings.objects.create(
        organisation=organisation, program=program, self_service=True, request_days=7
    )
    topics = list(
        Topic.objects.for_organisation(organisation)
        .filter(kind=Topic.Kind.SKILL)
        .order_by("pk")[:3]
    )
    mentee = mentee_of(program, mia, topics, first_name="Mia")
    ada, _ben, _cy = (
        approved(
            program,
            participant(organisation, first_name=name, level=2),
            role="mentor",
            shares=topics[:count],
        )
        for name, count in (("Ada", 3), ("Ben", 2), ("Cy", 1))
    )

    # The mentee goes from My mentoring to Find a mentor.
    log_in_with_session(page, live_server, mia)
    page.goto(f"{live_server.url}/o/acme/")
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="My mentoring"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring")
    assert_accessible(page)
    page.get_by_role("link", name="Find a mentor in Reverse 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a mentor")

    # Suggestions come best first, each with a reason in plain words.
    suggestions = page.get_by_role("region", name="Your suggestions").get_by_role("listitem")
    expect(suggestions.get_by_role("heading", level=3)).to_have_text(
        ["Ada Tester", "Ben Tester", "Cy Tester"]
    )
    top = page.get_by_role("listitem", name="Ada Tester")
    expect(top).to_contain_text("Why: Ada Tester can teach 3 of the 3 topics Mia Tester wants")
    expect(top).to_contain_text("shared free hours a week")
    assert_accessible(page)

    # Ask the top suggestion, with a short note.
    top.get_by_label("A note to Ada Tester (optional)").fill(NOTE)
    top.get_by_role("button", name="Ask Ada Tester to be my mentor").click()
    expect(
        page.get_by_role("status").filter(
            has_text="Your request is with Ada Tester. We will email you when they answer."
        )
    ).to_be_visible()
    request_panel = page.get_by_role("region", name="Your request")
    expect(request_panel).to_contain_text("You asked Ada Tester.")
    expect(request_panel).to_contain_text(NOTE)
    expect(page.get_by_role("region", name="Your suggestions")).to_have_count(0)
    assert_accessible(page)
    assert [m.subject for m in mail.outbox] == ["Mia Tester asked you to be their mentor"]
    assert mail.outbox[0].to == [ada.user.email]

    # The mentor goes from My mentoring to Mentoring requests and accepts.
    page.context.clear_cookies()
    log_in_with_session(page, live_server, ada.user)
    page.goto(f"{live_server.url}/o/acme/enrolment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring")
    expect(page.get_by_role("link", name="Find a mentor in Reverse 2026")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Mentoring requests in Reverse 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring requests")
    waiting = page.get_by_role("region", name="Waiting for your answer")
    request = waiting.get_by_role("listitem", name="Mia Tester")
    expect(request).to_contain_text(NOTE)
    assert_accessible(page)
    request.get_by_role("button", name="Accept Mia Tester").click()
    expect(
        page.get_by_role("status").filter(has_text="You are now Mia Tester's mentor. We told them.")
    ).to_be_visible()
    expect(waiting.get_by_role("status")).to_have_text("No request is waiting for your answer.")
    answered = page.get_by_role("table", name="Requests you answered or that ended")
    expect(answered.get_by_role("row").filter(has_text="Mia Tester")).to_contain_text("Accepted")
    assert_accessible(page)

    # The mentorship exists, with Ada as mentor and Mia as mentee.
    mentorship = Mentorship.objects.get(program=program)
    assert mentorship.origin == Mentorship.Origin.REQUEST
    assert {(m.person_id, m.role) for m in mentorship.members.all()} == {
        (ada.person_id, "mentor"),
        (mentee.person_id, "mentee"),
    }
    assert MatchRequest.objects.get(mentee=mentee).status == MatchRequest.Status.ACCEPTED
    assert mail.outbox[-1].subject == "Ada Tester accepted your request"
    assert mail.outbox[-1].to == [mia.email]

    # The mentee's page now shows their mentor instead of suggestions.
    page.context.clear_cookies()
    log_in_with_session(page, live_server, mia)
    page.goto(f"{live_server.url}/o/acme/enrolment/")
    page.get_by_role("link", name="Find a mentor in Reverse 2026").click()
    expect(page.get_by_role("region", name="Your mentor").get_by_role("status")).to_have_text(
        "You are matched with Ada Tester."
    )
    expect(page.get_by_role("region", name="Your suggestions")).to_have_count(0)
    assert_accessible(page)
