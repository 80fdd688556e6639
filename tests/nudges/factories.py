"""Data for nudge tests: rooms made active or pending at a chosen moment, sessions, action
items, notes, match requests and invitations, written straight to the tables so a test can
place each one exactly where a rule's threshold is."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from tests.authz import Actors
from tests.rooms.factories import Room, make_room
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.rooms.models import ActionItem, Agreement, MemberStatement, Note, Session

NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)


def room_at(
    actors: Actors,
    *,
    started: dt.datetime,
    status: str = Mentorship.Status.ACTIVE,
    rhythm_weeks: int | None = 2,
    kind: str = Mentorship.Kind.PAIR,
) -> Room:
    """A room started at ``started``; its agreement accepted when active (``rhythm_weeks``
    None: no agreement at all)."""
    room = make_room(actors, kind=kind)
    Mentorship.objects.filter(pk=room.mentorship.pk).update(started_at=started, status=status)
    if rhythm_weeks is None:
        Agreement.objects.filter(mentorship=room.mentorship).delete()
    else:
        Agreement.objects.filter(mentorship=room.mentorship).update(
            rhythm_weeks=rhythm_weeks,
            agreed_at=started if status == Mentorship.Status.ACTIVE else None,
        )
        if status == Mentorship.Status.ACTIVE:
            MemberStatement.objects.filter(agreement__mentorship=room.mentorship).update(
                accepted_version=1, accepted_at=started
            )
    room.mentorship.refresh_from_db()
    return room


def session_at(room: Room, at: dt.datetime, *, status: str = Session.Status.SCHEDULED) -> Session:
    return Session.objects.create(
        organisation_id=room.mentorship.organisation_id,
        mentorship=room.mentorship,
        starts_at=at,
        duration_minutes=45,
        status=status,
        uid=f"{uuid.uuid4().hex}@test",
    )


def action_item(
    room: Room, *, due_on: dt.date, owner: MentorshipMember | None = None, status: str = "open"
) -> ActionItem:
    return ActionItem.objects.create(
        organisation_id=room.mentorship.organisation_id,
        mentorship=room.mentorship,
        title="Try the new analytics dashboard",
        owner=owner,
        due_on=due_on,
        status=status,
    )


def note_on(room: Room, session: Session, author: MentorshipMember) -> Note:
    return Note.objects.create(
        organisation_id=room.mentorship.organisation_id,
        mentorship=room.mentorship,
        session=session,
        author=author,
        visibility=Note.Visibility.SHARED,
        body="secret words",
        body_html="<p>secret words</p>",
    )


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


__all__ = ["NOW", "action_item", "days", "note_on", "room_at", "session_at", "timezone"]
