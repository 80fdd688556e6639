"""Reads on sessions (placeholder: the sessions feature fills this module)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from twoway.rooms.access import Seat


def sessions_for_room(*, seat: Seat, now: dt.datetime) -> dict[str, Any]:
    """Context for ``rooms/_sessions.html`` on the room page, keys prefixed ``sessions_``."""
    return {}
