"""Writing entries, comments and reactions: each refusal names its field and saves nothing, links
are the author's own only, script is inert, and only the author changes an entry."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.programs.factories import person_for
from tests.rooms.factories import new_participant
from tests.threads.factories import World, make_world, membership_of, write_entry
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.mentorships.services import mentorship_create
from twoway.roadmaps.models import Roadmap, RoadmapAssignment, RoadmapStep, RoadmapVersion
from twoway.rooms.models import Goal, Session
from twoway.threads.models import (
    COMMENT_MAX_CHARS,
    ENTRY_MAX_CHARS,
    Comment,
    Entry,
    Reaction,
    Visibility,
)
from twoway.threads.services import (
    NO_PERSON,
    comment_create,
    comment_delete,
    entry_create,
    entry_delete,
    entry_update,
    reaction_toggle,
)

pytestmark = pytest.mark.django_db

SLUG = "acme"
XSS = (
    "<script>alert('x')</script>\n\n"
    '<img src=x onerror="alert(1)">\n\n'
    "[click me](javascript:alert(1))\n\n"
    '<iframe src="https://evil.example"></iframe>'
)


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


def _goal(world: World, mentorship: Any = None) -> Goal:
    mentorship = mentorship or world.room.mentorship
    return Goal.objects.create(
        organisation=world.actors.organisation,
        mentorship=mentorship,
        member=mentorship.members.first(),
        title="Lead a workshop on prompts",
    )


def _session(world: World, mentorship: Any = None, **fields: Any) -> Session:
    return Session.objects.create(
        organisation=world.actors.organisation,
        mentorship=mentorship or world.room.mentorship,
        starts_at=fields.pop("starts_at", timezone.now() - dt.timedelta(hours=2)),
        duration_minutes=45,
        uid=f"{uuid.uuid4()}@twoway",
        **fields,
    )


def _step(world: World, *, assigned_to: Any = None) -> RoadmapStep:
    organisation = world.actors.organisation
    roadmap = Roadmap.objects.create(organisation=organisation, title="AI tools")
    version = RoadmapVersion.objects.create(organisation=organisation, roadmap=roadmap, number=1)
    step = RoadmapStep.objects.create(
        organisation=organisation, version=version, position=1, title="Try an assistant"
    )
    if assigned_to is not None:
        RoadmapAssignment.objects.create(
            organisation=organisation, mentorship=assigned_to, roadmap=roadmap, version=version
        )
    return step


def _refused(world: World, field: str | None, contains: str, **kwargs: Any) -> None:
    fields: dict[str, Any] = {"title": "A fine title", "body": "", **kwargs}
    with pytest.raises(ApplicationError) as refusal:
        entry_create(membership=membership_of(world.author, world.actors), **fields)
    assert contains in refusal.value.message
    assert refusal.value.extra.get("field") == field
    assert Entry.objects.count() == 0


# --- Bad input ---------------------------------------------------------------------------------


def test_a_member_without_a_directory_entry_cannot_write(world: World) -> None:
    stranger = MembershipFactory(organisation=world.actors.organisation, role=Role.PARTICIPANT)
    with pytest.raises(ApplicationError) as refusal:
        entry_create(membership=stranger, title="Hello")
    assert refusal.value.message == NO_PERSON
    assert Entry.objects.count() == 0


def test_a_title_is_required_and_short(world: World) -> None:
    _refused(world, "title", "Give the entry a title", title="   ")
    _refused(world, "title", "at most 200 characters; it has 201", title="x" * 201)


def test_the_body_limit_gives_the_count(world: World) -> None:
    _refused(
        world,
        "body",
        f"at most {ENTRY_MAX_CHARS:,} characters; it has {ENTRY_MAX_CHARS + 1:,}",
        body="x" * (ENTRY_MAX_CHARS + 1),
    )


def test_an_unknown_visibility_is_refused(world: World) -> None:
    _refused(world, "visibility", "Choose who can read the entry", visibility="everyone")


def test_sharing_with_a_program_needs_one_the_author_takes_part_in(world: World) -> None:
    _refused(world, "program", "Choose the program", visibility=Visibility.PROGRAM)
    _refused(
        world,
        "program",
        "a program you take part in",
        visibility=Visibility.PROGRAM,
        program_id=world.other_program.pk,
    )
    _refused(world, "program", "a program you take part in", program_id=987654)


def test_a_manager_cannot_post_to_the_program_they_manage(world: World) -> None:
    with pytest.raises(ApplicationError) as refusal:
        entry_create(
            membership=membership_of(world.actors.program_manager, world.actors),
            title="Hello",
            visibility=Visibility.PROGRAM,
            program_id=world.program.pk,
        )
    assert refusal.value.extra["field"] == "program"


def test_links_must_be_the_authors_own(world: World, actors: Actors) -> None:
    # Given a second pair of the same program the author is not in
    mentor, mentee = new_participant(actors), new_participant(actors)
    other_mentorship = mentorship_create(
        program=world.program,
        kind=Mentorship.Kind.PAIR,
        origin=Mentorship.Origin.MATCHING,
        members=[
            (person_for(mentor, actors.organisation), mentor, MentorshipMember.Role.MENTOR),
            (person_for(mentee, actors.organisation), mentee, MentorshipMember.Role.MENTEE),
        ],
        score=0.5,
        reason="Test pairing",
    )
    # Then none of its goal, session or roadmap step can be linked by the author
    _refused(world, "goal", "goal of one of your own", goal_id=_goal(world, other_mentorship).pk)
    _refused(
        world,
        "session",
        "session of one of your own",
        session_id=_session(world, other_mentorship).pk,
    )
    _refused(
        world,
        "roadmap_step",
        "roadmap assigned to one of your own",
        roadmap_step_id=_step(world, assigned_to=other_mentorship).pk,
    )
    _refused(world, "roadmap_step", "roadmap assigned", roadmap_step_id=_step(world).pk)


def test_an_unknown_prompt_is_refused(world: World) -> None:
    _refused(world, "prompt", "writing prompt does not exist", prompt="no-such-prompt")


def test_the_authors_own_links_are_kept_and_shown_to_the_author_only(
    client: Client, world: World
) -> None:
    # Given an organisation-wide entry linked to the author's goal, session and roadmap step
    goal, session = _goal(world), _session(world)
    step = _step(world, assigned_to=world.room.mentorship)
    entry = write_entry(
        world,
        visibility=Visibility.ORGANISATION,
        goal_id=goal.pk,
        session_id=session.pk,
        roadmap_step_id=step.pk,
        prompt="try_next",
    )
    assert (entry.goal, entry.session, entry.roadmap_step) == (goal, session, step)
    url = reverse("threads:entry", kwargs={"org_slug": SLUG, "entry_id": entry.pk})
    # When the author and a colleague open it
    client.force_login(world.author)
    mine = client.get(url).content.decode()
    client.force_login(world.users["other_program"])
    theirs = client.get(url).content.decode()
    # Then the goal and the step are named to the author only
    assert goal.title in mine and step.title in mine
    assert goal.title not in theirs and step.title not in theirs
    assert "What will you try before the next session?" in theirs
    api = reverse("threads_api:entry", kwargs={"org_slug": SLUG, "entry_id": entry.pk})
    assert client.get(api).json()["goal"] is None


# --- Script is inert ---------------------------------------------------------------------------


def test_script_in_an_entry_and_a_comment_is_inert(client: Client, world: World) -> None:
    # Given an entry and a comment full of dangerous HTML
    entry = write_entry(world, title="<b>bold?</b>", body=XSS, visibility=Visibility.ORGANISATION)
    comment_create(
        membership=membership_of(world.users["partner"], world.actors),
        entry_id=entry.pk,
        body=XSS,
    )
    # Then what is stored and shown carries no script, handler, javascript: link or iframe
    for html in (entry.body_html, Comment.objects.get().body_html):
        # Raw HTML arrives escaped as text: no element, handler or link is left to run.
        for bad in ("<script", "<img", "<iframe", 'href="javascript'):
            assert bad not in html
    client.force_login(world.users["same_program"])
    page = client.get(
        reverse("threads:entry", kwargs={"org_slug": SLUG, "entry_id": entry.pk})
    ).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'href="javascript' not in page and "<iframe" not in page
    assert "&lt;b&gt;bold?&lt;/b&gt;" in page  # the title is escaped, not rendered


# --- Only the author changes an entry ----------------------------------------------------------


def test_others_cannot_update_or_delete_an_entry_they_can_read(world: World) -> None:
    entry = write_entry(world, title="Mine", visibility=Visibility.ORGANISATION)
    partner = membership_of(world.users["partner"], world.actors)
    with pytest.raises(Http404):
        entry_update(membership=partner, entry_id=entry.pk, title="Theirs")
    with pytest.raises(Http404):
        entry_delete(membership=partner, entry_id=entry.pk)
    entry.refresh_from_db()
    assert entry.title == "Mine"


def test_the_author_updates_and_a_refusal_changes_nothing(world: World) -> None:
    entry = write_entry(world, title="Draft", body="**first**")
    author = membership_of(world.author, world.actors)
    updated = entry_update(
        membership=author, entry_id=entry.pk, body="*second*", visibility=Visibility.PROGRAM
    )
    assert updated.body_html == "<p><em>second</em></p>\n"
    assert updated.program == world.program
    with pytest.raises(ApplicationError) as refusal:
        entry_update(membership=author, entry_id=entry.pk, title="", body="third")
    assert refusal.value.extra["field"] == "title"
    entry.refresh_from_db()
    assert (entry.title, entry.body) == ("Draft", "*second*")


def test_the_form_shows_a_refusal_next_to_its_field(client: Client, world: World) -> None:
    # When the author asks to share with a program without choosing one
    client.force_login(world.author)
    response = client.post(
        reverse("threads:entry_new", kwargs={"org_slug": SLUG}),
        {"title": "Hello", "body": "Text as typed", "visibility": Visibility.PROGRAM},
    )
    # Then the form comes back with the message on the program field and the text kept
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_program_error"' in html
    assert 'aria-describedby="id_program_error"' in html
    assert "Choose the program to share the entry with" in html
    assert "Text as typed" in html
    assert Entry.objects.count() == 0


def test_the_api_refuses_with_a_detail(client: Client, world: World) -> None:
    client.force_login(world.author)
    response = client.post(
        reverse("threads_api:entries", kwargs={"org_slug": SLUG}),
        {"title": "x" * 201},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The title is at most 200 characters; it has 201."}


# --- Comments and reactions --------------------------------------------------------------------


def test_comment_refusals(world: World) -> None:
    entry = write_entry(world, visibility=Visibility.ORGANISATION)
    partner = membership_of(world.users["partner"], world.actors)
    with pytest.raises(ApplicationError, match="Write something"):
        comment_create(membership=partner, entry_id=entry.pk, body="  \n")
    with pytest.raises(ApplicationError, match=f"it has {COMMENT_MAX_CHARS + 1:,}"):
        comment_create(membership=partner, entry_id=entry.pk, body="x" * (COMMENT_MAX_CHARS + 1))
    assert Comment.objects.count() == 0


def test_a_comment_is_deleted_by_the_entrys_author(world: World) -> None:
    entry = write_entry(world, visibility=Visibility.MENTORSHIPS)
    partner = membership_of(world.users["partner"], world.actors)
    comment = comment_create(membership=partner, entry_id=entry.pk, body="Well done")
    comment_delete(
        membership=membership_of(world.author, world.actors),
        entry_id=entry.pk,
        comment_id=comment.pk,
    )
    assert Comment.objects.count() == 0


def test_a_reaction_toggles_and_shows_as_pressed(client: Client, world: World) -> None:
    entry = write_entry(world, visibility=Visibility.ORGANISATION)
    reader = membership_of(world.users["admin"], world.actors)
    assert reaction_toggle(membership=reader, entry_id=entry.pk, kind="support") is True
    client.force_login(world.actors.admin)
    url = reverse("threads:entry", kwargs={"org_slug": SLUG, "entry_id": entry.pk})
    html = client.get(url).content.decode()
    assert 'aria-pressed="true">Keep going <span class="count">1</span>' in html
    assert 'aria-pressed="false">Applause <span class="count">0</span>' in html
    assert reaction_toggle(membership=reader, entry_id=entry.pk, kind="support") is False
    assert Reaction.objects.count() == 0
    with pytest.raises(ApplicationError, match="Choose a reaction"):
        reaction_toggle(membership=reader, entry_id=entry.pk, kind="love")


def test_an_entry_keeps_a_program_its_author_has_since_left(world: World) -> None:
    # Given an entry shared with the program, whose author's application is then withdrawn
    # and whose mentorship ends (they no longer take part)
    entry = write_entry(world, title="Then", visibility=Visibility.PROGRAM)
    world.room.mentorship.members.filter(person__user=world.author).delete()
    author = membership_of(world.author, world.actors)
    # When they correct its title through the form (which sends the same program back)
    updated = entry_update(
        membership=author, entry_id=entry.pk, title="Now", program_id=world.program.pk
    )
    # Then the change is saved and the program kept, also when the audience narrows
    assert (updated.title, updated.program) == ("Now", world.program)
    narrowed = entry_update(
        membership=author,
        entry_id=entry.pk,
        visibility=Visibility.MENTORSHIPS,
        program_id=world.program.pk,
    )
    assert narrowed.program == world.program
    # But sharing with the program anew is refused: they no longer take part in it
    with pytest.raises(ApplicationError) as refusal:
        entry_update(membership=author, entry_id=entry.pk, visibility=Visibility.PROGRAM)
    assert refusal.value.extra["field"] == "program"
