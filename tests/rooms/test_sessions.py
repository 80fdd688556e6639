"""Scheduling sessions: series across daylight-saving changes, refusals that save nothing,
rescheduling and cancelling, attendance of circles, and the emails (a link and an invitation,
never agenda text)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from icalendar import Calendar

from tests.authz import Actors
from tests.rooms.factories import Room, make_room
from twoway.core.errors import ApplicationError
from twoway.mentorships.models import Mentorship
from twoway.rooms.access import Seat
from twoway.rooms.models import AgendaItem, Attendance, Session, SessionSeries
from twoway.rooms.services import sessions

pytestmark = pytest.mark.django_db

BASE = "https://twoway.example/"
SECRET = "AGENDA-SECRET-7f3a"


def seat_of(room: Room, user: Any = None) -> Seat:
    member = room.member(user or room.mentee)
    return Seat(mentorship=room.mentorship, member=member)


def last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def first_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


FUTURE_YEAR = dt.date.today().year + 2


def schedule(seat: Seat, when: dt.datetime, **kwargs: Any) -> list[Session]:
    fields: dict[str, Any] = {"time_zone": "Europe/Berlin", "duration_minutes": 60}
    fields.update(kwargs)
    return sessions.session_schedule(seat=seat, starts_at_local=when, base_url=BASE, **fields)


@pytest.fixture(name="room")
def room_fixture(actors: Actors) -> Room:
    return make_room(actors)


def ics_starts(payload: bytes) -> list[dt.datetime]:
    calendar = Calendar.from_ical(payload)
    return sorted(event.decoded("dtstart") for event in calendar.walk("VEVENT"))


def test_a_weekly_series_at_nine_in_berlin_stays_at_nine_across_the_spring_change(
    room: Room,
) -> None:
    # Given a Monday two weeks before the clocks go forward in Europe
    change = last_sunday(FUTURE_YEAR, 3)
    monday = change - dt.timedelta(days=13)
    # When a member schedules four weekly sessions at 09:00 Berlin time
    made = schedule(
        seat_of(room), dt.datetime.combine(monday, dt.time(9)), repeat_count=4, every_weeks=1
    )
    # Then the invitation has them at 08:00 UTC before the change and 07:00 UTC after it
    from twoway.rooms.calendar import invitation_ics

    loaded = list(
        Session.objects.filter(pk__in=[s.pk for s in made])
        .select_related("organisation", "mentorship__program")
        .prefetch_related("mentorship__members__person__user")
    )
    starts = ics_starts(invitation_ics(loaded, "REQUEST", BASE))
    assert [s.tzinfo == dt.UTC or s.utcoffset() == dt.timedelta(0) for s in starts] == [True] * 4
    assert [(s.date(), s.hour) for s in starts] == [
        (monday, 8),
        (monday + dt.timedelta(days=7), 8),
        (monday + dt.timedelta(days=14), 7),
        (monday + dt.timedelta(days=21), 7),
    ]
    series = SessionSeries.objects.get(mentorship=room.mentorship)
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=1;COUNT=4"
    assert {s.series_id for s in made} == {series.pk}
    assert all(s.uid.endswith("@twoway") for s in made)
    assert {s.created_by_id for s in made} == {room.mentee.pk}


def test_a_series_in_new_york_across_november_keeps_its_local_time(room: Room) -> None:
    change = first_sunday(FUTURE_YEAR, 11)
    monday = change - dt.timedelta(days=13)
    made = schedule(
        seat_of(room),
        dt.datetime.combine(monday, dt.time(9)),
        time_zone="America/New_York",
        repeat_count=4,
        every_weeks=1,
    )
    hours = [s.starts_at.astimezone(dt.UTC).hour for s in made]
    assert hours == [13, 13, 14, 14]  # EDT (UTC-4), then EST (UTC-5)


def test_the_series_uses_the_agreed_rhythm_by_default(room: Room) -> None:
    start = dt.datetime(FUTURE_YEAR, 6, 3, 10)
    made = schedule(seat_of(room), start, repeat_count=3)
    rhythm = sessions.rhythm_weeks(room.mentorship)
    gaps = {(b.starts_at - a.starts_at).days for a, b in itertools.pairwise(made)}
    assert gaps == {7 * rhythm}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "not a time zone we know"),
        ({"duration_minutes": 10}, "between 15 and 480 minutes"),
        ({"duration_minutes": 481}, "between 15 and 480 minutes"),
        ({"repeat_count": 53}, "invalid recurrence"),
        ({"repeat_count": 0}, "invalid recurrence"),
        ({"repeat_count": 2, "every_weeks": 13}, "invalid recurrence"),
        ({"video_url": "javascript:alert(1)"}, "Video link"),
    ],
)
def test_invalid_requests_are_refused_with_a_clear_message_and_nothing_saved(
    room: Room, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ApplicationError, match=message):
        schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10), **change)
    assert not Session.objects.exists()


def test_a_start_in_the_past_is_refused(room: Room) -> None:
    with pytest.raises(ApplicationError) as refused:
        schedule(seat_of(room), dt.datetime(2020, 1, 6, 9))
    assert (
        "Monday 06 January 2020, 09:00 (Europe/Berlin), which has passed" in refused.value.message
    )
    assert not Session.objects.exists()


def test_a_time_inside_the_daylight_saving_gap_is_refused(room: Room) -> None:
    gap = dt.datetime.combine(last_sunday(FUTURE_YEAR, 3), dt.time(2, 30))
    with pytest.raises(ApplicationError, match="does not exist in Europe/Berlin"):
        schedule(seat_of(room), gap)
    assert not Session.objects.exists()


def test_an_overlapping_series_is_refused_naming_the_clash_and_nothing_is_saved(
    room: Room,
) -> None:
    # Given a session on a Wednesday at 10:00 Berlin time
    existing = dt.datetime(FUTURE_YEAR, 6, 10, 10)
    schedule(seat_of(room), existing)
    # When the other member schedules a weekly series whose second session overlaps it
    with pytest.raises(ApplicationError) as refused:
        schedule(
            seat_of(room, room.mentor),
            dt.datetime(FUTURE_YEAR, 6, 3, 10, 30),
            repeat_count=3,
            every_weeks=1,
        )
    # Then it is refused naming the clash in the scheduler's zone, and nothing new is saved
    assert f"10 June {FUTURE_YEAR}, 10:00 (Europe/Berlin)" in refused.value.message
    assert Session.objects.count() == 1
    assert not SessionSeries.objects.exists()


def test_a_cancelled_session_does_not_block_its_slot(room: Room) -> None:
    when = dt.datetime(FUTURE_YEAR, 6, 10, 10)
    [first] = schedule(seat_of(room), when)
    sessions.session_cancel(seat=seat_of(room), session=first)
    assert len(schedule(seat_of(room), when)) == 1


def test_an_ended_mentorship_cannot_schedule(room: Room) -> None:
    Mentorship.objects.filter(pk=room.mentorship.pk).update(status=Mentorship.Status.ENDED_EARLY)
    room.mentorship.refresh_from_db()
    with pytest.raises(ApplicationError, match="read-only"):
        schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))


def test_reschedule_moves_the_session_and_raises_its_sequence(room: Room) -> None:
    [session] = schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    moved = sessions.session_reschedule(
        seat=seat_of(room),
        session=session,
        starts_at_local=dt.datetime(FUTURE_YEAR, 6, 4, 15),
        time_zone="UTC",
        duration_minutes=30,
        place="Café",
        video_url="https://meet.example/abc",
    )
    moved.refresh_from_db()
    assert moved.starts_at == dt.datetime(FUTURE_YEAR, 6, 4, 15, tzinfo=dt.UTC)
    assert (moved.sequence, moved.uid) == (1, session.uid)
    assert (moved.place, moved.duration_minutes) == ("Café", 30)


def test_cancelling_the_whole_series_cancels_only_its_future_sessions(room: Room) -> None:
    made = schedule(
        seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10), repeat_count=4, every_weeks=1
    )
    [other] = schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 5, 10))
    # The first session of the series has already happened
    Session.objects.filter(pk=made[0].pk).update(starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    cancelled = sessions.session_cancel(seat=seat_of(room), session=made[1], whole_series=True)
    assert sorted(s.pk for s in cancelled) == [s.pk for s in made[1:]]
    statuses = dict(Session.objects.values_list("pk", "status"))
    assert statuses[made[0].pk] == statuses[other.pk] == Session.Status.SCHEDULED
    assert {statuses[s.pk] for s in made[1:]} == {Session.Status.CANCELLED}
    assert set(
        Session.objects.filter(pk__in=[s.pk for s in made[1:]]).values_list("sequence", flat=True)
    ) == {1}


def test_attendance_is_for_circles_once_the_session_has_started(actors: Actors) -> None:
    circle = make_room(actors, kind=Mentorship.Kind.CIRCLE)
    seat = seat_of(circle)
    [session] = schedule(seat, dt.datetime(FUTURE_YEAR, 6, 3, 10))
    members = list(circle.mentorship.members.all())
    with pytest.raises(ApplicationError, match="has not started"):
        sessions.attendance_record(seat=seat, session=session, present_member_ids=[])
    Session.objects.filter(pk=session.pk).update(starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    session.refresh_from_db()
    sessions.attendance_record(seat=seat, session=session, present_member_ids=[members[0].pk])
    sessions.attendance_record(
        seat=seat, session=session, present_member_ids=[members[0].pk, members[1].pk]
    )
    recorded = dict(Attendance.objects.values_list("member_id", "status"))
    assert recorded == {m.pk: "present" if m in members[:2] else "absent" for m in members}


def test_attendance_is_refused_for_a_pair(room: Room) -> None:
    [session] = schedule(seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 10))
    with pytest.raises(ApplicationError, match="circles only"):
        sessions.attendance_record(seat=seat_of(room), session=session, present_member_ids=[])


def test_each_member_gets_one_email_per_series_with_an_invitation_and_no_agenda_text(
    room: Room, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from twoway.accounts.models import User

    User.objects.filter(pk=room.mentor.pk).update(time_zone="America/New_York")
    with django_capture_on_commit_callbacks(execute=True):
        made = schedule(
            seat_of(room), dt.datetime(FUTURE_YEAR, 6, 3, 9), repeat_count=3, every_weeks=1
        )
    AgendaItem.objects.create(
        organisation=room.mentorship.organisation, session=made[0], position=1, text=SECRET
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([room.mentor.email, room.mentee.email])
    to_mentor = next(m for m in mail.outbox if m.to == [room.mentor.email])
    # The mentor reads the time in their own zone: 09:00 Berlin is 03:00 in New York
    assert "03:00 (America/New_York)" in to_mentor.body
    assert f"/o/acme/mentorships/{room.mentorship.pk}/" in to_mentor.body
    assert room.program.name in to_mentor.body
    [attachment] = to_mentor.attachments
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    assert calendar["method"] == "REQUEST"
    assert len(calendar.walk("VEVENT")) == 3
    # When a member cancels with an agenda on the session, the email still says nothing of it
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sessions.session_cancel(seat=seat_of(room), session=made[0], base_url=BASE)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert SECRET not in message.body
        payload = message.attachments[0].get_payload(decode=True)
        assert SECRET.encode() not in payload
        cancel = Calendar.from_ical(payload)
        assert cancel["method"] == "CANCEL"
        assert [str(e["status"]) for e in cancel.walk("VEVENT")] == ["CANCELLED"]
