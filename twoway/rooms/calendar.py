"""iCalendar for sessions: invitations attached to emails and each user's secret feed.

Events carry dates, the place, the video link and a link to the room — never agenda text,
notes or anything else a member wrote beyond where to meet. Times are written in UTC; calendar
clients show them in their own zone. A session keeps its UID for life and ``SEQUENCE`` rises on
every change, so clients update the event rather than adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from twoway.accounts.models import User
from twoway.core.models import Organisation
from twoway.mentorships.models import MentorshipMember
from twoway.rooms.models import Session

PRODID = "-//Twoway//Mentorship Rooms//EN"
FEED_HISTORY_DAYS = 90


def room_url(session: Session, base_url: str) -> str:
    kwargs = {"org_slug": session.organisation.slug, "mentorship_id": session.mentorship_id}
    try:
        path = reverse("rooms:room", kwargs=kwargs)
    except NoReverseMatch:  # the room page is mounted by another part of the app
        path = f"/o/{kwargs['org_slug']}/mentorships/{session.mentorship_id}/"
    return base_url.rstrip("/") + path


def member_email(member: MentorshipMember) -> str:
    user = member.person.user
    return (user.email if user is not None else "") or member.person.email or ""


def _event(session: Session, base_url: str, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    starts = session.starts_at.astimezone(dt.UTC)
    event.add("dtstart", starts)
    event.add("dtend", starts + dt.timedelta(minutes=session.duration_minutes))
    event.add("sequence", session.sequence)
    is_cancelled = cancelled or session.status == Session.Status.CANCELLED
    event.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    event.add("summary", f"Mentoring session — {session.mentorship.program.name}")
    if session.place:
        event.add("location", session.place)
    link = room_url(session, base_url)
    event.add("url", link)
    description = f"Open the room: {link}"
    if session.video_url:
        description = f"Video call: {session.video_url}\n{description}"
    event.add("description", description)
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = "Twoway"
    event.add("organizer", organizer)
    for member in session.mentorship.members.all():
        email = member_email(member)
        if email:
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params["cn"] = member.person.full_name
            attendee.params["role"] = "REQ-PARTICIPANT"
            event.add("attendee", attendee, encode=False)
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def invitation_ics(sessions: Iterable[Session], method: str, base_url: str) -> bytes:
    """An invitation (``method`` REQUEST) or a cancellation (CANCEL) of ``sessions``; each
    session needs ``mentorship__program``, ``organisation`` and the members' people loaded."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unknown iTIP method {method!r}")
    calendar = _calendar(method)
    for session in sessions:
        calendar.add_component(_event(session, base_url, cancelled=method == "CANCEL"))
    return calendar.to_ical()


def feed_sessions(user: User, organisation: Organisation) -> list[Session]:
    """The user's sessions in ``organisation`` from 90 days ago on, in a fixed number of
    queries."""
    since = timezone.now() - dt.timedelta(days=FEED_HISTORY_DAYS)
    return list(
        Session.objects.for_organisation(organisation)
        .filter(
            mentorship__members__person__user=user,
            starts_at__gte=since,
        )
        .select_related("organisation", "mentorship__program")
        .prefetch_related("mentorship__members__person__user")
        .distinct()
        .order_by("starts_at", "id")
    )


def feed_ics(user: User, organisation: Organisation, base_url: str) -> bytes:
    """The subscription feed: no METHOD (it is a published calendar, not an invitation);
    cancelled sessions stay in it as CANCELLED so clients remove them."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", f"Mentoring — {organisation.name}")
    for session in feed_sessions(user, organisation):
        calendar.add_component(_event(session, base_url, cancelled=False))
    return calendar.to_ical()
