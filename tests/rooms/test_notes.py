"""Notes: who reads what (private: the author only; shared: the members), the size limit, the
pages and the API, and the room part's constant query count."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.rooms.factories import Room, make_room
from twoway.accounts.models import User
from twoway.core.errors import ApplicationError
from twoway.rooms.access import Seat
from twoway.rooms.models import Goal, Note, Session
from twoway.rooms.selectors.work import note_page, work_for_room
from twoway.rooms.services.goals import goal_create
from twoway.rooms.services.notes import note_create, note_delete, note_update

pytestmark = pytest.mark.django_db

SLUG = "acme"
SECRET = "canary-private-thought"
SHARED = "canary-shared-thought"


# --- Helpers (the other test modules of this part use them too) ------------------------------


def seat_of(room: Room, user: User) -> Seat:
    return Seat(mentorship=room.mentorship, member=room.member(user))


def make_session(room: Room, *, starts_in: dt.timedelta = dt.timedelta(days=-1)) -> Session:
    return Session.objects.create(
        organisation=room.mentorship.organisation,
        mentorship=room.mentorship,
        starts_at=timezone.now() + starts_in,
        duration_minutes=45,
        uid=f"{uuid.uuid4()}@twoway",
    )


def page(name: str, **kwargs: int) -> str:
    return reverse(f"rooms:{name}", kwargs={"org_slug": SLUG, **kwargs})


def api(name: str, **kwargs: int) -> str:
    return reverse(f"rooms_api:{name}", kwargs={"org_slug": SLUG, **kwargs})


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


def html_as(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Services ----------------------------------------------------------------------------------


def test_a_note_is_rendered_once_on_save(room: Room) -> None:
    note = note_create(
        seat=seat_of(room, room.mentee), body="  **Plan** <script>x</script>  ", visibility="shared"
    )
    assert note.body == "**Plan** <script>x</script>"
    assert "<strong>Plan</strong>" in note.body_html and "<script" not in note.body_html


def test_a_note_too_long_is_refused_with_its_size_and_nothing_is_saved(room: Room) -> None:
    with pytest.raises(ApplicationError) as refused:
        note_create(seat=seat_of(room, room.mentee), body="x" * 23_456, visibility="private")
    assert refused.value.message == (
        "A note can be at most 20,000 characters; this one has 23,456."
    )
    assert not Note.objects.exists()


@pytest.mark.parametrize(("body", "visibility"), [("   ", "private"), ("ok", "everyone")])
def test_an_empty_note_or_an_unknown_visibility_is_refused(
    room: Room, body: str, visibility: str
) -> None:
    with pytest.raises(ApplicationError):
        note_create(seat=seat_of(room, room.mentee), body=body, visibility=visibility)
    assert not Note.objects.exists()


def test_a_session_of_another_mentorship_is_refused_as_missing(actors: Actors, room: Room) -> None:
    other = make_room(actors)
    foreign = make_session(other)
    with pytest.raises(Http404):
        note_create(seat=seat_of(room, room.mentee), body="x", visibility="shared", session=foreign)
    assert not Note.objects.exists()


def test_only_the_author_changes_or_deletes_a_note(room: Room) -> None:
    note = note_create(seat=seat_of(room, room.mentee), body="mine", visibility="shared")
    with pytest.raises(Http404):
        note_update(seat=seat_of(room, room.mentor), note=note, body="theirs", visibility="shared")
    with pytest.raises(Http404):
        note_delete(seat=seat_of(room, room.mentor), note=note)
    note.refresh_from_db()
    assert note.body == "mine"
    note_update(seat=seat_of(room, room.mentee), note=note, body="# New", visibility="private")
    note.refresh_from_db()
    assert (note.visibility, note.body_html) == ("private", "<h3>New</h3>\n")


def test_an_ended_room_is_read_only(room: Room) -> None:
    room.mentorship.status = "ended_early"
    room.mentorship.save(update_fields=["status"])
    with pytest.raises(ApplicationError, match="read-only"):
        note_create(seat=seat_of(room, room.mentee), body="x", visibility="shared")


# --- Who reads what ----------------------------------------------------------------------------


def _plant(room: Room, session: Session | None = None) -> tuple[Note, Note]:
    private = note_create(
        seat=seat_of(room, room.mentee), body=SECRET, visibility="private", session=session
    )
    shared = note_create(
        seat=seat_of(room, room.mentee), body=SHARED, visibility="shared", session=session
    )
    return private, shared


def test_the_selector_never_gives_another_members_private_note(room: Room) -> None:
    private, shared = _plant(room)
    mine = note_page(seat=seat_of(room, room.mentee), page=1)
    theirs = note_page(seat=seat_of(room, room.mentor), page=1)
    assert [n.pk for n in mine] == [shared.pk, private.pk]
    assert [n.pk for n in theirs] == [shared.pk]


def test_the_other_member_never_sees_a_private_note_anywhere(client: Client, room: Room) -> None:
    session = make_session(room)
    private, _ = _plant(room, session)
    room_url = page("room", mentorship_id=room.mentorship.pk)
    session_url = page("session", mentorship_id=room.mentorship.pk, session_id=session.pk)
    # The author sees both
    for url in (room_url, session_url):
        html = html_as(client, room.mentee, url)
        assert SECRET in html and SHARED in html
    # The mentor sees the shared one only, on the room page, the session page and the API
    for url in (room_url, session_url):
        html = html_as(client, room.mentor, url)
        assert SHARED in html and SECRET not in html
    listed = client.get(api("notes", mentorship_id=room.mentorship.pk)).json()
    assert [n["body"] for n in listed["results"]] == [SHARED]
    # … and cannot open, change or delete it
    edit = page("note_edit", mentorship_id=room.mentorship.pk, note_id=private.pk)
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"body": "x", "visibility": "shared"}).status_code == 404
    delete = page("note_delete", mentorship_id=room.mentorship.pk, note_id=private.pk)
    assert client.post(delete).status_code == 404
    detail = api("note", mentorship_id=room.mentorship.pk, note_id=private.pk)
    assert client.patch(detail, {"body": "x"}, content_type="application/json").status_code == 404
    assert client.delete(detail).status_code == 404
    private.refresh_from_db()
    assert private.body == SECRET


# --- Pages -------------------------------------------------------------------------------------


def test_note_pages_are_for_the_members_only(client: Client, actors: Actors, room: Room) -> None:
    url = page("note_new", mentorship_id=room.mentorship.pk)
    responses = assert_access(client, actors, url, allowed={"participant"})
    html = responses["participant"].content.decode()
    assert "<h1>Write a note</h1>" in html and "Private — only you" in html
    assert_access(
        client,
        actors,
        url,
        allowed={"participant"},
        method="post",
        data={"body": "From the page", "visibility": "shared"},
        ok_status=302,
    )
    assert Note.objects.get().body == "From the page"
    note = Note.objects.get()
    for name in ("note_edit",):
        assert_access(
            client,
            actors,
            page(name, mentorship_id=room.mentorship.pk, note_id=note.pk),
            allowed={"participant"},
        )
    assert_access(
        client,
        actors,
        page("note_delete", mentorship_id=room.mentorship.pk, note_id=note.pk),
        allowed={"participant"},
        method="post",
        data={},
        ok_status=302,
    )
    assert not Note.objects.exists()


def test_a_bystander_of_the_program_gets_404(client: Client, room: Room) -> None:
    assert room.bystander is not None
    client.force_login(room.bystander)
    assert client.get(page("note_new", mentorship_id=room.mentorship.pk)).status_code == 404
    assert client.get(api("notes", mentorship_id=room.mentorship.pk)).status_code == 404


def test_a_refused_note_shows_the_form_again_with_the_text_kept(client: Client, room: Room) -> None:
    client.force_login(room.mentee)
    body = "keep me " + "x" * 20_000
    response = client.post(
        page("note_new", mentorship_id=room.mentorship.pk), {"body": body, "visibility": "shared"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A note can be at most 20,000 characters; this one has 20,008." in html
    assert 'aria-describedby="id_body_helptext id_body_error"' in html
    assert "keep me xxx" in html
    assert not Note.objects.exists()


def test_a_note_on_a_session_is_linked_to_it(client: Client, room: Room) -> None:
    session = make_session(room)
    client.force_login(room.mentee)
    url = page("note_new", mentorship_id=room.mentorship.pk) + f"?session={session.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "on it", "visibility": "private"})
    assert response.status_code == 302
    assert Note.objects.get().session_id == session.pk


# --- API ---------------------------------------------------------------------------------------


def test_the_notes_endpoints_are_for_the_members_only(
    client: Client, actors: Actors, room: Room
) -> None:
    url = api("notes", mentorship_id=room.mentorship.pk)
    assert_access(
        client,
        actors,
        url,
        allowed={"participant"},
        method="post",
        data={"body": "**api**", "visibility": "private"},
        api=True,
        ok_status=201,
    )
    responses = assert_access(client, actors, url, allowed={"participant"}, api=True)
    [note] = responses["participant"].json()["results"]
    assert (note["body"], note["body_html"]) == ("**api**", "<p><strong>api</strong></p>\n")
    detail = api("note", mentorship_id=room.mentorship.pk, note_id=note["id"])
    responses = assert_access(
        client,
        actors,
        detail,
        allowed={"participant"},
        method="patch",
        data={"visibility": "shared"},
        api=True,
    )
    assert responses["participant"].json()["visibility"] == "shared"
    assert_access(
        client, actors, detail, allowed={"participant"}, method="delete", api=True, ok_status=204
    )
    assert not Note.objects.exists()


def test_a_refusal_answers_400_with_the_reason(client: Client, room: Room) -> None:
    client.force_login(room.mentee)
    response = client.post(
        api("notes", mentorship_id=room.mentorship.pk),
        {"body": "x" * 20_001, "visibility": "private"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "A note can be at most 20,000 characters; this one has 20,001."
    }


# --- Room part ---------------------------------------------------------------------------------


def _fill(room: Room, notes: int) -> None:
    mentee, mentor = seat_of(room, room.mentee), seat_of(room, room.mentor)
    sessions = [make_session(room, starts_in=dt.timedelta(days=-i - 1)) for i in range(3)]
    for i in range(notes):
        note_create(
            seat=mentee if i % 2 else mentor,
            body=f"note {i}",
            visibility="shared" if i % 3 else "private",
            session=sessions[i % 3] if i % 4 else None,
        )
    goal_create(seat=mentee, title="Learn", measure=Goal.Measure.MILESTONES, milestones=["a", "b"])
    goal_create(seat=mentor, title="Teach")


def _queries(client: Client, room: Room) -> int:
    client.force_login(room.mentee)
    url = page("room", mentorship_id=room.mentorship.pk)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_room_part_costs_the_same_queries_for_3_and_60_notes(
    client: Client, actors: Actors
) -> None:
    small, large = make_room(actors), make_room(actors)
    _fill(small, 3)
    _fill(large, 60)
    # The work part alone is pinned
    seat = seat_of(large, large.mentee)
    seat.mentorship.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        context = work_for_room(
            seat=Seat(mentorship=seat.mentorship, member=seat.member), notes_page=2
        )
    assert (
        len(captured) == 6
    )  # organisation, notes page, open and closed actions, goals, milestones
    assert context["notes_page"].number == 2 and len(context["notes_page"]) == 20
    # And the whole room page does not grow with the notes
    assert _queries(client, small) == _queries(client, large)


def test_a_notes_page_past_the_end_shows_the_last(room: Room) -> None:
    _fill(room, 30)
    readable = (
        Note.objects.filter(visibility="shared").count()
        + Note.objects.filter(visibility="private", author=room.member(room.mentee)).count()
    )
    last = note_page(seat=seat_of(room, room.mentee), page=99)
    assert last.number == -(-readable // 20)
    assert not last.has_next and len(last) == readable - 20 * (last.number - 1)
