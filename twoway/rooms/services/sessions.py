"""Sessions of a room: scheduling (one or a weekly series), rescheduling, cancelling and the
attendance register of circles.

A series repeats at the same wall-clock time in the scheduler's zone: the occurrences are
expanded on the naive local time and localised one by one, so 09:00 in Berlin stays 09:00 on
both sides of a daylight-saving change. Every write is all-or-nothing and locks the mentorship
row first so two members scheduling at once cannot create overlapping sessions. Emails leave
after commit, one per member and action (not one per session of a series), each with an
iCalendar attachment and a link to the room — never agenda text or notes.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Sequence
from email.mime.text import MIMEText
from functools import cache

from dateutil.rrule import WEEKLY, rrule
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.mentorships.models import Mentorship
from twoway.recognition.models import Celebration
from twoway.recognition.services import celebration_record
from twoway.rooms.access import Seat, require_live
from twoway.rooms.models import Agreement, Attendance, CalendarFeed, Session, SessionSeries

MIN_MINUTES, MAX_MINUTES = 15, 480
MAX_REPEAT = 52
MAX_EVERY_WEEKS = 12
DEFAULT_RHYTHM_WEEKS = 2


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - {"Factory", "localtime"})


def zone_get(time_zone: str) -> zoneinfo.ZoneInfo:
    if time_zone not in _known_zones():
        raise ApplicationError(
            f"Time zone: {time_zone or 'none'!r} is not a time zone we know; choose one from "
            "the list (for example Europe/Berlin)."
        )
    return zoneinfo.ZoneInfo(time_zone)


def format_local(moment: dt.datetime, time_zone: str) -> str:
    """``moment`` as people read it in ``time_zone``, with the zone's name."""
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return f"{local:%A %d %B %Y, %H:%M} ({time_zone})"


