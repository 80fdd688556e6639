"""Reads of Growth Threads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from twoway.rooms.access import Seat
from twoway.rooms.models import Session


def prompts_for_session(*, seat: Seat, session: Session, now: datetime) -> dict[str, Any]:
    """Writing prompts offered on a session's page once it has started."""
    return {}
