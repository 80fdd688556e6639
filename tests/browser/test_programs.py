from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_directory import log_in_with_session
from tests.core.factories import MembershipFactory
from tests.programs.factories import make_program
from twoway.core.models import Role
from twoway.programs.models import Format, Program

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_program_manager_designs_a_program_from_a_playbook_and_opens_enrolment(
    page: Any, live_server: Any
) -> None:
    membership = MembershipFactory(role=Role.PROGRAM_MANAGER, organisation__slug="acme")
    log_in_with_session(page, live_server, membership.user)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # Programs → New program → the digital transformation playbook → name it.
    page.goto(f"{live_server.url}/o/acme/")
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Programs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programs")
    assert_accessible(page)
    page.get_by_role("link", name="New program").click()
    assert_accessible(page)
    page.get_by_role("link", name="Use Reverse mentoring for digital transformation").click()
    assert_accessible(page)
    page.get_by_label("Program name").fill("Leaders go digital")
    page.get_by_role("button", name="Create program").click()

    # The program home: the lifecycle, the checklist, the next step.
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaders go digital")
    lifecycle = page.get_by_role("navigation", name="Program lifecycle")
    expect(lifecycle.locator('[aria-current="step"]')).to_have_text("Draft")
    expect(page.get_by_text("Before you can open enrolment:")).to_be_visible()
    assert_accessible(page)

    # Tick a checklist step in place (HTMX: no reload).
    page.evaluate("window.notReloaded = true")
    page.get_by_role("checkbox", name="Identify key areas").check()
    step = page.locator("#step-key_areas")
    expect(step).to_contain_text("Done")
    expect(page.get_by_role("checkbox", name="Identify key areas")).to_be_checked()
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page)

    # Edit the design: set the application window and change a key area.
    page.get_by_role("link", name="Edit the design").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Design: Leaders go digital")
    assert_accessible(page)
    page.get_by_label("Applications open").fill("2030-03-01")
    page.get_by_label("Applications close").fill("2030-03-21")
    page.get_by_label("Matching").fill("2030-03-28")
    page.get_by_label("Kickoff").fill("2030-04-04")
    page.get_by_label("End", exact=True).fill("2030-10-01")
    page.get_by_role("checkbox", name="TikTok marketing").check()
    page.get_by_role("button", name="Save the design").click()
    expect(page.get_by_text("The design was saved.")).to_be_visible()
    expect(page.locator(".tag", has_text="TikTok marketing")).to_be_visible()
    assert_accessible(page)

    # Open enrolment, with confirmation.
    page.get_by_role("link", name="Open enrolment…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, open enrolment").click()
    expect(page.get_by_text("Leaders go digital is now enrolling.")).to_be_visible()
    expect(lifecycle.locator('[aria-current="step"]')).to_have_text("Enrolling")
    assert_accessible(page)

    program = Program.objects.get(name="Leaders go digital")
    assert program.status == Program.Status.ENROLLING
    assert "key_areas" in program.checklist
    assert program.key_areas.filter(name="TikTok marketing").exists()
    assert console_errors == []


def test_a_program_manager_finds_a_program_from_the_keyboard(page: Any, live_server: Any) -> None:
    membership = MembershipFactory(role=Role.PROGRAM_MANAGER, organisation__slug="acme")
    for n in range(27):
        make_program(
            organisation=membership.organisation,
            manager=membership.user,
            name=f"Cohort {n:02d}",
            format=Format.CLASSIC,
        )
    make_program(
        organisation=membership.organisation,
        manager=membership.user,
        name="Leaders go digital",
        status=Program.Status.ENROLLING,
    )
    log_in_with_session(page, live_server, membership.user)
    page.goto(f"{live_server.url}/o/acme/programs/")
    expect(page.get_by_text("28 programs — page 1 of 2")).to_be_visible()
    assert_accessible(page)

    # Type a name, tab to the status and choose one, tab on to the button, submit with Enter.
    search = page.get_by_label("Search by name")
    search.focus()
    page.keyboard.type("digital")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Status")).to_be_focused()
    page.get_by_label("Status").select_option("enrolling")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Format")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Find programs")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("1 program found")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link")).to_have_text(["Leaders go digital"])
    expect(page.get_by_label("Search by name")).to_have_value("digital")
    assert_accessible(page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page.get_by_text("28 programs — page 2 of 2")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("link")).to_have_count(3)
