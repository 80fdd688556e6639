"""Who reaches each page and endpoint of Growth Threads, through the one authorization helper.

``actors.participant`` writes the entries (the mentee of the world's pair). The program manager
and the organisation admin have a directory entry but take part in no program; the outsider is
an admin of another organisation.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory
from tests.programs.factories import make_program
from tests.threads.factories import World, make_world, membership_of, write_entry
from twoway.core.models import Role
from twoway.threads.models import Comment, Visibility
from twoway.threads.services import comment_create

pytestmark = pytest.mark.django_db

SLUG = "acme"
MEMBERS = {"participant", "program_manager", "admin"}


def page(name: str, **kwargs: int) -> str:
    return reverse(f"threads:{name}", kwargs={"org_slug": SLUG, **kwargs})


def api(name: str, **kwargs: int) -> str:
    return reverse(f"threads_api:{name}", kwargs={"org_slug": SLUG, **kwargs})


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


def test_journal_feeds_and_new_entry_are_for_every_member(client: Client, world: World) -> None:
    for url in (
        page("home"),
        page("feed"),
        page("program_feed", program_id=world.program.pk),
        page("entry_new"),
    ):
        assert_access(client, world.actors, url, allowed=MEMBERS)


def test_a_program_of_another_organisation_has_no_feed_here(client: Client, world: World) -> None:
    foreign = make_program(
        organisation=world.actors.other_organisation, manager=world.actors.outsider
    )
    assert_access(client, world.actors, page("program_feed", program_id=foreign.pk), allowed=set())


def test_counts_are_for_the_programs_managers_and_admins(client: Client, world: World) -> None:
    program_id = world.program.pk
    assert_access(
        client,
        world.actors,
        page("program_counts", program_id=program_id),
        allowed={"program_manager", "admin"},
    )
    assert_access(
        client,
        world.actors,
        api("program_counts", program_id=program_id),
        allowed={"program_manager", "admin"},
        api=True,
    )


def test_a_manager_of_another_program_gets_no_counts(client: Client, world: World) -> None:
    # Given a program manager who does not manage this program
    other_manager = MembershipFactory(
        organisation=world.actors.organisation, role=Role.PROGRAM_MANAGER
    ).user
    client.force_login(other_manager)
    # Then the counts answer like a missing program
    assert client.get(page("program_counts", program_id=world.program.pk)).status_code == 404


def test_an_organisation_entry_is_read_by_every_member(client: Client, world: World) -> None:
    entry = write_entry(world, visibility=Visibility.ORGANISATION)
    assert_access(client, world.actors, page("entry", entry_id=entry.pk), allowed=MEMBERS)
    assert_access(client, world.actors, api("entry", entry_id=entry.pk), allowed=MEMBERS, api=True)
    assert_access(
        client, world.actors, api("comments", entry_id=entry.pk), allowed=MEMBERS, api=True
    )
    assert_access(client, world.actors, api("entries"), allowed=MEMBERS, api=True)


def test_a_private_entry_is_its_authors_only(client: Client, world: World) -> None:
    entry = write_entry(world, visibility=Visibility.PRIVATE)
    for url in (page("entry", entry_id=entry.pk), page("entry_edit", entry_id=entry.pk)):
        assert_access(client, world.actors, url, allowed={"participant"})
    assert_access(
        client, world.actors, api("entry", entry_id=entry.pk), allowed={"participant"}, api=True
    )


def test_only_the_author_may_edit_or_delete_even_a_public_entry(
    client: Client, world: World
) -> None:
    entry = write_entry(world, visibility=Visibility.ORGANISATION)
    for name in ("entry_edit", "entry_delete"):
        assert_access(client, world.actors, page(name, entry_id=entry.pk), allowed={"participant"})
    assert_access(
        client,
        world.actors,
        api("entry", entry_id=entry.pk),
        allowed={"participant"},
        method="patch",
        data={"title": "Renamed"},
        api=True,
    )
    # Deleting last: the author's delete removes it (the others were refused first).
    assert_access(
        client,
        world.actors,
        page("entry_delete", entry_id=entry.pk),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )


def test_the_author_deletes_through_the_api(client: Client, world: World) -> None:
    entry = write_entry(world, visibility=Visibility.ORGANISATION)
    assert_access(
        client,
        world.actors,
        api("entry", entry_id=entry.pk),
        allowed={"participant"},
        method="delete",
        api=True,
        ok_status=204,
    )


def test_readers_comment_and_react(client: Client, world: World) -> None:
    entry = write_entry(world, visibility=Visibility.ORGANISATION)
    assert_access(
        client,
        world.actors,
        page("comment_new", entry_id=entry.pk),
        allowed=MEMBERS,
        method="post",
        data={"body": "Thanks for sharing"},
        ok_status=302,
    )
    assert_access(
        client,
        world.actors,
        page("reaction_toggle", entry_id=entry.pk),
        allowed=MEMBERS,
        method="post",
        data={"kind": "applause"},
        ok_status=302,
    )
    assert_access(
        client,
        world.actors,
        api("comments", entry_id=entry.pk),
        allowed=MEMBERS,
        method="post",
        data={"body": "Thanks"},
        api=True,
        ok_status=201,
    )
    assert_access(
        client,
        world.actors,
        api("reaction", entry_id=entry.pk),
        allowed=MEMBERS,
        method="post",
        data={"kind": "insight"},
        api=True,
    )
    assert_access(
        client,
        world.actors,
        api("entries"),
        allowed=MEMBERS,
        method="post",
        data={"title": "Mine"},
        api=True,
        ok_status=201,
    )


def test_no_one_comments_on_or_reacts_to_an_entry_they_cannot_read(
    client: Client, world: World
) -> None:
    entry = write_entry(world, visibility=Visibility.MENTORSHIPS)
    for url, data in (
        (page("comment_new", entry_id=entry.pk), {"body": "Hello"}),
        (page("reaction_toggle", entry_id=entry.pk), {"kind": "applause"}),
    ):
        assert_access(
            client,
            world.actors,
            url,
            allowed={"participant"},
            method="post",
            data=data,
            ok_status=302,
        )


def test_a_comment_is_deleted_by_its_author_or_the_entrys_author_only(
    client: Client, world: World
) -> None:
    # Given a comment by the admin on the participant's public entry
    entry = write_entry(world, visibility=Visibility.ORGANISATION)
    comment = comment_create(
        membership=membership_of(world.actors.admin, world.actors), entry_id=entry.pk, body="Hi"
    )
    url = page("comment_delete", entry_id=entry.pk, comment_id=comment.pk)
    # When the program manager (a reader, but neither author) tries to delete it
    client.force_login(world.actors.program_manager)
    # Then it answers like a missing comment, and the comment stays
    assert client.post(url).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()
    # And the comment's author may delete it
    client.force_login(world.actors.admin)
    assert client.post(url).status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    # And the entry's author may delete anyone's comment on their entry
    other = comment_create(
        membership=membership_of(world.actors.admin, world.actors), entry_id=entry.pk, body="Hi"
    )
    assert_access(
        client,
        world.actors,
        page("comment_delete", entry_id=entry.pk, comment_id=other.pk),
        allowed={"participant"},
        method="post",
        ok_status=302,
    )
