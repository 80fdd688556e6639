"""Notes in a room: Markdown, private (the author only) or shared (the members).

Rendered and sanitised once, on save (``Note.body_html``); nothing renders Markdown at read
time. A note that is not the viewer's own answers like a missing one to anyone but its author
when they try to change it.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from twoway.core.errors import ApplicationError
from twoway.core.markdown import render_markdown
from twoway.rooms.access import Seat, require_live
from twoway.rooms.models import NOTE_MAX_CHARS, Note, Session


def session_in_room(seat: Seat, session: Session | None) -> None:
    """A session of another mentorship is refused like a missing one."""
    if session is not None and (
        session.mentorship_id != seat.mentorship.pk
        or session.organisation_id != seat.mentorship.organisation_id
    ):
        raise Http404


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ApplicationError(
            "Write something in the note before saving it.", extra={"field": "body"}
        )
    if len(body) > NOTE_MAX_CHARS:
        raise ApplicationError(
            f"A note can be at most {NOTE_MAX_CHARS:,} characters; this one has {len(body):,}.",
            extra={"field": "body"},
        )
    return body


def _clean_visibility(visibility: str) -> str:
    if visibility not in Note.Visibility.values:
        raise ApplicationError(
            "Choose who can read the note: private (only you) or shared (the members).",
            extra={"field": "visibility"},
        )
    return visibility


def _own(seat: Seat, note: Note) -> None:
    if note.author_id != seat.member.pk or note.mentorship_id != seat.mentorship.pk:
        raise Http404


@transaction.atomic
def note_create(*, seat: Seat, body: str, visibility: str, session: Session | None = None) -> Note:
    require_live(seat)
    session_in_room(seat, session)
    body = _clean_body(body)
    note = Note(
        organisation_id=seat.mentorship.organisation_id,
        mentorship=seat.mentorship,
        session=session,
        author=seat.member,
        visibility=_clean_visibility(visibility),
        body=body,
        body_html=render_markdown(body),
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_update(*, seat: Seat, note: Note, body: str, visibility: str) -> Note:
    _own(seat, note)
    require_live(seat)
    note.body = _clean_body(body)
    note.body_html = render_markdown(note.body)
    note.visibility = _clean_visibility(visibility)
    note.save(update_fields=["body", "body_html", "visibility", "updated_at"])
    return note


@transaction.atomic
def note_delete(*, seat: Seat, note: Note) -> None:
    _own(seat, note)
    require_live(seat)
    note.delete()
