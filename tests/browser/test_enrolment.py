"""Browser journey, as issue 3 asks: a manager creates a program from a playbook, invites three
people, they apply, the manager approves. Every page on the way is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_directory import log_in_with_session
from tests.core.factories import MembershipFactory
from tests.enrolment.factories import make_applicant
from twoway.core.models import Role
from twoway.enrolment.models import Application
from twoway.programs.models import Program

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_creates_a_program_from_a_playbook_invites_three_who_apply_and_are_approved(
    page: Any, live_server: Any
) -> None:
    manager_membership = MembershipFactory(role=Role.PROGRAM_MANAGER, organisation__slug="acme")
    organisation = manager_membership.organisation
    manager = manager_membership.user
    # Three apprentices at level 2: the playbook lets levels 1 to 3 mentor.
    invitees = [
        make_applicant(
            organisation, first_name=name, last_name="Young", job_title="Apprentice", level=2
        )
        for name in ("Ada", "Ben", "Cleo")
    ]
    today = timezone.localdate()

    # The manager creates the program from the digital transformation playbook.
    log_in_with_session(page, live_server, manager)
    page.goto(f"{live_server.url}/o/acme/programs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programs")
    assert_accessible(page)
    page.get_by_role("link", name="New program").click()
    assert_accessible(page)
    page.get_by_role("link", name="Use Reverse mentoring for digital transformation").click()
    assert_accessible(page)
    page.get_by_label("Program name").fill("Leaders go digital")
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaders go digital")
    assert_accessible(page)

    # The playbook leaves the dates to the manager: an application window around today.
    page.get_by_role("link", name="Edit the design").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Design: Leaders go digital")
    assert_accessible(page)
    page.get_by_label("Applications open").fill(f"{today - dt.timedelta(days=1):%Y-%m-%d}")
    page.get_by_label("Applications close").fill(f"{today + dt.timedelta(days=14):%Y-%m-%d}")
    page.get_by_label("Matching").fill(f"{today + dt.timedelta(days=21):%Y-%m-%d}")
    page.get_by_label("Kickoff").fill(f"{today + dt.timedelta(days=28):%Y-%m-%d}")
    page.get_by_role("button", name="Save the design").click()
    expect(page.get_by_text("The design was saved.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Open enrolment…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, open enrolment").click()
    expect(page.get_by_text("Leaders go digital is now enrolling.")).to_be_visible()
    assert_accessible(page)
    program = Program.objects.get(name="Leaders go digital")
    assert program.status == Program.Status.ENROLLING and program.requires_approval

    # From the program home's Enrolment section to Invite people; three apprentices invited.
    enrolment = page.get_by_role("region", name="Enrolment")
    enrolment.get_by_role("link", name="Invite people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite people")
    assert_accessible(page)
    page.get_by_label("Name, email or job title").fill("apprentice")
    page.get_by_role("button", name="Show who this is").click()
    expect(page.get_by_text("3 people match.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Invite these 3").click()
    expect(page.get_by_text("3 invited.")).to_be_visible()
    assert_accessible(page)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for _, p in invitees)

    # Each invitee follows the link in their email and applies through the form.
    for user, person in invitees:
        message = next(m for m in mail.outbox if m.to == [person.email])
        link = re.search(r"https?://\S+/invitations/\S+/", message.body)
        assert link is not None
        page.context.clear_cookies()
        log_in_with_session(page, live_server, user)
        page.goto(link.group(0))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You are invited to Leaders go digital"
        )
        assert_accessible(page)
        page.get_by_role("link", name="Apply now").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Apply to Leaders go digital")
        assert_accessible(page)
        page.get_by_role("radio", name="Mentor", exact=True).check()
        page.get_by_label("Other skills I can share").fill("TikTok marketing, Prompt writing")
        page.get_by_label("What do you hope to get out of this program?").fill(
            "Help a leader feel at home with new tools."
        )
        for number in range(1, 11):
            page.locator(f"input[name='tipi_{number}'][value='5']").check()
        # The availability grid works from the keyboard: tick, move right, tick.
        monday_nine = page.get_by_role("checkbox", name="Monday 09:00")
        monday_nine.focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        expect(page.get_by_role("checkbox", name="Tuesday 09:00")).to_be_checked()
        expect(monday_nine).to_be_checked()
        page.get_by_role("radio", name="Video call").check()
        page.get_by_role("button", name="Send my application").click()
        expect(
            page.get_by_role("heading", level=2, name="Status: Application received")
        ).to_be_visible()
        expect(page.get_by_text("Monday: 09:00")).to_be_visible()
        assert_accessible(page)

    # The manager goes from the program home to the applicants and approves all three at once.
    page.context.clear_cookies()
    log_in_with_session(page, live_server, manager)
    page.goto(f"{live_server.url}/o/acme/programs/{program.pk}/")
    enrolment = page.get_by_role("region", name="Enrolment")
    expect(enrolment.locator("ol.funnel")).to_contain_text("3 Applied")
    enrolment.get_by_role("link", name="Applicants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Applicants")
    funnel = page.locator("ol.funnel")
    expect(funnel).to_contain_text("3 Invited")
    expect(funnel).to_contain_text("3 Applied")
    expect(funnel).to_contain_text("0 Approved")
    assert_accessible(page)
    # One application in full, its availability on the manager's own clock.
    page.get_by_role("link", name=invitees[0][1].full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Application: {invitees[0][1].full_name}"
    )
    expect(page.get_by_text("Help a leader feel at home with new tools.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Shown in your time zone"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to all applicants").click()
    for _user, person in invitees:
        page.get_by_role("checkbox", name=f"Choose {person.full_name}").check()
    page.get_by_role("button", name="Approve chosen").click()
    expect(page.get_by_text("3 applications approved.")).to_be_visible()
    expect(funnel).to_contain_text("3 Approved")
    assert_accessible(page)
    assert (
        list(Application.objects.filter(program=program).values_list("status", flat=True))
        == ["approved"] * 3
    )

    # An applicant now sees that they have a place.
    page.context.clear_cookies()
    log_in_with_session(page, live_server, invitees[0][0])
    page.goto(f"{live_server.url}/o/acme/enrolment/")
    expect(page.get_by_text("Approved — you have a place")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Leaders go digital")).first.click()
    expect(
        page.get_by_role("heading", level=2, name="Status: Approved — you have a place")
    ).to_be_visible()
    assert_accessible(page)
