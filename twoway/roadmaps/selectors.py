"""Reads of roadmaps."""

from __future__ import annotations

from typing import Any

from twoway.rooms.access import Seat


def roadmap_for_room(*, seat: Seat) -> dict[str, Any]:
    """What the room page shows of the mentorship's roadmaps: progress and the next step."""
    return {}
