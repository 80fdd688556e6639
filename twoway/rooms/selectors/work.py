"""Reads on notes, action items, goals and pulses (placeholder: the work feature fills it)."""

from __future__ import annotations

from typing import Any

from twoway.core.models import Organisation
from twoway.rooms.access import Seat
from twoway.rooms.models import Session


def work_for_room(*, seat: Seat, notes_page: int) -> dict[str, Any]:
    """Context for ``rooms/_notes.html``, ``rooms/_actions.html`` and ``rooms/_goals.html`` on
    the room page, keys prefixed ``notes_``, ``actions_``, ``goals_``."""
    return {}


def work_for_session(*, seat: Seat, session: Session) -> dict[str, Any]:
    """Context for ``rooms/_session_work.html`` on a session's page (its notes, the viewer's
    pulse, its action items), keys prefixed ``work_``."""
    return {}


def goal_status_by_mentorship(
    *, organisation: Organisation, mentorship_ids: list[int]
) -> dict[int, str]:
    """For program managers: one status per mentorship from its goals — "behind" if any goal is
    behind, else "on_track" if any is open, else "done"; "none" without goals. Never a title."""
    return {pk: "none" for pk in mentorship_ids}
