"""Reads on notes, action items, goals and pulses (placeholder: the work feature fills it)."""

from __future__ import annotations

from typing import Any

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