def localise(naive: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock time in ``zone``; a time skipped by a daylight-saving
    change (it never happens on the clock) is refused. A repeated hour takes its first
    occurrence."""
    aware = naive.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(dt.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive.replace(tzinfo=None):
        raise ApplicationError(
            f"Start: {naive:%A %d %B %Y, %H:%M} does not exist in {zone.key} — the clocks "
            "jump forward at that time for daylight saving. Choose another time."
        )
    return instant


def rhythm_weeks(mentorship: Mentorship) -> int:
    """The agreed rhythm; the program's cadence while no agreement exists yet."""
    try:
        return mentorship.agreement.rhythm_weeks
    except Agreement.DoesNotExist:
        cadence = mentorship.program.cadence_weeks or DEFAULT_RHYTHM_WEEKS
        return min(max(cadence, 1), MAX_EVERY_WEEKS)


def _check_fields(*, duration_minutes: int, video_url: str, place: str) -> None:
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise ApplicationError(
            f"Duration: a session lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes; "
            f"{duration_minutes} is outside that."
        )
    if video_url and not video_url.lower().startswith(("http://", "https://")):
        raise ApplicationError(
            "Video link: it must be a web address starting with https:// (or http://)."
        )
    if len(video_url) > 500:
        raise ApplicationError("Video link: at most 500 characters.")
    if len(place) > 200:
        raise ApplicationError("Place: at most 200 characters.")


def _occurrences(
    *, starts_at_local: dt.datetime, zone: zoneinfo.ZoneInfo, count: int, every_weeks: int
) -> list[dt.datetime]:
    local_times = rrule(
        WEEKLY, interval=every_weeks, count=count, dtstart=starts_at_local.replace(tzinfo=None)
    )
    return [localise(local, zone) for local in local_times]


def _check_future(starts: list[dt.datetime], time_zone: str) -> None:
    now = timezone.now()
    if starts and starts[0] <= now:
        raise ApplicationError(
            f"Start: the session starts on {format_local(starts[0], time_zone)}, which has "
            "passed. Choose a time in the future."
        )


def _check_no_overlap(
    *,
    mentorship: Mentorship,
    starts: list[dt.datetime],
    duration_minutes: int,
    time_zone: str,
    exclude_id: int | None = None,
) -> None:
    length = dt.timedelta(minutes=duration_minutes)
    longest = dt.timedelta(minutes=MAX_MINUTES)
    existing = (
        Session.objects.for_organisation(mentorship.organisation)
        .filter(
            mentorship=mentorship,
            status=Session.Status.SCHEDULED,
            starts_at__lt=starts[-1] + length,
            starts_at__gt=starts[0] - longest,
        )
        .exclude(pk=exclude_id or 0)
        .only("starts_at", "duration_minutes")
    )
    for other in existing:
        other_end = other.starts_at + dt.timedelta(minutes=other.duration_minutes)
        for start in starts:
            if other.starts_at < start + length and start < other_end:
                raise ApplicationError(
                    "Start: this overlaps the session already scheduled on "
                    f"{format_local(other.starts_at, time_zone)}. Choose another time or "
                    "move that session first."
                )


def _lock(mentorship: Mentorship) -> None:
    Mentorship.objects.select_for_update().filter(pk=mentorship.pk).first()


@transaction.atomic
def session_schedule(
    *,
    seat: Seat,
    starts_at_local: dt.datetime,
    time_zone: str,
    duration_minutes: int,
    place: str = "",
    video_url: str = "",
    repeat_count: int = 1,
    every_weeks: int | None = None,
    base_url: str = "",
) -> list[Session]:
    """Schedule one session, or ``repeat_count`` of them every ``every_weeks`` weeks (the
    agreed rhythm by default) at the same local time."""
    require_live(seat)
    mentorship = seat.mentorship
    zone = zone_get(time_zone)
    place, video_url = place.strip(), video_url.strip()
    _check_fields(duration_minutes=duration_minutes, video_url=video_url, place=place)
    if every_weeks is None:
        every_weeks = rhythm_weeks(mentorship)
    if not 1 <= repeat_count <= MAX_REPEAT:
        raise ApplicationError(
            f"Repeat: invalid recurrence: a series has 1 to {MAX_REPEAT} sessions, "
            f"not {repeat_count}."
        )
    if not 1 <= every_weeks <= MAX_EVERY_WEEKS:
        raise ApplicationError(
            f"Every: invalid recurrence: sessions repeat every 1 to {MAX_EVERY_WEEKS} weeks, "
            f"not every {every_weeks}."
        )
    starts = _occurrences(
        starts_at_local=starts_at_local, zone=zone, count=repeat_count, every_weeks=every_weeks
    )
    _check_future(starts, time_zone)
    _lock(mentorship)
    _check_no_overlap(
        mentorship=mentorship, starts=starts, duration_minutes=duration_minutes, time_zone=time_zone
    )
    series = None
    if repeat_count > 1:
        series = SessionSeries.objects.create(
            organisation=mentorship.organisation,
            mentorship=mentorship,
            every_weeks=every_weeks,
            count=repeat_count,
            time_zone=time_zone,
            rrule=f"FREQ=WEEKLY;INTERVAL={every_weeks};COUNT={repeat_count}",
        )
    created_by = seat.member.person.user
    sessions = Session.objects.bulk_create(
        [
            Session(
                organisation=mentorship.organisation,
                mentorship=mentorship,
                series=series,
                starts_at=start,
                duration_minutes=duration_minutes,
                place=place,
                video_url=video_url,
                uid=f"{uuid.uuid4()}@twoway",
                created_by=created_by,
            )
            for start in starts
        ]
    )
    uids = [session.uid for session in sessions]
    # bulk_create sets primary keys on PostgreSQL and SQLite alike; read back by UID to be sure.
    saved = list(
        Session.objects.for_organisation(mentorship.organisation)
        .filter(uid__in=uids)
        .order_by("starts_at")
    )
    _email_after_commit("scheduled", [s.pk for s in saved], base_url)
    return saved


@transaction.atomic
def session_reschedule(
    *,
    seat: Seat,
    session: Session,
    starts_at_local: dt.datetime,
    time_zone: str,
    duration_minutes: int,
    place: str = "",
    video_url: str = "",
    base_url: str = "",
) -> Session:
    """Move a scheduled session that has not started; calendars get the same UID with a higher
    SEQUENCE."""
    require_live(seat)
    _check_own(seat, session)
    _lock(seat.mentorship)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.SCHEDULED:
        raise ApplicationError("This session was cancelled; schedule a new one instead.")
    if session.starts_at <= timezone.now():
        raise ApplicationError("This session has already started; it can no longer be moved.")
    zone = zone_get(time_zone)
    place, video_url = place.strip(), video_url.strip()
    _check_fields(duration_minutes=duration_minutes, video_url=video_url, place=place)
    starts = [localise(starts_at_local, zone)]
    _check_future(starts, time_zone)
    _check_no_overlap(
        mentorship=seat.mentorship,
        starts=starts,
        duration_minutes=duration_minutes,
        time_zone=time_zone,
        exclude_id=session.pk,
    )
    session.starts_at = starts[0]
    session.duration_minutes = duration_minutes
    session.place = place
    session.video_url = video_url
    session.sequence += 1
    session.save(
        update_fields=[
            "starts_at",
            "duration_minutes",
            "place",
            "video_url",
            "sequence",
            "updated_at",
        ]
    )
    _email_after_commit("rescheduled", [session.pk], base_url)
    return session


@transaction.atomic
def session_cancel(
    *, seat: Seat, session: Session, whole_series: bool = False, base_url: str = ""
) -> list[Session]:
    """Cancel a session that has not started, or with ``whole_series`` every remaining future
    session of its series. Cancelled sessions stay (calendars need their UID to remove them)."""
    require_live(seat)
    _check_own(seat, session)
    _lock(seat.mentorship)
    now = timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.SCHEDULED:
        raise ApplicationError("This session is already cancelled.")
    if session.starts_at <= now:
        raise ApplicationError("This session has already started; it can no longer be cancelled.")
    scope = Session.objects.for_organisation(seat.mentorship.organisation).filter(
        mentorship=seat.mentorship, status=Session.Status.SCHEDULED, starts_at__gt=now
    )
    if whole_series and session.series_id:
        scope = scope.filter(series_id=session.series_id)
    else:
        scope = scope.filter(pk=session.pk)
    cancelled = list(scope.select_for_update())
    for item in cancelled:
        item.status = Session.Status.CANCELLED
        item.sequence += 1
    Session.objects.bulk_update(cancelled, ["status", "sequence", "updated_at"])
    _email_after_commit("cancelled", [item.pk for item in cancelled], base_url)
    return cancelled


@transaction.atomic
def attendance_record(
    *, seat: Seat, session: Session, present_member_ids: Sequence[int]
) -> list[Attendance]:
    """The register of a circle's session once it has started: the members listed were there,
    the others were not. Replaces an earlier register."""
    require_live(seat)
    _check_own(seat, session)
    mentorship = seat.mentorship
    if mentorship.kind != Mentorship.Kind.CIRCLE:
        raise ApplicationError(
            "Attendance is kept for circles only; a pair's sessions need no register."
        )
    if session.status != Session.Status.SCHEDULED:
        raise ApplicationError("This session was cancelled; there is no attendance to record.")
    if session.starts_at > timezone.now():
        raise ApplicationError(
            "Attendance: this session has not started yet; record who came once it has."
        )
    members = list(mentorship.members.all())
    member_ids = {member.pk for member in members}
    unknown = set(present_member_ids) - member_ids
    if unknown:
        raise ApplicationError("Attendance: only the members of this circle can be marked present.")
    Attendance.objects.filter(session=session).delete()
    present = set(present_member_ids)
    if present:
        # Someone came: the circle's first session held is a milestone.
        celebration_record(mentorship=mentorship, kind=Celebration.Kind.FIRST_SESSION)
    return Attendance.objects.bulk_create(
        [
            Attendance(
                organisation=mentorship.organisation,
                session=session,
                member=member,
                status=Attendance.Status.PRESENT
                if member.pk in present
                else Attendance.Status.ABSENT,
            )
            for member in members
        ]
    )


def _check_own(seat: Seat, session: Session) -> None:
    if session.mentorship_id != seat.mentorship.pk:
        raise ApplicationError("This session does not exist.")


# --- Calendar feed -------------------------------------------------------------------------


def calendar_feed_get_or_create(*, membership: Membership) -> CalendarFeed:
    """The member's secret feed for this organisation, made on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(
        organisation=membership.organisation, user=membership.user
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, membership: Membership) -> CalendarFeed:
    """Delete the feed and make a new one: the old URL answers 404 from now on."""
    CalendarFeed.objects.filter(organisation=membership.organisation, user=membership.user).delete()
    return CalendarFeed.objects.create(organisation=membership.organisation, user=membership.user)


# --- Emails ----------------------------------------------------------------------------------


def _email_after_commit(action: str, session_ids: list[int], base_url: str) -> None:
    if session_ids:
        transaction.on_commit(lambda: send_session_emails.enqueue(action, session_ids, base_url))


SUBJECTS = {
    "scheduled": "A mentoring session was scheduled",
    "rescheduled": "A mentoring session was moved",
    "cancelled": "A mentoring session was cancelled",
}


def email_body(
    *, action: str, program: str, sessions: list[Session], time_zone: str, link: str
) -> str:
    """What the email says: the program, when, and a link. Nothing a member wrote."""
    first = format_local(sessions[0].starts_at, time_zone)
    if action == "cancelled":
        what = (
            f"The session of your mentorship in {program} on {first} was cancelled."
            if len(sessions) == 1
            else f"{len(sessions)} sessions of your mentorship in {program}, from {first} on, "
            "were cancelled."
        )
    elif action == "rescheduled":
        what = f"A session of your mentorship in {program} was moved to {first}."
    elif len(sessions) == 1:
        what = f"A session of your mentorship in {program} is scheduled for {first}."
    else:
        what = (
            f"{len(sessions)} sessions of your mentorship in {program} are scheduled, the "
            f"first for {first}."
        )
    return f"Hello,\n\n{what}\n\nOpen the room: {link}\n\nYou will be asked to sign in first.\n"


@task()
def send_session_emails(action: str, session_ids: list[int], base_url: str) -> int:
    """One email per member with an address, with the sessions as an iCalendar attachment
    (REQUEST, or CANCEL for ``cancelled``). Returns how many were sent."""
    from twoway.matching.self_service import site_url
    from twoway.rooms.calendar import invitation_ics, member_email, room_url

    sessions = list(
        Session.objects.filter(pk__in=session_ids)
        .select_related("organisation", "mentorship__program")
        .prefetch_related("mentorship__members__person__user")
        .order_by("starts_at")
    )
    if not sessions:
        return 0
    base = site_url(base_url)
    method = "CANCEL" if action == "cancelled" else "REQUEST"
    attachment = invitation_ics(sessions, method, base)
    link = room_url(sessions[0], base)
    program = sessions[0].mentorship.program.name
    sent = 0
    for member in sessions[0].mentorship.members.all():
        address = member_email(member)
        if not address:
            continue
        user = member.person.user
        zone = user.time_zone if user is not None and user.time_zone in _known_zones() else "UTC"
        message = EmailMessage(
            subject=SUBJECTS[action],
            body=email_body(
                action=action, program=program, sessions=sessions, time_zone=zone, link=link
            ),
            to=[address],
        )
        part = MIMEText(attachment.decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="session.ics")
        message.attach(part)
        message.send()
        sent += 1
    return sent
