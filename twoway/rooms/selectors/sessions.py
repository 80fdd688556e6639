"""Reads on sessions, agendas and calendar feeds for the members of a room.

Every read starts from the organisation-scoped queryset and the viewer's seat: a session of
another mentorship answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from twoway.accounts.models import User
from twoway.core.models import Membership, Organisation
from twoway.programs.models import Program
from twoway.rooms.access import Seat
from twoway.rooms.agendas import builtins_for_format
from twoway.rooms.models import AgendaItem, AgendaTemplate, Attendance, CalendarFeed, Session

ROOM_UPCOMING = 5


def _room_sessions(seat: Seat) -> QuerySet[Session]:
    return Session.objects.for_organisation(seat.mentorship.organisation).filter(
        mentorship=seat.mentorship
    )


def sessions_for_room(*, seat: Seat, now: dt.datetime) -> dict[str, Any]:
    """Context for ``rooms/_sessions.html`` on the room page, keys prefixed ``sessions_``:
    the next five scheduled sessions and how many have been held — two queries."""
    scheduled = _room_sessions(seat).filter(status=Session.Status.SCHEDULED)
    return {
        "sessions_upcoming": list(scheduled.filter(starts_at__gt=now)[:ROOM_UPCOMING]),
        "sessions_past_count": scheduled.filter(starts_at__lte=now).count(),
    }


def session_list_for_room(*, seat: Seat, now: dt.datetime, past: bool) -> QuerySet[Session]:
    """Upcoming sessions soonest first, or past ones (and cancelled past ones) latest first."""
    sessions = _room_sessions(seat)
    if past:
        return sessions.filter(starts_at__lte=now).order_by("-starts_at", "-id")
    return sessions.filter(starts_at__gt=now).order_by("starts_at", "id")


def session_get_for_member(*, seat: Seat, session_id: int) -> Session:
    session = (
        _room_sessions(seat)
        .select_related("mentorship__program", "organisation", "series")
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("done_by__person").order_by(
                    "position", "id"
                ),
            ),
            Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
            "mentorship__members__person__user",
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def agenda_item_get_for_member(*, seat: Seat, item_id: int) -> AgendaItem:
    item = (
        AgendaItem.objects.for_organisation(seat.mentorship.organisation)
        .select_related("session")
        .filter(pk=item_id, session__mentorship=seat.mentorship)
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class AgendaOption:
    key: str  # "builtin:<key>" or "template:<id>"
    name: str
    description: str
    source: str  # "Built-in", "Organisation", "Program"
    items: tuple[str, ...]


def agenda_options_for_session(*, seat: Seat) -> list[AgendaOption]:
    """The built-in agendas suiting the program's format, then the organisation's templates,
    then the program's — one query."""
    program = seat.mentorship.program
    options = [
        AgendaOption(f"builtin:{a.key}", a.name, a.description, "Built-in", a.items)
        for a in builtins_for_format(program.format)
    ]
    templates = list(
        AgendaTemplate.objects.for_organisation(seat.mentorship.organisation).filter(
            Q(program__isnull=True) | Q(program=program)
        )
    )
    for source, in_program in (("Organisation", False), ("Program", True)):
        for template in sorted(templates, key=lambda t: (t.name, t.pk)):
            if (template.program_id is not None) == in_program:
                options.append(
                    AgendaOption(
                        f"template:{template.pk}",
                        template.name,
                        template.description,
                        source,
                        tuple(template.items),
                    )
                )
    return options


def agenda_template_list(
    *, organisation: Organisation, program: Program | None
) -> QuerySet[AgendaTemplate]:
    templates = AgendaTemplate.objects.for_organisation(organisation)
    if program is None:
        return templates.filter(program__isnull=True).order_by("name", "id")
    return templates.filter(program=program).order_by("name", "id")


def agenda_template_get(
    *, organisation: Organisation, template_id: int, program: Program | None
) -> AgendaTemplate:
    template = agenda_template_list(organisation=organisation, program=program).filter(
        pk=template_id
    )
    found = template.select_related("program").first()
    if found is None:
        raise Http404
    return found


def calendar_feed_owner(*, token: str) -> tuple[User, Organisation] | None:
    """The user and organisation of a feed token while the user is an active member of an
    active organisation; else None (the feed answers 404)."""
    feed = (
        CalendarFeed.objects.select_related("user", "organisation")
        .filter(token=token, organisation__is_active=True)
        .first()
    )
    if feed is None:
        return None
    active = Membership.objects.filter(
        organisation=feed.organisation, user=feed.user, is_active=True
    ).exists()
    return (feed.user, feed.organisation) if active and feed.user.is_active else None
