"""The showcase: stories are drafts only their author reads until published; published ones are
read by every member of the organisation; only a program's participants write them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.recognition.factories import World, make_story, make_world
from twoway.core.errors import ApplicationError
from twoway.recognition.models import STORY_MAX_CHARS, Story
from twoway.recognition.services import story_create, story_publish, story_unpublish, story_update

pytestmark = pytest.mark.django_db

SLUG = "acme"


def page(name: str, **kwargs: int) -> str:
    return reverse(f"recognition:{name}", kwargs={"org_slug": SLUG, **kwargs})


def api(name: str, **kwargs: int) -> str:
    return reverse(f"recognition_api:{name}", kwargs={"org_slug": SLUG, **kwargs})


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


def test_the_body_is_rendered_and_sanitised_once_on_save(world: World) -> None:
    story = story_create(
        membership=world.membership(world.giver),
        program=world.room.program,
        title="  What I learned  ",
        body="**Bold** <script>alert(1)</script>",
    )
    assert story.title == "What I learned"
    assert "<strong>Bold</strong>" in story.body_html and "<script" not in story.body_html
    assert story.status == Story.Status.DRAFT


@pytest.mark.parametrize(
    ("title", "body", "match"),
    [
        ("", "Body", "Title: give your story a title"),
        ("Title", "  ", "Story: write your story"),
        ("Title", "x" * (STORY_MAX_CHARS + 1), "this one has 20,001"),
        ("x" * 201, "Body", "Title: at most 200"),
    ],
)
def test_bad_stories_are_refused_and_nothing_is_saved(
    world: World, title: str, body: str, match: str
) -> None:
    with pytest.raises(ApplicationError, match=match):
        story_create(
            membership=world.membership(world.giver),
            program=world.room.program,
            title=title,
            body=body,
        )
    assert not Story.objects.exists()


def test_only_participants_of_the_program_write_its_stories(world: World) -> None:
    for user in (world.other, world.actors.program_manager, world.actors.admin):
        with pytest.raises(ApplicationError, match="only for a program you take part in"):
            story_create(
                membership=world.membership(user),
                program=world.room.program,
                title="Mine",
                body="Text",
            )
    story = make_story(world, title="Draft", published=False)
    with pytest.raises(ApplicationError, match="Only the author"):
        story_publish(membership=world.membership(world.receiver), story=story)
    with pytest.raises(ApplicationError, match="Only the author"):
        story_update(membership=world.membership(world.receiver), story=story, title="x", body="y")


def test_the_showcase_shows_published_stories_only(
    client: Client, actors: Actors, world: World
) -> None:
    make_story(world, title="canary-published", published=True)
    make_story(world, title="canary-draft", published=False)
    responses = assert_access(
        client,
        actors,
        page("showcase", program_id=world.room.program.pk),
        allowed={"participant", "program_manager", "admin"},
    )
    for name, response in responses.items():
        if response.status_code != 200:
            continue
        html = response.content.decode()
        assert "canary-published" in html and "canary-draft" not in html, name
    assert "Write your story" in responses["participant"].content.decode()
    assert "Write your story" not in responses["program_manager"].content.decode()


def test_a_draft_is_read_by_its_author_only_managers_included(
    client: Client, actors: Actors, world: World
) -> None:
    draft = make_story(world, title="canary-draft", published=False)
    assert_access(client, actors, page("story", story_id=draft.pk), allowed={"participant"})
    for user in (world.receiver, world.partner):  # their own mentorship partners neither
        client.force_login(user)
        assert client.get(page("story", story_id=draft.pk)).status_code == 404
    published = make_story(world, title="canary-published", published=True)
    assert_access(
        client,
        actors,
        page("story", story_id=published.pk),
        allowed={"participant", "program_manager", "admin"},
    )
    story_unpublish(membership=world.membership(world.giver), story=published)
    client.force_login(actors.program_manager)
    assert client.get(page("story", story_id=published.pk)).status_code == 404


def test_the_author_writes_edits_publishes_and_deletes_through_the_pages(
    client: Client, actors: Actors, world: World
) -> None:
    program_id = world.room.program.pk
    assert_access(client, actors, page("story_new", program_id=program_id), allowed={"participant"})
    client.force_login(world.giver)
    response = client.post(page("story_new", program_id=program_id), {"title": "", "body": ""})
    assert "Give your story a title." in response.content.decode()
    response = client.post(
        page("story_new", program_id=program_id), {"title": "My year", "body": "It went *well*"}
    )
    story = Story.objects.get()
    assert response["Location"] == page("story", story_id=story.pk)
    assert_access(client, actors, page("story_edit", story_id=story.pk), allowed={"participant"})
    assert_access(
        client,
        actors,
        page("story_publish", story_id=story.pk),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED and story.published_at is not None
    assert_access(
        client,
        actors,
        page("story_unpublish", story_id=story.pk),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert_access(
        client,
        actors,
        page("story_delete", story_id=story.pk),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )
    assert not Story.objects.exists()


def test_the_story_endpoints(client: Client, actors: Actors, world: World) -> None:
    make_story(world, title="canary-published", published=True)
    draft = make_story(world, title="canary-draft", published=False)
    everyone = {"participant", "program_manager", "admin"}
    responses = assert_access(
        client, actors, api("stories", program_id=world.room.program.pk), allowed=everyone, api=True
    )
    for response in responses.values():
        if response.status_code == 200:
            assert [row["title"] for row in response.json()["results"]] == ["canary-published"]
    responses = assert_access(client, actors, api("my_stories"), allowed=everyone, api=True)
    assert {row["title"] for row in responses["participant"].json()["results"]} == {
        "canary-published",
        "canary-draft",
    }
    assert responses["admin"].json()["results"] == []
    assert_access(
        client,
        actors,
        api("story_publish", story_id=draft.pk),
        allowed={"participant"},
        method="post",
        api=True,
    )
    client.force_login(world.giver)
    response = client.post(
        api("my_stories"),
        {"program": world.other_program.pk, "title": "T", "body": "B"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "only for a program you take part in" in response.json()["detail"]
    response = client.post(
        api("my_stories"),
        {"program": world.room.program.pk, "title": "T", "body": "B"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "draft"


def _showcase_queries(client: Client, world: World) -> int:
    client.force_login(world.actors.program_manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page("showcase", program_id=world.room.program.pk))
    assert response.status_code == 200
    return len(queries)


def test_the_showcase_makes_as_many_queries_for_one_story_as_for_many(
    client: Client, world: World
) -> None:
    make_story(world, title="First", published=True)
    one = _showcase_queries(client, world)
    for n in range(8):
        make_story(world, title=f"Story {n}", published=True)
    assert _showcase_queries(client, world) == one
