"""The visibility matrix: who reads an entry, for each audience its author may choose.

Given an entry with a unique token in its title and text, written by a mentee in a program,
shared with one of the four audiences, when each person in a different relation to the author
(their mentorship partner, a participant of the same program, a participant of another program,
the program's manager, an organisation admin, an admin of another organisation) looks for it on
every surface — the entry page, the API detail, the API list, the organisation's feed, the
program's feed, and search in both — then they find it exactly where the table below says, and
get what a missing entry gets everywhere else. Commenting follows the same table, and the only
email a comment sends goes to the entry's author, without the entry's or the comment's text.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.authz import Actors
from tests.threads.factories import PEOPLE, World, make_world, write_entry
from twoway.threads.models import Visibility
from twoway.threads.services import COMMENT_EMAIL_SUBJECT

pytestmark = pytest.mark.django_db

SLUG = "acme"
TOKEN = "matrix-token-5b1e7c"
COMMENT_TOKEN = "comment-token-88d2"

# Who may read an entry, by the audience its author chose. Written out, not computed.
EXPECTED: dict[str, set[str]] = {
    Visibility.PRIVATE: {"author"},
    Visibility.MENTORSHIPS: {"author", "partner"},
    Visibility.PROGRAM: {"author", "partner", "same_program"},
    Visibility.ORGANISATION: {
        "author",
        "partner",
        "same_program",
        "other_program",
        "manager",
        "admin",
    },
}
CELLS = [(visibility, person) for visibility in EXPECTED for person in PEOPLE]


def test_the_table_covers_every_audience_and_never_the_other_organisation() -> None:
    assert set(EXPECTED) == set(Visibility.values)
    assert all("outsider" not in readers for readers in EXPECTED.values())


@pytest.fixture(name="world")
def world_fixture(actors: Actors) -> World:
    return make_world(actors)


def _get(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(("visibility", "person"), CELLS)
def test_each_person_reads_the_entry_only_where_its_audience_allows(
    client: Client, world: World, visibility: str, person: str
) -> None:
    # Given an entry with a unique token, shared with one audience, in the author's program
    entry = write_entry(
        world,
        title=f"Week 3 {TOKEN}",
        body=f"What I tried: {TOKEN}",
        visibility=visibility,
    )
    allowed = person in EXPECTED[visibility]
    client.force_login(world.users[person])
    kwargs = {"org_slug": SLUG}
    feed = reverse("threads:feed", kwargs=kwargs)
    program_feed = reverse(
        "threads:program_feed", kwargs={**kwargs, "program_id": world.program.pk}
    )
    api_list = reverse("threads_api:entries", kwargs=kwargs)
    entry_link = f'"/o/{SLUG}/threads/entries/{entry.pk}/"'

    # When they open the entry page and the API detail
    page_status, page = _get(
        client, reverse("threads:entry", kwargs={**kwargs, "entry_id": entry.pk})
    )
    api_status, api = _get(
        client, reverse("threads_api:entry", kwargs={**kwargs, "entry_id": entry.pk})
    )

    # Then they get it exactly when allowed, and otherwise what a missing entry gets
    assert page_status == (200 if allowed else 404)
    assert api_status == (200 if allowed else 404)
    assert (TOKEN in page) is allowed
    assert (TOKEN in api) is allowed

    # And the lists, feeds and searches show it exactly when allowed
    if person == "outsider":  # the whole organisation is a 404 to them
        for url in (feed, program_feed, api_list):
            status, body = _get(client, url)
            assert status == 404 and TOKEN not in body
    else:
        for url in (
            feed,
            program_feed,
            api_list,
            f"{api_list}?program={world.program.pk}",
            f"{feed}?q={TOKEN}",
            f"{program_feed}?q={TOKEN}",
            f"{api_list}?q={TOKEN}",
        ):
            status, body = _get(client, url)
            assert status == 200, url
            # A search page repeats the words searched for; the entry's own link tells.
            found = entry_link in body if url.startswith("/o/") and "q=" in url else TOKEN in body
            assert found is allowed, f"{person} on {url}"
        search = client.get(api_list, {"q": TOKEN}).json()
        assert [row["id"] for row in search["results"]] == ([entry.pk] if allowed else [])


@pytest.mark.parametrize(("visibility", "person"), CELLS)
def test_a_comment_emails_only_the_author_and_carries_no_text(
    client: Client,
    world: World,
    visibility: str,
    person: str,
    django_capture_on_commit_callbacks,
) -> None:
    # Given an entry shared with one audience
    entry = write_entry(world, title=f"Title {TOKEN}", body=TOKEN, visibility=visibility)
    allowed = person in EXPECTED[visibility]
    client.force_login(world.users[person])
    mail.outbox.clear()

    # When the person comments on it through the API
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("threads_api:comments", kwargs={"org_slug": SLUG, "entry_id": entry.pk}),
            {"body": f"Nice one {COMMENT_TOKEN}"},
            content_type="application/json",
        )

    # Then only readers may comment; anyone else gets what a missing entry gets
    assert response.status_code == (201 if allowed else 404)
    # And only the author is emailed, about someone else's comment, with a link and no text
    if allowed and person != "author":
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [world.author.email]
        assert message.subject == COMMENT_EMAIL_SUBJECT
        assert f"/o/{SLUG}/threads/entries/{entry.pk}/" in message.body
        for token in (TOKEN, COMMENT_TOKEN, "Nice one"):
            assert token not in message.body and token not in message.subject
    else:
        assert mail.outbox == []
