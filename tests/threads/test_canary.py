"""The canary test of issue 6: what people write in Growth Threads, kudos, stories and program
spaces reaches only the people entitled to it.

Given a unique token in a private entry, an entry for the author's mentorship (with a comment
by the partner), an entry for the program, a private kudos, a draft story and a post in the
program's community space, when every GET route of the whole project (found by walking the URL
configuration: pages, API, feeds, search, CSV, calendars) is requested by each person of the
visibility matrix, then each token appears only in the answers of those entitled to it — and in
no email anyone got and no log line. Positive controls show the crawl finds each token where it
is allowed, so the test can fail.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from tests.authz import Actors
from tests.crawl import crawl, leaks
from tests.threads.factories import World, make_world, membership_of, write_entry
from twoway.accounts.models import User
from twoway.communities.access import access_for
from twoway.communities.models import Post, Space, Topic
from twoway.communities.services import space_ensure_program, topic_create
from twoway.people.models import Person
from twoway.recognition.models import Kudos, Story
from twoway.recognition.services import kudos_give, story_create
from twoway.roadmaps.models import Roadmap, RoadmapStep
from twoway.threads.models import Comment, Entry, Visibility
from twoway.threads.services import comment_create

pytestmark = pytest.mark.django_db

PRIVATE_ENTRY = "canary-entry-private-61c2"
MENTORSHIP_ENTRY = "canary-entry-mentorship-9d04"
COMMENT = "canary-comment-3e77"
PROGRAM_ENTRY = "canary-entry-program-a5f1"
PRIVATE_KUDOS = "canary-kudos-private-0b9e"
DRAFT_STORY = "canary-story-draft-7c31"
SPACE_POST = "canary-program-space-e812"
ALL = (
    PRIVATE_ENTRY,
    MENTORSHIP_ENTRY,
    COMMENT,
    PROGRAM_ENTRY,
    PRIVATE_KUDOS,
    DRAFT_STORY,
    SPACE_POST,
)

# Who may read each token; everyone else must never see it anywhere.
ENTITLED = {
    PRIVATE_ENTRY: {"author"},
    MENTORSHIP_ENTRY: {"author", "partner"},
    COMMENT: {"author", "partner"},
    PROGRAM_ENTRY: {"author", "partner", "same_program"},
    PRIVATE_KUDOS: {"author", "partner"},  # the partner gives it to the author
    DRAFT_STORY: {"author"},
    # A program's space: its participants, its managers and the organisation's admins.
    SPACE_POST: {"author", "partner", "same_program", "manager", "admin"},
}


def write_content(world: World) -> None:
    author, partner = world.author, world.users["partner"]
    write_entry(world, title=f"Alone {PRIVATE_ENTRY}", body=f"Body {PRIVATE_ENTRY}")
    shared = write_entry(
        world,
        title="With my mentor",
        body=f"We tried {MENTORSHIP_ENTRY}",
        visibility=Visibility.MENTORSHIPS,
    )
    comment_create(
        membership=membership_of(partner, world.actors),
        entry_id=shared.pk,
        body=f"Well done {COMMENT}",
        base_url="http://testserver",
    )
    write_entry(
        world, title="For the cohort", body=f"Cohort {PROGRAM_ENTRY}", visibility=Visibility.PROGRAM
    )
    kudos_give(
        membership=membership_of(partner, world.actors),
        receiver=Person.objects.get(organisation=world.actors.organisation, user=author),
        message=f"Thank you {PRIVATE_KUDOS}",
        visibility=Visibility.PRIVATE,
        mentorship=world.room.mentorship,
        base_url="http://testserver",
    )
    story_create(
        membership=membership_of(author, world.actors),
        program=world.program,
        title="Draft",
        body=f"Not yet {DRAFT_STORY}",
    )
    space = space_ensure_program(program=world.program)
    topic_create(
        access=access_for(membership_of(author, world.actors), space),
        title="Cohort question",
        body=f"Anyone else {SPACE_POST}?",
        base_url="http://testserver",
    )


def url_values(world: World) -> dict[str, list[str]]:
    def ids(model: type) -> list[str]:
        return [str(pk) for pk in model.objects.values_list("pk", flat=True)]  # type: ignore[attr-defined]

    room = world.room
    return {
        "org_slug": [world.actors.organisation.slug],
        "program_id": [str(world.program.pk), str(world.other_program.pk)],
        "mentorship_id": [str(room.mentorship.pk)],
        "entry_id": ids(Entry),
        "comment_id": ids(Comment),
        "kudos_id": ids(Kudos),
        "story_id": ids(Story),
        "space_id": ids(Space),
        "topic_id": ids(Topic),
        "post_id": ids(Post),
        "roadmap_id": ids(Roadmap),
        "step_id": ids(RoadmapStep),
    }


def test_no_token_reaches_anyone_not_entitled(
    actors: Actors, log_lines: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    world = make_world(actors)
    with django_capture_on_commit_callbacks(execute=True):  # emails go out after commit
        write_content(world)
    values = url_values(world)
    viewers: dict[str, User | None] = {"anonymous": None, **world.users}

    seen = {name: crawl(values, user) for name, user in viewers.items()}

    # Positive controls: the crawl reaches the pages and endpoints of all four apps.
    for part in ("/threads/", "/recognition/", "/communities/", "/roadmaps/", "/api/"):
        assert any(part in url for url in seen["author"]), f"no {part} route was crawled"
    for token, entitled in ENTITLED.items():
        for name in entitled:
            assert leaks(seen[name], (token,)), f"{name} must find {token}"
        for name in set(viewers) - entitled:
            assert leaks(seen[name], (token,)) == [], f"{token} reached {name}"

    # Emails carry links, never content; nothing written is logged.
    assert mail.outbox, "the comment and the kudos each send an email"
    for message in mail.outbox:
        parts = [message.subject, message.body]
        assert not any(token in part for part in parts for token in ALL), message.subject
    assert log_lines, "the capture must see the requests' log lines"
    assert not [line for line in log_lines if any(token in line for token in ALL)]
