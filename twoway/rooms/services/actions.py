"""Action items of a room: anyone in the mentorship adds, edits and closes them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.mentorships.models import MentorshipMember
from twoway.rooms.access import Seat, require_live
from twoway.rooms.models import ActionItem, Session
from twoway.rooms.services.notes import session_in_room

TITLE_MAX_CHARS = 300


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ApplicationError(
            "Give the action item a title: what is to be done.", extra={"field": "title"}
        )
    if len(title) > TITLE_MAX_CHARS:
        raise ApplicationError(
            f"An action item's title can be at most {TITLE_MAX_CHARS} characters; "
            f"this one has {len(title)}.",
            extra={"field": "title"},
        )
    return title


def _owner(seat: Seat, owner_id: int | None) -> MentorshipMember | None:
    if owner_id is None:
        return None
    owner = MentorshipMember.objects.filter(
        organisation_id=seat.mentorship.organisation_id, mentorship=seat.mentorship, pk=owner_id
    ).first()
    if owner is None:
        raise ApplicationError(
            "The owner of an action item must be a member of this mentorship.",
            extra={"field": "owner"},
        )
    return owner


def _in_room(seat: Seat, action: ActionItem) -> None:
    if action.mentorship_id != seat.mentorship.pk:
        raise Http404


@transaction.atomic
def action_create(
    *,
    seat: Seat,
    title: str,
    owner_id: int | None,
    due_on: dt.date | None,
    session: Session | None = None,
) -> ActionItem:
    require_live(seat)
    session_in_room(seat, session)
    action = ActionItem(
        organisation_id=seat.mentorship.organisation_id,
        mentorship=seat.mentorship,
        session=session,
        title=_clean_title(title),
        owner=_owner(seat, owner_id),
        due_on=due_on,
        created_by=seat.member,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(
    *, seat: Seat, action: ActionItem, title: str, owner_id: int | None, due_on: dt.date | None
) -> ActionItem:
    _in_room(seat, action)
    require_live(seat)
    action.title = _clean_title(title)
    action.owner = _owner(seat, owner_id)
    action.due_on = due_on
    action.save(update_fields=["title", "owner", "due_on", "updated_at"])
    return action


@transaction.atomic
def action_set_status(*, seat: Seat, action: ActionItem, status: str) -> ActionItem:
    _in_room(seat, action)
    require_live(seat)
    if status not in ActionItem.Status.values:
        raise ApplicationError("An action item is open, done or dropped.")
    if status != action.status:
        action.status = status
        action.done_at = timezone.now() if status == ActionItem.Status.DONE else None
        action.save(update_fields=["status", "done_at", "updated_at"])
    return action
