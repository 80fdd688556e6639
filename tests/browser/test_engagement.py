"""Browser journey, as issue 7 asks: a manager opens the program's health dashboard, finds the
pair that has gone quiet on the at-risk list (and not the pair that meets), nudges it from the
keyboard (a second nudge the same day is refused); the participant of that pair sees the unread
badge, opens the notification centre (a title and a link, no content), follows the link to the
room and the notification is read. Then a survey: the manager starts the mid-program check-in
from its template and opens it, the participant answers it once. Both sign in with their
passwords; every page on the way is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from tests.authz import Actors
from tests.browser.conftest import assert_accessible, log_in
from tests.core.factories import PASSWORD
from tests.nudges.factories import room_at, session_at
from tests.programs.factories import person_for
from tests.rooms.factories import new_participant
from twoway.accounts.models import User
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.mentorships.services import mentorship_create
from twoway.notifications.models import Kind, Notification
from twoway.nudges.models import Nudge, Rule
from twoway.programs.models import Program
from twoway.rooms.models import Agreement, MemberStatement, Pulse, Session
from twoway.surveys.models import Respondent, Response

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAM = "Reverse mentoring"
CHECK_IN = "Mid-program check-in"
CHARTS = {
    "chart-funnel": "Enrolment funnel",
    "chart-mentorships": "Mentorships by status, sessions and goals",
    "chart-pulse": "Pulse ratings, 1 (not useful) to 5 (very useful)",
    "chart-trend": "The last",
}


def signed_in(browser: Any, live_server: Any, user: User) -> Any:
    """A fresh browser window (its own cookies), signed in with the login form."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(30_000)  # the live server shares the machine with the tests
    page = context.new_page()
    log_in(page, live_server, user.email, PASSWORD)
    page.wait_for_url(re.compile(r"/o/acme/$"))
    return page


def nav(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name=name, exact=True
    ).click()


def healthy_pair(actors: Actors, program: Program, *, started: dt.datetime) -> Mentorship:
    """A second pair of the program, agreed and meeting: a session held three days ago."""
    mentor, mentee = new_participant(actors), new_participant(actors)
    mentorship = mentorship_create(
        program=program,
        kind=Mentorship.Kind.PAIR,
        origin=Mentorship.Origin.MATCHING,
        members=[
            (person_for(mentor, actors.organisation), mentor, MentorshipMember.Role.MENTOR),
            (person_for(mentee, actors.organisation), mentee, MentorshipMember.Role.MENTEE),
        ],
        score=0.9,
        reason="Test pairing",
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=started, status=Mentorship.Status.ACTIVE
    )
    Agreement.objects.filter(mentorship=mentorship).update(rhythm_weeks=2, agreed_at=started)
    MemberStatement.objects.filter(agreement__mentorship=mentorship).update(
        accepted_version=1, accepted_at=started
    )
    held = Session.objects.create(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        starts_at=timezone.now() - dt.timedelta(days=3),
        duration_minutes=45,
        uid=f"healthy-{mentorship.pk}@test",
    )
    pulses(held, [4, 5])
    mentorship.refresh_from_db()
    return mentorship


def pulses(held: Session, ratings: list[int]) -> None:
    members = held.mentorship.members.order_by("pk")
    Pulse.objects.bulk_create(
        Pulse(organisation_id=held.organisation_id, session=held, member=member, rating=rating)
        for member, rating in zip(members, ratings, strict=True)
    )


def at_risk_row(page: Any, mentorship: Mentorship) -> Any:
    table = page.get_by_role("table", name=re.compile(r"^Mentorships at risk"))
    return table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=f"Pair #{mentorship.pk}", exact=True)
    )


