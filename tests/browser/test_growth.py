"""Browser journey, as issue 6 asks: a mentee writes a private and a shared Growth Threads entry,
follows a roadmap step from the keyboard, posts in the organisation's community, receives kudos
from the mentor and downloads the certificate of the completed mentorship. The mentor reads the
shared entry and never the private one. Both sign in with their passwords; every page on the way
is checked with axe-core.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.authz import Actors
from tests.browser.conftest import assert_accessible, log_in
from tests.core.factories import PASSWORD
from tests.rooms.factories import make_room
from twoway.accounts.models import User
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.roadmaps.builtins import builtin_get
from twoway.roadmaps.models import StepProgress
from twoway.threads.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)

PRIVATE_TITLE = "Doubts after the first month"
PRIVATE = "Private: I still feel out of my depth <script>window.pwned = true</script> at times."
PRIVATE_WORDS = "out of my depth"
SHARED_TITLE = "What reverse mentoring taught me"
SHARED = "Shared: my mentor showed me how to **ask an assistant** for a first draft."
TOPIC = "How do you keep a mentoring rhythm?"
TOPIC_BODY = "We meet every two weeks; how do others keep the sessions going?"
REPLY = "A fixed slot in the calendar helps us most."
KUDOS = "Thank you for trying every exercise with such curiosity."


def signed_in(browser: Any, live_server: Any, user: User) -> Any:
    """A fresh browser window (its own cookies), signed in with the login form."""
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, user.email, PASSWORD)
    page.wait_for_url(re.compile(r"/o/acme/$"))
    return page


def nav(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name=name, exact=True
    ).click()


def write_entry(page: Any, title: str, body: str, audience: str) -> str:
    """From My Growth Thread: write an entry; returns the address of its page."""
    page.get_by_role("link", name="Write an entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write an entry")
    assert_accessible(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Entry", exact=True).fill(body)
    who = page.get_by_role("group", name="Who can read it")
    expect(who.get_by_role("radio", name="Only me")).to_be_checked()
    who.get_by_role("radio", name=audience).check()
    page.get_by_role("button", name="Save the entry").click()
    expect(page.get_by_role("status")).to_have_text("Your entry is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return str(page.url)


def test_a_mentee_journals_follows_a_roadmap_posts_receives_kudos_and_a_certificate(
    browser: Any, live_server: Any, actors: Actors
) -> None:
    room = make_room(actors)
    ada, ben = room.mentee, room.mentor
    Person.objects.filter(pk=room.member(ada).person.pk).update(
        first_name="Ada", last_name="Lindqvist"
    )
    Person.objects.filter(pk=room.member(ben).person.pk).update(
        first_name="Ben", last_name="Okafor"
    )
    for user in (ada, ben):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    program = room.program.name

    # 1. Ada writes a private entry (with a script, shown inert) and one for her mentorship.
    page_a = signed_in(browser, live_server, ada)
    assert_accessible(page_a)
    nav(page_a, "Growth")
    expect(page_a.get_by_role("heading", level=1)).to_have_text("My Growth Thread")
    expect(page_a.get_by_text("You have not written an entry yet.")).to_be_visible()
    assert_accessible(page_a)
    private_url = write_entry(page_a, PRIVATE_TITLE, PRIVATE, "Only me")
    article = page_a.get_by_role("article")
    expect(article).to_contain_text("<script>window.pwned = true</script>")
    expect(article).to_contain_text("Private: only the author can read it")
    assert page_a.evaluate("window.pwned") is None
    assert page_a.locator(".entry-body script").count() == 0
    assert_accessible(page_a)

    page_a.get_by_role("link", name="← My Growth Thread").click()
    shared_url = write_entry(page_a, SHARED_TITLE, SHARED, "My mentorship(s)")
    expect(
        page_a.get_by_role("article").get_by_role("strong").filter(has_text="ask an assistant")
    ).to_be_visible()
    expect(page_a.get_by_role("article")).to_contain_text("Shared with the author's mentorship")
    assert_accessible(page_a)
    page_a.get_by_role("link", name="← My Growth Thread").click()
    mine = page_a.get_by_role("list", name="My entries, newest first").get_by_role("listitem")
    expect(mine).to_have_count(2)
    expect(mine.first).to_contain_text(SHARED_TITLE)
    expect(mine.first).to_contain_text("My mentorship(s)")
    expect(mine.last).to_contain_text(PRIVATE_TITLE)
    expect(mine.last).to_contain_text("Only me")
    assert_accessible(page_a)
    assert Entry.objects.filter(author__user=ada).count() == 2

    # 2. In the room: follow the built-in Generative AI roadmap, tick its first step by keyboard.
    nav(page_a, "Mentorships")
    expect(page_a.get_by_role("heading", level=1)).to_have_text("My mentorships")
    assert_accessible(page_a)
    page_a.get_by_role("link", name=program).click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text(program)
    roadmaps = page_a.get_by_role("region", name="Roadmaps")
    expect(roadmaps).to_contain_text("No roadmap yet.")
    assert_accessible(page_a)
    roadmaps.get_by_role("link", name="Choose a roadmap").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Choose a roadmap")
    assert_accessible(page_a)
    builtin = builtin_get("generative_ai_at_work")
    assert builtin is not None
    total = len(builtin.steps)
    first = builtin.steps[0].title
    page_a.get_by_role("button", name=f"Follow “{builtin.title}”").click()
    expect(page_a.get_by_role("status")).to_have_text(f"You now follow “{builtin.title}”.")
    expect(page_a.get_by_role("heading", level=1)).to_have_text(builtin.title)
    mine_bar = page_a.get_by_role("progressbar", name=f"Your progress on “{builtin.title}”")
    expect(mine_bar).to_have_attribute("value", "0")
    expect(page_a.get_by_role("paragraph").filter(has=mine_bar)).to_contain_text(
        f"0 of {total} steps"
    )
    assert_accessible(page_a)
    expect(page_a.get_by_role("listitem").filter(has_text="Ada Lindqvist (you)")).to_have_text(
        f"Ada Lindqvist (you): 0 of {total} steps"
    )
    mark = page_a.get_by_role("button", name=f"Mark done: {first}")
    mark.focus()
    page_a.keyboard.press("Enter")
    expect(page_a.get_by_role("button", name=f"Mark not done: {first}")).to_be_visible()
    expect(mine_bar).to_have_attribute("value", "1")
    expect(page_a.get_by_role("paragraph").filter(has=mine_bar)).to_contain_text(
        f"1 of {total} steps"
    )
    expect(
        page_a.get_by_role("listitem").filter(has=page_a.get_by_role("heading", name=first))
    ).to_contain_text("Done by: Ada Lindqvist")
    assert page_a.url.split("#")[1].startswith("step-")
    assert_accessible(page_a)
    assert StepProgress.objects.filter(member__person__user=ada).count() == 1

    page_a.get_by_role("link", name="← Back to the room").click()
    card = page_a.get_by_role("region", name="Roadmaps").get_by_role("listitem")
    expect(card.get_by_role("link", name=builtin.title)).to_be_visible()
    expect(card).to_contain_text(f"1 of {total} steps")
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "1")
    expect(card).to_contain_text(f"Suggested next step: {builtin.steps[1].title}")

    # 3. A topic in the organisation's community space, then a reply to it.
    nav(page_a, "Communities")
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Communities")
    assert_accessible(page_a)
    spaces = page_a.get_by_role("region", name="Your spaces")
    spaces.get_by_role("link", name="Acme", exact=True).click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Acme")
    expect(page_a.get_by_text("No topics yet. Start one.")).to_be_visible()
    assert_accessible(page_a)
    page_a.get_by_role("link", name="New topic").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("New topic in Acme")
    assert_accessible(page_a)
    page_a.get_by_label("Title").fill(TOPIC)
    page_a.get_by_label("First post").fill(TOPIC_BODY)
    page_a.get_by_role("button", name="Post the topic").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text(TOPIC)
    posts = page_a.locator("ol.posts > li")
    expect(posts).to_have_count(1)
    expect(posts.first).to_contain_text(TOPIC_BODY)
    assert_accessible(page_a)
    page_a.get_by_label("Your reply").fill(REPLY)
    page_a.get_by_role("button", name="Post the reply").click()
    expect(posts).to_have_count(2)
    expect(posts.last).to_contain_text(REPLY)
    assert_accessible(page_a)
    page_a.get_by_role("link", name="Acme", exact=True).click()
    topics = page_a.get_by_role("region", name="Topics")
    expect(topics.get_by_role("link", name=TOPIC)).to_be_visible()
    expect(topics).to_contain_text("2 posts")

    # 4. Ben reads the shared entry, never the private one, and thanks Ada with kudos.
    page_b = signed_in(browser, live_server, ben)
    nav(page_b, "Growth")
    expect(page_b.get_by_role("heading", level=1)).to_have_text("My Growth Thread")
    page_b.get_by_role("link", name="What colleagues share").click()
    expect(page_b.get_by_role("heading", level=1)).to_have_text(
        "Growth Threads of the organisation"
    )
    feed = page_b.get_by_role("list", name="Entries, newest first").get_by_role("listitem")
    expect(feed).to_have_count(1)
    expect(feed.first).to_contain_text(SHARED_TITLE)
    expect(feed.first).to_contain_text("Ada Lindqvist")
    assert PRIVATE_TITLE not in page_b.content()
    assert PRIVATE_WORDS not in page_b.content()
    assert_accessible(page_b)
    feed.first.get_by_role("link", name=SHARED_TITLE).click()
    expect(page_b.get_by_role("heading", level=1)).to_have_text(SHARED_TITLE)
    assert page_b.url == shared_url
    expect(page_b.get_by_role("article")).to_contain_text("ask an assistant")
    expect(page_b.get_by_role("link", name="Edit this entry")).to_have_count(0)
    assert_accessible(page_b)
    refused = page_b.goto(private_url)
    assert refused is not None and refused.status == 404
    assert PRIVATE_WORDS not in page_b.content()

    page_b.goto(f"{live_server.url}/o/acme/")
    page_b.get_by_role("link", name="Kudos and stories").click()
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Kudos and stories")
    assert_accessible(page_b)
    give = page_b.get_by_role("region", name="Give kudos")
    give.get_by_label("Who you thank").select_option(label="Ada Lindqvist")
    give.get_by_label("Message").fill(KUDOS)
    give.get_by_role("radio", name="My mentorship(s)").check()
    give.get_by_role("button", name="Give kudos").click()
    expect(page_b.get_by_role("status")).to_have_text("Kudos sent to Ada Lindqvist.")
    given = page_b.get_by_role("region", name="Kudos you gave")
    expect(given).to_contain_text(KUDOS)
    expect(given).to_contain_text("Ben Okafor to Ada Lindqvist")
    assert_accessible(page_b)

    # Ada finds the kudos on her page of kudos and stories; no certificate yet.
    page_a.goto(f"{live_server.url}/o/acme/")
    page_a.get_by_role("link", name="Kudos and stories").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Kudos and stories")
    received = page_a.get_by_role("region", name="Kudos you received")
    expect(received.get_by_role("listitem")).to_have_count(1)
    expect(received).to_contain_text("Ben Okafor to Ada Lindqvist")
    expect(received).to_contain_text(KUDOS)
    certificates = page_a.get_by_role("region", name="Your certificates")
    expect(certificates).to_contain_text("A certificate becomes available here")
    assert_accessible(page_a)

    # 5. The mentorship completes; Ada downloads her certificate as a PDF with her name.
    Mentorship.objects.filter(pk=room.mentorship.pk).update(
        status=Mentorship.Status.COMPLETED, ended_at=timezone.now()
    )
    page_a.reload()
    link = certificates.get_by_role("link", name=f"Certificate of {program} (PDF)")
    expect(link).to_be_visible()
    assert_accessible(page_a)
    with page_a.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "certificate-reverse-mentoring.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Ada Lindqvist" in text
    assert program in text

    page_a.context.close()
    page_b.context.close()
