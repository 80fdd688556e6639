"""Feeds page by keyset at a constant cost; managers see counts and never text; writing prompts
appear once a session has started."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors
from tests.threads.factories import World, make_world, membership_of, write_entry
from twoway.rooms.access import Seat
from twoway.rooms.models import Session
from twoway.threads.models import Visibility
from twoway.threads.prompts import PROMPTS
from twoway.threads.selectors import PAGE_SIZE, prompts_for_session
from twoway.threads.services import comment_create, reaction_toggle

pytestmark = pytest.mark.django_db

SLUG = "acme"
SECRET = "planted-secret-c0ffee"


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


def _ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'href="/o/{SLUG}/threads/entries/(\d+)/"', html)]


def _older(html: str) -> str | None:
    found = re.search(r'href="\?(?:q=[^&"]*&amp;)?before=(\d+)" rel="next"', html)
    return found.group(1) if found else None


def _write_many(world: World, count: int) -> list[int]:
    return [
        write_entry(world, title=f"Entry {i}", visibility=Visibility.ORGANISATION).pk
        for i in range(count)
    ]


def _session(world: World, *, starts_in: dt.timedelta, **fields: object) -> Session:
    return Session.objects.create(
        organisation=world.actors.organisation,
        mentorship=world.room.mentorship,
        starts_at=timezone.now() + starts_in,
        duration_minutes=45,
        uid=f"{uuid.uuid4()}@twoway",
        **fields,
    )


# --- Keyset pagination -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["feed", "program_feed"])
def test_feed_pages_neither_overlap_nor_skip_and_cost_the_same(
    client: Client, world: World, name: str
) -> None:
    # Given 60 entries shared with the organisation
    written = _write_many(world, 60)
    kwargs = {"program_id": world.program.pk} if name == "program_feed" else {}
    url = reverse(f"threads:{name}", kwargs={"org_slug": SLUG, **kwargs})
    client.force_login(world.users["other_program"])
    # When a colleague follows "Older entries" to the end, counting queries per page
    seen: list[int] = []
    queries: list[int] = []
    before: str | None = None
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"before": before} if before else {})
        assert response.status_code == 200
        html = response.content.decode()
        seen += _ids(html)
        queries.append(len(captured))
        before = _older(html)
        if before is None:
            break
    # Then the three pages hold every entry once, newest first, and the last has no link on
    assert seen == sorted(written, reverse=True)
    assert before is None
    assert "Older entries" in client.get(url).content.decode()
    # And page 1 and page 3 cost the same number of queries
    assert queries[0] == queries[2], queries


def test_the_api_pages_by_keyset_too(client: Client, world: World) -> None:
    written = _write_many(world, PAGE_SIZE + 5)
    client.force_login(world.users["partner"])
    url = reverse("threads_api:entries", kwargs={"org_slug": SLUG})
    first = client.get(url).json()
    second = client.get(url, {"before": first["next_before"]}).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(written, reverse=True)
    assert second["next_before"] is None
    assert "email" not in str(first["results"][0]["author"])


def test_a_feed_costs_the_same_with_one_entry_or_many_with_comments(
    client: Client, world: World
) -> None:
    client.force_login(world.users["same_program"])
    url = reverse("threads:feed", kwargs={"org_slug": SLUG})
    write_entry(world, visibility=Visibility.ORGANISATION)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    partner = membership_of(world.users["partner"], world.actors)
    for pk in _write_many(world, PAGE_SIZE):
        comment_create(membership=partner, entry_id=pk, body="Great")
        reaction_toggle(membership=partner, entry_id=pk, kind="applause")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(one) == len(many)
    assert "1 comment · 1 reaction" in re.sub(r"\s+", " ", html)


def test_search_finds_only_within_what_the_viewer_may_read(client: Client, world: World) -> None:
    shared = write_entry(world, title="Prompting tips", visibility=Visibility.ORGANISATION)
    write_entry(world, title="Prompting doubts", visibility=Visibility.PRIVATE)
    write_entry(world, title="Unrelated", visibility=Visibility.ORGANISATION)
    client.force_login(world.users["other_program"])
    html = client.get(reverse("threads:feed", kwargs={"org_slug": SLUG}), {"q": "prompting"})
    assert _ids(html.content.decode()) == [shared.pk]


def test_my_journal_lists_only_my_entries(client: Client, world: World) -> None:
    mine = write_entry(world, title="Mine", visibility=Visibility.ORGANISATION)
    write_entry(
        world,
        title="Partner's",
        visibility=Visibility.ORGANISATION,
        user=world.users["partner"],
        with_program=True,
    )
    client.force_login(world.author)
    html = client.get(reverse("threads:home", kwargs={"org_slug": SLUG})).content.decode()
    assert _ids(html) == [mine.pk]
    assert "Write an entry" in html


# --- Counts for managers -----------------------------------------------------------------------


def test_managers_see_counts_and_never_titles_text_or_authors(client: Client, world: World) -> None:
    # Given entries of every audience in the program, with a planted secret, a comment and a
    # reaction
    for visibility in Visibility.values:
        write_entry(world, title=f"{SECRET} {visibility}", body=SECRET, visibility=visibility)
    entry = write_entry(world, title=SECRET, body=SECRET, visibility=Visibility.PROGRAM)
    partner = membership_of(world.users["partner"], world.actors)
    comment_create(membership=partner, entry_id=entry.pk, body=SECRET)
    reaction_toggle(membership=partner, entry_id=entry.pk, kind="insight")
    author_name = world.room.member(world.author).person.full_name
    for user in (world.actors.program_manager, world.actors.admin):
        client.force_login(user)
        # When they open the counts page and the counts endpoint
        page = client.get(
            reverse(
                "threads:program_counts", kwargs={"org_slug": SLUG, "program_id": world.program.pk}
            )
        ).content.decode()
        api = client.get(
            reverse(
                "threads_api:program_counts",
                kwargs={"org_slug": SLUG, "program_id": world.program.pk},
            )
        ).json()
        # Then they see the numbers
        assert api["total"] == 5 and api["authors"] == 1
        assert api["comments"] == 1 and api["reactions"] == 1
        assert {row["visibility"]: row["count"] for row in api["by_visibility"]} == {
            "private": 1,
            "mentorships": 1,
            "program": 2,
            "organisation": 1,
        }
        assert sum(week["count"] for week in api["weeks"]) == 5 and len(api["weeks"]) == 8
        # And never a title, a text or a name, and the page says so
        assert SECRET not in page and SECRET not in str(api)
        assert author_name not in page
        assert "never a title, a text or who wrote" in page


# --- Writing prompts ---------------------------------------------------------------------------


def _seat(world: World) -> Seat:
    return Seat(mentorship=world.room.mentorship, member=world.room.member(world.author))


def test_prompts_appear_once_a_session_has_started(world: World) -> None:
    now = timezone.now()
    held = _session(world, starts_in=dt.timedelta(minutes=-5))
    upcoming = _session(world, starts_in=dt.timedelta(days=2))
    cancelled = _session(world, starts_in=dt.timedelta(days=-2), status=Session.Status.CANCELLED)
    seat = _seat(world)
    assert prompts_for_session(seat=seat, session=upcoming, now=now) == {}
    assert prompts_for_session(seat=seat, session=cancelled, now=now) == {}
    prompts = prompts_for_session(seat=seat, session=held, now=now)["writing_prompts"]
    assert [p["question"] for p in prompts] == list(PROMPTS.values())
    assert "What did your mentor show you this week?" in PROMPTS.values()
    assert "What will you try before the next session?" in PROMPTS.values()
    assert f"session={held.pk}" in prompts[0]["query"]
    assert f"program={world.program.pk}" in prompts[0]["query"]


def test_the_session_page_and_the_journal_offer_the_prompts(client: Client, world: World) -> None:
    held = _session(world, starts_in=dt.timedelta(hours=-1))
    upcoming = _session(world, starts_in=dt.timedelta(days=3))
    client.force_login(world.author)

    def session_page(session: Session) -> str:
        return client.get(
            reverse(
                "rooms:session",
                kwargs={
                    "org_slug": SLUG,
                    "mentorship_id": world.room.mentorship.pk,
                    "session_id": session.pk,
                },
            )
        ).content.decode()

    assert "Reflect in your Growth Thread" in session_page(held)
    assert "Reflect in your Growth Thread" not in session_page(upcoming)
    journal = client.get(reverse("threads:home", kwargs={"org_slug": SLUG})).content.decode()
    assert "Reflect on your last session" in journal
    assert f"session={held.pk}" in journal


def test_a_prompt_prefills_a_new_entry_with_the_authors_own_choices(
    client: Client, world: World
) -> None:
    held = _session(world, starts_in=dt.timedelta(hours=-1))
    client.force_login(world.author)
    url = reverse("threads:entry_new", kwargs={"org_slug": SLUG})
    html = client.get(
        url, {"prompt": "taught_surprise", "session": held.pk, "program": world.program.pk}
    ).content.decode()
    assert 'value="What did you teach that surprised you?"' in html
    assert f'<option value="{held.pk}" selected>' in html
    assert f'<option value="{world.program.pk}" selected>' in html
    # A program the author does not take part in is not preselected
    html = client.get(url, {"program": world.other_program.pk}).content.decode()
    assert f'<option value="{world.other_program.pk}" selected>' not in html
