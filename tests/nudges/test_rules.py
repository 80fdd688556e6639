"""The shared conditions: quiet mentorships and overdue action items."""

from __future__ import annotations

import pytest

from tests.nudges.factories import NOW, action_item, days, room_at, session_at
from twoway.mentorships.models import Mentorship
from twoway.nudges.models import NudgeSettings
from twoway.nudges.rules import mentorships_with_overdue_actions, quiet_mentorships, settings_for
from twoway.rooms.models import Session

pytestmark = pytest.mark.django_db


def test_a_pair_is_quiet_after_its_rhythm_plus_grace_without_a_held_session(actors):
    # Given a 2-week rhythm and the default 7 days' grace (21 days)
    quiet = room_at(actors, started=NOW - days(60))
    session_at(quiet, NOW - days(22))
    met = room_at(actors, started=NOW - days(60))
    session_at(met, NOW - days(20))
    cancelled_only = room_at(actors, started=NOW - days(60))
    session_at(cancelled_only, NOW - days(3), status=Session.Status.CANCELLED)
    future_only = room_at(actors, started=NOW - days(60))
    session_at(future_only, NOW + days(3))

    for room in (met,):
        assert not quiet_mentorships(program=room.program, now=NOW).exists()
    for room in (quiet, cancelled_only, future_only):
        assert list(quiet_mentorships(program=room.program, now=NOW)) == [room.mentorship]


def test_a_new_pair_counts_from_its_start_and_pending_ones_are_not_quiet(actors):
    fresh = room_at(actors, started=NOW - days(20))
    old = room_at(actors, started=NOW - days(22))
    pending = room_at(actors, started=NOW - days(90), status=Mentorship.Status.AGREEMENT_PENDING)
    assert not quiet_mentorships(program=fresh.program, now=NOW).exists()
    assert quiet_mentorships(program=old.program, now=NOW).get() == old.mentorship
    assert not quiet_mentorships(program=pending.program, now=NOW).exists()


def test_the_agreed_rhythm_and_the_programs_grace_set_the_threshold(actors):
    monthly = room_at(actors, started=NOW - days(90), rhythm_weeks=4)
    session_at(monthly, NOW - days(30))
    assert not quiet_mentorships(program=monthly.program, now=NOW).exists()  # 28 + 7 = 35
    NudgeSettings.objects.create(
        organisation=actors.organisation, program=monthly.program, quiet_grace_days=1
    )
    assert quiet_mentorships(program=monthly.program, now=NOW).get() == monthly.mentorship
    assert not quiet_mentorships(program=monthly.program, now=NOW, grace_days=3).exists()


def test_without_an_agreement_the_programs_cadence_applies(actors):
    room = room_at(actors, started=NOW - days(90), rhythm_weeks=None)
    session_at(room, NOW - days(30))
    room.program.cadence_weeks = 4
    assert not quiet_mentorships(program=room.program, now=NOW).exists()
    room.program.cadence_weeks = 3  # 21 + 7 = 28 < 30
    assert quiet_mentorships(program=room.program, now=NOW).get() == room.mentorship


def test_overdue_actions(actors):
    late = room_at(actors, started=NOW - days(60))
    action_item(late, due_on=(NOW - days(5)).date())
    done = room_at(actors, started=NOW - days(60))
    action_item(done, due_on=(NOW - days(5)).date(), status="done")
    soon = room_at(actors, started=NOW - days(60))
    action_item(soon, due_on=(NOW + days(1)).date())
    assert mentorships_with_overdue_actions(program=late.program, now=NOW).get() == late.mentorship
    assert not mentorships_with_overdue_actions(program=done.program, now=NOW).exists()
    assert not mentorships_with_overdue_actions(program=soon.program, now=NOW).exists()
    assert not mentorships_with_overdue_actions(program=late.program, now=NOW, days=5).exists()


def test_settings_for_gives_unsaved_defaults_then_the_saved_row(actors):
    room = room_at(actors, started=NOW)
    defaults = settings_for(room.program)
    assert defaults.pk is None and defaults.quiet_grace_days == 7
    saved = NudgeSettings.objects.create(
        organisation=actors.organisation, program=room.program, quiet_grace_days=2
    )
    assert settings_for(room.program) == saved
