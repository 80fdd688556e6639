"""Browser journey, as issue 5 asks: a pair accepts the agreement, schedules a recurring session,
writes a shared and a private note, ticks an agenda item, updates a goal; the other member sees
the shared note and not the private one. Both members sign in with their passwords; every page
on the way is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests.authz import Actors
from tests.browser.conftest import assert_accessible, log_in
from tests.core.factories import PASSWORD
from tests.rooms.factories import make_room
from twoway.accounts.models import User
from twoway.mentorships.models import Mentorship
from twoway.rooms.agendas import BUILTIN_BY_KEY
from twoway.rooms.models import AgendaItem, Goal, Note, Session

pytestmark = pytest.mark.django_db(transaction=True)

SHARED = "Shared: we agreed to **try pairing** on the release notes."
PRIVATE = "Private: I felt nervous <script>window.pwned = true</script> before the session."
PRIVATE_WORDS = "I felt nervous"
GOAL = "Give a talk on accessibility"


def signed_in(browser: Any, live_server: Any, user: User) -> Any:
    """A fresh browser window (its own cookies), signed in with the login form."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, user.email, PASSWORD)
    page.wait_for_url(re.compile(r"/o/acme/$"))
    return page


def open_room(page: Any, program_name: str) -> None:
    """From anywhere in the organisation: Mentorships in the nav, then the room."""
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Mentorships"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentorships")
    assert_accessible(page)
    page.get_by_role("link", name=program_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(program_name)


def accept_agreement(page: Any, learn: str, offer: str) -> None:
    form = page.get_by_role("form", name="Fill in your part and accept")
    form.get_by_label("What I want to learn").fill(learn)
    form.get_by_label("What I offer").fill(offer)
    form.get_by_role("button", name="Save and accept").click()


def test_a_pair_agrees_schedules_ticks_the_agenda_and_keeps_a_private_note_private(
    browser: Any, live_server: Any, actors: Actors
) -> None:
    room = make_room(actors)
    ada, ben = room.mentee, room.mentor  # A and B
    User.objects.filter(pk=ada.pk).update(time_zone="Europe/Berlin")
    for user in (ada, ben):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    program = room.program.name
    ada_name = room.member(ada).person.full_name

    # 1. Ada opens the room from the nav, writes her part and accepts the agreement.
    page_a = signed_in(browser, live_server, ada)
    assert_accessible(page_a)
    open_room(page_a, program)
    agreement = page_a.get_by_role("region", name="Our agreement")
    expect(agreement).to_contain_text("Not yet accepted by everyone")
    assert_accessible(page_a)
    accept_agreement(page_a, "How our customers use the app", "Twenty years of leading teams")
    expect(page_a.get_by_role("status")).to_have_text("You accepted the agreement.")
    mine = agreement.get_by_role("listitem").filter(has_text=ada_name)
    expect(mine).to_contain_text("How our customers use the app")
    expect(mine).to_contain_text("Accepted on")
    expect(agreement).to_contain_text("Not yet accepted by everyone")
    assert_accessible(page_a)

    # Ben does the same in his own browser; the agreement then holds for both.
    page_b = signed_in(browser, live_server, ben)
    open_room(page_b, program)
    accept_agreement(page_b, "Leading a team", "Everything about our mobile app")
    expect(page_b.get_by_role("region", name="Our agreement")).to_contain_text(
        "Agreed by everyone on"
    )
    expect(page_b.get_by_text(re.compile(r"^Status: Active$"))).to_be_visible()
    mentorship = Mentorship.objects.get(pk=room.mentorship.pk)
    assert mentorship.status == Mentorship.Status.ACTIVE
    assert_accessible(page_b)

    # 2. Ada schedules four sessions, every two weeks, at 18:30 in Berlin.
    page_a.reload()
    expect(page_a.get_by_role("region", name="Our agreement")).to_contain_text(
        "Agreed by everyone on"
    )
    expect(page_a.get_by_text(re.compile(r"^Status: Active$"))).to_be_visible()
    sessions_region = page_a.get_by_role("region", name="Sessions")
    expect(sessions_region).to_contain_text("No session is scheduled.")
    sessions_region.get_by_role("link", name="Schedule a session").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Schedule a session")
    assert_accessible(page_a)
    first_day = dt.date.today() + dt.timedelta(days=7)
    when = page_a.get_by_role("group", name="When")
    when.get_by_label("Date").fill(first_day.isoformat())
    when.get_by_label("Start time").fill("18:30")
    expect(when.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    when.get_by_label("Length in minutes").fill("45")
    repeat = page_a.get_by_role("group", name="Repeat")
    repeat.get_by_label("Number of sessions").fill("4")
    repeat.get_by_label("Every how many weeks").fill("2")
    page_a.get_by_role("button", name="Schedule", exact=True).click()
    expect(page_a.get_by_role("status")).to_have_text(
        "4 sessions scheduled; the members were emailed an invitation."
    )
    assert_accessible(page_a)
    assert Session.objects.filter(mentorship=room.mentorship).count() == 4

    page_a.get_by_role("link", name="Back to the room").click()
    listed = sessions_region.get_by_role("listitem")
    expect(listed).to_have_count(4)
    days = [first_day + dt.timedelta(weeks=2 * i) for i in range(4)]
    for item, day in zip(listed.all(), days, strict=True):
        expect(item).to_contain_text(f"{day:%A} {day.day} {day:%B %Y}, 18:30")
        expect(item).to_contain_text("(Europe/Berlin), 45 minutes")
    assert_accessible(page_a)

    # 3. The first session: an agenda from a template, one item ticked from the keyboard.
    sessions_region.get_by_role("link").filter(has_text=f"{first_day.day} {first_day:%B}").click()
    expect(page_a.get_by_role("heading", level=1)).to_contain_text("Session on")
    expect(page_a.get_by_text("times in Europe/Berlin")).to_be_visible()
    assert_accessible(page_a)
    agenda = page_a.get_by_role("region", name="Agenda")
    kickoff = BUILTIN_BY_KEY["kickoff"]
    agenda.get_by_label("Use an agenda template").select_option(
        label=f"{kickoff.name} — {kickoff.description}"
    )
    agenda.get_by_role("button", name="Use this template").click()
    expect(page_a.get_by_role("status")).to_have_text("Agenda set from the template.")
    expect(agenda.get_by_role("listitem")).to_have_count(6)
    assert_accessible(page_a)
    item = "Agree what stays confidential between us"
    tick = agenda.get_by_role("button", name=f"Done: {item}")
    expect(tick).to_have_attribute("aria-pressed", "false")
    tick.focus()
    page_a.keyboard.press("Space")
    # After the reload the item is ticked, with who ticked it, and focus is back on it.
    expect(tick).to_have_attribute("aria-pressed", "true")
    expect(agenda.get_by_role("listitem").filter(has_text=item)).to_contain_text(
        f"ticked by {ada_name}"
    )
    expect(tick).to_be_focused()
    assert_accessible(page_a)
    done = AgendaItem.objects.get(text=item)
    assert done.done and done.done_by == room.member(ada)
    assert not AgendaItem.objects.filter(done=True).exclude(pk=done.pk).exists()

    # 4. A private note on the session (with a script, shown inert), written on its own page.
    session_url = page_a.url.split("#")[0]
    page_a.get_by_role("link", name="Write a note on this session").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Write a note")
    assert_accessible(page_a)
    page_a.get_by_label("Note", exact=True).fill(PRIVATE)
    expect(page_a.get_by_role("radio", name="Private — only you")).to_be_checked()
    page_a.get_by_role("button", name="Save the note").click()
    expect(page_a.get_by_role("status")).to_have_text("Your note is saved; only you can read it.")
    assert page_a.url.startswith(session_url)
    session_notes = page_a.get_by_role("region", name="Notes on this session")
    private = session_notes.get_by_role("listitem").filter(has_text=PRIVATE_WORDS)
    expect(private).to_contain_text("<script>window.pwned = true</script>")
    expect(private).to_contain_text("Private — only you")
    assert page_a.evaluate("window.pwned") is None
    assert page_a.locator(".note-body script").count() == 0
    assert_accessible(page_a)

    # Back in the room: a shared note in Markdown, beside the private one, then a goal.
    page_a.get_by_role("link", name="Back to the room").click()
    notes = page_a.get_by_role("region", name="Notes")
    notes.get_by_label("Note", exact=True).fill(SHARED)
    notes.get_by_role("radio", name="Shared — the members of this mentorship").check()
    notes.get_by_role("button", name="Save the note").click()
    expect(page_a.get_by_role("status")).to_have_text(
        "Your note is saved; the members can read it."
    )
    expect(notes.get_by_role("listitem")).to_have_count(2)
    shared = notes.get_by_role("listitem").filter(has_text="we agreed to")
    expect(shared.get_by_role("strong").filter(has_text="try pairing")).to_be_visible()
    expect(shared).to_contain_text("Shared with the members")
    expect(notes.get_by_role("listitem").filter(has_text=PRIVATE_WORDS)).to_contain_text(
        "Private — only you"
    )
    assert page_a.evaluate("window.pwned") is None
    assert_accessible(page_a)
    assert Note.objects.filter(mentorship=room.mentorship).count() == 2

    page_a.get_by_role("region", name="Goals").get_by_role("link", name="Set a goal").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Set a goal")
    assert_accessible(page_a)
    page_a.get_by_label("Goal", exact=True).fill(GOAL)
    page_a.get_by_role("radio", name="In percent").check()
    page_a.get_by_role("button", name="Set the goal").click()
    goals = page_a.get_by_role("region", name="Goals")
    goal = goals.get_by_role("listitem").filter(has=page_a.get_by_role("heading", name=GOAL))
    expect(goal).to_contain_text("0 %")
    assert_accessible(page_a)
    goal.get_by_role("link", name=f"Update progress of “{GOAL}”").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text(f"Update progress: {GOAL}")
    assert_accessible(page_a)
    page_a.get_by_label("Progress (%)").fill("40")
    page_a.get_by_role("radio", name="On track").check()
    page_a.get_by_label("A note on this update (optional)").fill("Outline written")
    page_a.get_by_role("button", name="Record the progress").click()
    expect(page_a.get_by_role("status")).to_have_text("Your progress is recorded.")
    expect(goal.get_by_role("progressbar")).to_have_attribute("value", "40")
    expect(goal).to_contain_text("Outline written")
    assert_accessible(page_a)
    assert Goal.objects.get(title=GOAL).percent == 40

    # 5. Ben sees the shared note and Ada's progress, and nowhere the private note.
    page_b.reload()
    assert_accessible(page_b)
    notes_b = page_b.get_by_role("region", name="Notes")
    expect(notes_b.get_by_role("listitem")).to_have_count(1)
    expect(notes_b).to_contain_text("we agreed to try pairing")
    expect(notes_b).to_contain_text(ada_name)
    goal_b = page_b.get_by_role("region", name="Goals").get_by_role("listitem")
    expect(goal_b.get_by_role("heading", name=GOAL)).to_be_visible()
    expect(goal_b).to_contain_text(f"{ada_name}'s goal")
    expect(goal_b.get_by_role("progressbar", name=f"Progress of “{GOAL}”")).to_have_attribute(
        "value", "40"
    )
    expect(goal_b).to_contain_text("40 %")
    expect(goal_b.get_by_role("link", name=re.compile("Update progress"))).to_have_count(0)
    assert PRIVATE_WORDS not in page_b.content()
    assert_accessible(page_b)

    # Ben's first session page: Ada's tick, and still no trace of her private note.
    page_b.get_by_role("region", name="Sessions").get_by_role("link").filter(
        has_text=f"{first_day.day} {first_day:%B}"
    ).click()
    expect(page_b.get_by_role("heading", level=1)).to_contain_text("Session on")
    expect(page_b.get_by_text("times in UTC")).to_be_visible()
    expect(
        page_b.get_by_role("region", name="Agenda").get_by_role("button", name=f"Done: {item}")
    ).to_have_attribute("aria-pressed", "true")
    expect(page_b.get_by_role("region", name="Notes on this session")).to_contain_text(
        "No notes on this session yet."
    )
    assert PRIVATE_WORDS not in page_b.content()
    assert_accessible(page_b)

    page_a.context.close()
    page_b.context.close()
