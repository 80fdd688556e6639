"""Reads on notes, action items, goals and pulses, for the members of a room.

The visibility rule lives here and nowhere else: a member reads the mentorship's shared notes
and their own private ones, never another member's private note; a pulse reflection is its
author's alone. Program managers get ``goal_status_by_mentorship`` — one status per mentorship,
never a title.

Every read costs a constant number of queries however many notes, sessions or goals a room has:
notes come a page at a time (a slice one longer than the page tells whether there is a next one,
so no ``COUNT`` unless the page asked for is past the end), bodies are stored rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from twoway.core.models import Organisation
from twoway.mentorships.models import MentorshipMember
from twoway.rooms.access import Seat
from twoway.rooms.models import (
    NOTE_MAX_CHARS,
    ActionItem,
    Goal,
    GoalUpdate,
    Note,
    Pulse,
    Session,
)
from twoway.rooms.services.pulse import RATINGS, pulse_open

NOTES_PER_PAGE = 20
CLOSED_ACTIONS_SHOWN = 20
SESSION_NOTES_SHOWN = 50


@dataclass
class NotesPage:
    """One page of notes, newest first (the shape of a Django ``Page`` the templates use)."""

    number: int
    object_list: list[Note] = field(default_factory=list)
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def note_list_readable(*, seat: Seat) -> QuerySet[Note]:
    """The notes ``seat.member`` may read: shared ones and their own private ones."""
    return (
        Note.objects.for_organisation(seat.mentorship.organisation)
        .filter(mentorship=seat.mentorship)
        .filter(Q(visibility=Note.Visibility.SHARED) | Q(author=seat.member))
        .select_related("author__person", "session")
        .order_by("-created_at", "-id")
    )


def note_page(*, seat: Seat, page: int) -> NotesPage:
    """Page ``page`` (from 1) of the readable notes; a page past the end shows the last one."""
    notes = note_list_readable(seat=seat)
    number = max(1, page)
    start = (number - 1) * NOTES_PER_PAGE
    rows = list(notes[start : start + NOTES_PER_PAGE + 1])
    if not rows and number > 1:
        total = notes.count()
        number = max(1, -(-total // NOTES_PER_PAGE))
        start = (number - 1) * NOTES_PER_PAGE
        rows = list(notes[start : start + NOTES_PER_PAGE + 1])
    return NotesPage(
        number=number, object_list=rows[:NOTES_PER_PAGE], has_next=len(rows) > NOTES_PER_PAGE
    )


def note_get_readable(*, seat: Seat, note_id: int) -> Note:
    note = note_list_readable(seat=seat).filter(pk=note_id).first()
    if note is None:
        raise Http404
    return note


def note_get_for_author(*, seat: Seat, note_id: int) -> Note:
    """The viewer's own note; anyone else's (shared or not) answers 404 for a change."""
    note = note_get_readable(seat=seat, note_id=note_id)
    if note.author_id != seat.member.pk:
        raise Http404
    return note


def session_get_in_room(*, seat: Seat, session_id: int) -> Session:
    session = (
        Session.objects.for_organisation(seat.mentorship.organisation)
        .filter(mentorship=seat.mentorship, pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def member_list(*, seat: Seat) -> list[MentorshipMember]:
    return list(
        MentorshipMember.objects.for_organisation(seat.mentorship.organisation)
        .filter(mentorship=seat.mentorship)
        .select_related("person")
    )


# --- Action items ------------------------------------------------------------------------------


def action_list(*, seat: Seat) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.for_organisation(seat.mentorship.organisation)
        .filter(mentorship=seat.mentorship)
        .select_related("owner__person", "session")
    )


def action_get(*, seat: Seat, action_id: int) -> ActionItem:
    action = action_list(seat=seat).filter(pk=action_id).first()
    if action is None:
        raise Http404
    return action


def flag_overdue(actions: list[ActionItem]) -> list[ActionItem]:
    today = timezone.localdate()  # in the viewer's zone (TimezoneMiddleware)
    for action in actions:
        action.is_overdue = (  # type: ignore[attr-defined]
            action.status == ActionItem.Status.OPEN
            and action.due_on is not None
            and action.due_on < today
        )
    return actions


def _open_first(actions: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return actions.order_by(
        Case(
            When(status=ActionItem.Status.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        F("due_on").asc(nulls_last=True),
        "id",
    )


def action_list_ordered(*, seat: Seat) -> QuerySet[ActionItem]:
    """Open items first, earliest due first (no date last), then done and dropped ones."""
    return _open_first(action_list(seat=seat))


# --- Goals -------------------------------------------------------------------------------------


def goal_list(*, seat: Seat) -> QuerySet[Goal]:
    """Every member's goals (members read each other's; only the owner updates), with their
    milestones and the latest update."""
    latest = GoalUpdate.objects.filter(goal=OuterRef("pk")).order_by("-created_at", "-id")
    goals: QuerySet[Goal] = Goal.objects.for_organisation(seat.mentorship.organisation)
    return (
        goals.filter(mentorship=seat.mentorship)
        .select_related("member__person")
        .prefetch_related("milestones")
        .annotate(
            latest_update_at=Subquery(latest.values("created_at")[:1]),
            latest_update_note=Subquery(latest.values("note")[:1]),
        )
        .order_by("member__role", "member_id", "id")
    )


def goal_get(*, seat: Seat, goal_id: int) -> Goal:
    goal = goal_list(seat=seat).filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal


def goal_update_list(*, goal: Goal) -> QuerySet[GoalUpdate]:
    return (
        GoalUpdate.objects.filter(organisation_id=goal.organisation_id, goal=goal)
        .select_related("author__person")
        .order_by("-created_at", "-id")
    )


# --- Pulse -------------------------------------------------------------------------------------


def pulse_get_own(*, seat: Seat, session: Session) -> Pulse | None:
    return (
        Pulse.objects.for_organisation(seat.mentorship.organisation)
        .filter(session=session, member=seat.member)
        .first()
    )


# --- Contexts for the room and session pages -----------------------------------------------------


def work_for_room(*, seat: Seat, notes_page: int) -> dict[str, Any]:
    """Context for ``rooms/_notes.html``, ``rooms/_actions.html`` and ``rooms/_goals.html`` on
    the room page, keys prefixed ``notes_``, ``actions_``, ``goals_``."""
    actions = action_list(seat=seat)
    closed = actions.exclude(status=ActionItem.Status.OPEN)
    closed_rows = list(
        closed.order_by("-done_at", "-updated_at", "-id")[: CLOSED_ACTIONS_SHOWN + 1]
    )
    return {
        "notes_page": note_page(seat=seat, page=notes_page),
        "notes_max_chars": NOTE_MAX_CHARS,
        "notes_visibilities": Note.Visibility,
        "actions_open": flag_overdue(
            list(_open_first(actions.filter(status=ActionItem.Status.OPEN)))
        ),
        "actions_closed": flag_overdue(closed_rows[:CLOSED_ACTIONS_SHOWN]),
        "actions_closed_more": len(closed_rows) > CLOSED_ACTIONS_SHOWN,
        "goals_list": list(goal_list(seat=seat)),
    }


def work_for_session(*, seat: Seat, session: Session) -> dict[str, Any]:
    """Context for ``rooms/_session_work.html`` on a session's page (its notes, the viewer's
    pulse, its action items), keys prefixed ``work_``."""
    notes = list(note_list_readable(seat=seat).filter(session=session)[:SESSION_NOTES_SHOWN])
    return {
        "work_notes": notes,
        "work_actions": flag_overdue(
            list(_open_first(action_list(seat=seat).filter(session=session)))
        ),
        "work_pulse": pulse_get_own(seat=seat, session=session),
        "work_pulse_open": pulse_open(session),
        "work_ratings": RATINGS,
        "work_notes_max_chars": NOTE_MAX_CHARS,
    }


def goal_status_by_mentorship(
    *, organisation: Organisation, mentorship_ids: list[int]
) -> dict[int, str]:
    """For program managers: one status per mentorship from its goals — "behind" if any goal is
    behind, else "on_track" if any is open, else "done"; "none" without goals. Never a title.
    One query for any number of mentorships."""
    statuses = dict.fromkeys(mentorship_ids, "none")
    if not mentorship_ids:
        return statuses
    rows = (
        Goal.objects.for_organisation(organisation)
        .filter(mentorship_id__in=mentorship_ids)
        .values("mentorship_id")
        .annotate(
            behind=Count("id", filter=Q(status=Goal.Status.BEHIND)),
            open=Count("id", filter=~Q(status=Goal.Status.DONE)),
        )
        .order_by()
    )
    for row in rows:
        if row["behind"]:
            status = "behind"
        elif row["open"]:
            status = "on_track"
        else:
            status = "done"
        statuses[row["mentorship_id"]] = status
    return statuses
