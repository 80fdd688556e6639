"""Browser journey: a program manager invites three people from the directory, each opens the
emailed link and applies through the form, and the manager approves them in one go."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_directory import log_in_with_session
from tests.core.factories import MembershipFactory
from tests.enrolment.factories import make_applicant, make_program
from twoway.core.models import Role
from twoway.enrolment.models import Application

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_invites_three_people_who_apply_and_are_approved(
    page: Any, live_server: Any
) -> None:
    manager_membership = MembershipFactory(role=Role.PROGRAM_MANAGER, organisation__slug="acme")
    organisation = manager_membership.organisation
    manager = manager_membership.user
    program = make_program(
        organisation,
        managers=[manager],
        name="Reverse mentoring: digital",
        enrolment_mode="invitation",
    )
    invitees = [
        make_applicant(organisation, first_name=name, last_name="Young", job_title="Apprentice")
        for name in ("Ada", "Ben", "Cleo")
    ]

    # The manager picks the three apprentices from the directory and invites them.
    log_in_with_session(page, live_server, manager)
    page.goto(f"{live_server.url}/o/acme/enrolment/programs/{program.pk}/invite/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite people")
    assert_accessible(page)
    page.get_by_label("Name, email or job title").fill("apprentice")
    page.get_by_role("button", name="Show who this is").click()
    expect(page.get_by_text("3 people match.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Invite these 3").click()
    expect(page.get_by_text("3 invited.")).to_be_visible()
    assert len(mail.outbox) == 3

    # Each invitee follows the link in their email and applies.
    for user, person in invitees:
        message = next(m for m in mail.outbox if m.to == [person.email])
        link = re.search(r"https?://\S+/invitations/\S+/", message.body)
        assert link is not None
        page.context.clear_cookies()
        log_in_with_session(page, live_server, user)
        page.goto(link.group(0))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You are invited to Reverse mentoring: digital"
        )
        assert_accessible(page)
        page.get_by_role("link", name="Apply now").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Apply to Reverse mentoring: digital"
        )
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
        page.get_by_role("link", name="My mentoring").first.click()
        expect(page.get_by_text("Application received")).to_be_visible()
        assert_accessible(page)

    # The manager sees the funnel and approves all three at once.
    page.context.clear_cookies()
    log_in_with_session(page, live_server, manager)
    page.goto(f"{live_server.url}/o/acme/enrolment/programs/{program.pk}/applicants/")
    funnel = page.locator("ol.funnel")
    expect(funnel).to_contain_text("3 Invited")
    expect(funnel).to_contain_text("3 Applied")
    expect(funnel).to_contain_text("0 Approved")
    assert_accessible(page)
    for _user, person in invitees:
        page.get_by_role("checkbox", name=f"Choose {person.full_name}").check()
    page.get_by_role("button", name="Approve chosen").click()
    expect(page.get_by_text("3 applications approved.")).to_be_visible()
    expect(funnel).to_contain_text("3 Approved")
    assert_accessible(page)
    assert set(Application.objects.values_list("status", flat=True)) == {"approved"}

    # An applicant now sees that they have a place.
    page.context.clear_cookies()
    log_in_with_session(page, live_server, invitees[0][0])
    page.goto(f"{live_server.url}/o/acme/enrolment/")
    expect(page.get_by_text("Approved — you have a place")).to_be_visible()
    assert_accessible(page)
