"""Reads of recognition."""

from __future__ import annotations

from typing import Any

from twoway.programs.models import Program
from twoway.rooms.access import Seat
from twoway.threads.audience import Audience


def celebrations_for_room(*, seat: Seat) -> dict[str, Any]:
    """The mentorship's celebrations and kudos its members may see, for the room page."""
    return {}


def recognition_for_feed(*, audience: Audience, program: Program | None = None) -> dict[str, Any]:
    """Recent celebrations of the viewer's mentorships and kudos the viewer may see (of
    ``program`` when given), for the Growth Threads feed pages."""
    return {}