def test_a_manager_nudges_an_at_risk_pair_and_the_participant_reads_it(
    browser: Any, live_server: Any, actors: Actors
) -> None:
    now = timezone.now()
    room = room_at(actors, started=now - dt.timedelta(weeks=8))
    # The quiet pair last met five weeks ago (a useful session: quiet is its only reason).
    pulses(session_at(room, now - dt.timedelta(weeks=5, days=1)), [3, 4])
    quiet = room.mentorship
    # Two pairs that meet; with them six people rated a session, so the pulse figures show.
    healthy = [healthy_pair(actors, room.program, started=now - dt.timedelta(weeks=8))]
    healthy.append(healthy_pair(actors, room.program, started=now - dt.timedelta(weeks=6)))

    manager, ada = actors.program_manager, room.mentee
    for user in (manager, ada):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert not Notification.objects.filter(user=ada).exists()

    # 1. The manager: Insights → the program's health dashboard.
    page_m = signed_in(browser, live_server, manager)
    assert_accessible(page_m)
    nav(page_m, "Insights")
    expect(page_m.get_by_role("heading", level=1)).to_have_text("Insights")
    assert_accessible(page_m)
    page_m.get_by_role("table", name=re.compile(r"^Programs")).get_by_role(
        "link", name=PROGRAM
    ).click()
    expect(page_m.get_by_role("heading", level=1)).to_have_text(f"Program health: {PROGRAM}")
    dashboard = page_m.url

    # Every chart is a described image with its figures in a table beside it; Chart.js drew it.
    for canvas_id, caption in CHARTS.items():
        canvas = page_m.locator(f"canvas#{canvas_id}")
        expect(canvas).to_have_attribute("role", "img")
        expect(canvas).to_have_attribute("aria-label", re.compile(r"table below$"))
        section = page_m.locator("section").filter(has=canvas)
        expect(section.locator("table caption").filter(has_text=caption)).to_have_count(1)
        page_m.wait_for_function(
            "id => window.Chart && window.Chart.getChart(document.getElementById(id))",
            arg=canvas_id,
        )
    assert_accessible(page_m)

    # The at-risk list: the quiet pair with its reason, never the pair that meets.
    at_risk = page_m.get_by_role("region", name="At risk")
    expect(at_risk.get_by_role("table")).to_have_accessible_name("Mentorships at risk (1)")
    row = at_risk_row(page_m, quiet)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text("quiet for 5 weeks")
    expect(row.get_by_role("cell").nth(2)).to_have_text("Never")
    for meeting in healthy:
        expect(at_risk_row(page_m, meeting)).to_have_count(0)

    # Nudge it from the keyboard: focus the row's button, press Enter.
    button = row.get_by_role("button", name=f"Nudge Pair #{quiet.pk}", exact=True)
    button.focus()
    expect(button).to_be_focused()
    page_m.keyboard.press("Enter")
    expect(page_m.get_by_role("status")).to_have_text("Reminder sent to 2 members.")
    assert page_m.url == dashboard
    row = at_risk_row(page_m, quiet)
    last = row.get_by_role("cell").nth(2).locator("time")
    expect(last).to_have_text(re.compile(r"^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}$"))
    nudged_at = dt.datetime.fromisoformat(str(last.get_attribute("datetime")))
    assert abs(nudged_at - timezone.now()) < dt.timedelta(minutes=5)
    assert_accessible(page_m)
    assert Nudge.objects.filter(rule=Rule.MANUAL, mentorship=quiet).count() == 2
    assert not Nudge.objects.filter(mentorship__in=healthy).exists()

    # A second nudge the same day is refused, with the reason shown; nothing more is sent.
    button = row.get_by_role("button", name=f"Nudge Pair #{quiet.pk}", exact=True)
    button.focus()
    page_m.keyboard.press("Enter")
    expect(page_m.get_by_role("status")).to_contain_text("This mentorship was already nudged today")
    assert_accessible(page_m)
    assert Nudge.objects.filter(mentorship=quiet).count() == 2

    # 2. The participant: the unread badge in the header, loaded by HTMX after the page.
    page_a = signed_in(browser, live_server, ada)
    account = page_a.locator(".site-header .account")
    expect(account.locator(".badge")).to_have_text("1 unread")
    centre_link = account.get_by_role("link", name=re.compile(r"^Notifications"))
    expect(centre_link).to_have_accessible_name(re.compile(r"^Notifications\s*1 unread$"))
    assert_accessible(page_a)
    centre_link.click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page_a.get_by_text("You have 1 unread notification.")).to_be_visible()
    items = page_a.locator("ol.notification-list > li")
    expect(items).to_have_count(1)
    title = f"A program manager of {PROGRAM} sent a reminder about your mentorship"
    expect(items.first.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(items.first).to_contain_text("Unread")
    # A title and a link, nothing else: no reason, no note, no figure from the dashboard.
    assert "quiet" not in items.first.inner_text().lower()
    assert_accessible(page_a)
    notification = Notification.objects.get(user=ada)
    assert notification.kind == Kind.MANAGER_NUDGE and notification.read_at is None

    items.first.get_by_role("link", name=title, exact=True).click()
    page_a.wait_for_url(re.compile(rf"/o/acme/mentorships/{quiet.pk}/$"))
    expect(page_a.get_by_role("heading", level=1)).to_have_text(PROGRAM)
    assert_accessible(page_a)
    notification.refresh_from_db()
    assert notification.read_at is not None

    page_a.reload()
    expect(page_a.locator(".site-header [hx-get]")).to_have_count(0)  # the badge request ran
    expect(account.locator(".badge")).to_have_count(0)
    expect(account.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # 3. A survey: the manager starts the check-in from its template and opens it.
    nav(page_m, "Programs")
    page_m.get_by_role("link", name=PROGRAM, exact=True).click()
    expect(page_m.get_by_role("heading", level=1)).to_have_text(PROGRAM)
    page_m.get_by_role("link", name="Surveys", exact=True).last.click()
    expect(page_m.get_by_role("heading", level=1)).to_have_text(f"Surveys of {PROGRAM}")
    expect(page_m.get_by_text("This program has no survey yet.")).to_be_visible()
    assert_accessible(page_m)
    page_m.get_by_label("Start from").select_option(label=CHECK_IN)
    page_m.get_by_role("button", name="Create a draft survey").click()
    expect(page_m.get_by_role("heading", level=1)).to_have_text(CHECK_IN)
    expect(page_m.get_by_role("status")).to_have_text(
        "Survey created as a draft: add or change its questions."
    )
    questions = page_m.get_by_role("region", name="Questions").locator("ol.questions > li")
    expect(questions).to_have_count(3)
    assert_accessible(page_m)
    page_m.get_by_role(
        "button", name=re.compile(r"^Open the survey and notify \d+ people$")
    ).click()
    expect(page_m.get_by_role("status")).to_have_text(
        "The survey is open; the people it is for were notified."
    )
    expect(page_m.get_by_role("link", name=f"Results of {CHECK_IN}")).to_be_visible()
    assert_accessible(page_m)

    # The participant answers it from Surveys; a second visit says it was answered.
    nav(page_a, "Surveys")
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Surveys")
    expect(account.locator(".badge")).to_have_text("1 unread")  # the survey was announced
    mine = page_a.get_by_role("region", name="Surveys for you")
    expect(mine.get_by_role("listitem")).to_have_count(1)
    expect(mine).to_contain_text("not answered yet")
    assert_accessible(page_a)
    mine.get_by_role("link", name=CHECK_IN).click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text(CHECK_IN)
    assert_accessible(page_a)
    page_a.get_by_role("group", name="How is your mentoring going?").get_by_role(
        "radio", name="4", exact=True
    ).check()
    page_a.get_by_role("group", name="Are you meeting as you agreed?").get_by_role(
        "radio", name="Less often than agreed"
    ).check()
    page_a.get_by_role("button", name="Send my answers").click()
    expect(page_a.get_by_role("status")).to_have_text("Thank you: your answers were saved.")
    expect(mine).to_contain_text("answered")
    expect(mine).not_to_contain_text("not answered yet")
    assert_accessible(page_a)
    assert Response.objects.filter(survey__program=room.program).count() == 1
    assert Respondent.objects.filter(user=ada, response__isnull=True).count() == 1

    mine.get_by_role("link", name=CHECK_IN).click()
    expect(page_a.get_by_role("status")).to_contain_text("You have already answered this survey.")
    expect(page_a.get_by_role("button", name="Send my answers")).to_have_count(0)
    assert_accessible(page_a)
    assert Response.objects.filter(survey__program=room.program).count() == 1

    page_a.context.close()
    page_m.context.close()
