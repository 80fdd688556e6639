"""The sweep: each rule nudges the right people once per period, and nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from tests.nudges.factories import NOW, action_item, days, note_on, room_at, session_at
from tests.programs.factories import apply, invite, make_program
from tests.rooms.factories import new_participant
from twoway.matching.models import MatchRequest
from twoway.mentorships.models import Mentorship
from twoway.notifications.models import Kind, Notification
from twoway.nudges.models import Nudge, NudgeSettings, Rule
from twoway.nudges.services import nudges_sweep, sweep_period
from twoway.programs.models import Program
from twoway.rooms.models import MemberStatement

pytestmark = pytest.mark.django_db


def recipients(rule: str) -> set[int]:
    return set(Nudge.objects.filter(rule=rule).values_list("recipient_id", flat=True))


def test_quiet_pairs_are_nudged_once_with_a_title_and_a_link_only(
    actors, django_capture_on_commit_callbacks
):
    quiet = room_at(actors, started=NOW - days(60))
    session_at(quiet, NOW - days(25))
    met = room_at(actors, started=NOW - days(60))
    session_at(met, NOW - days(4))

    with django_capture_on_commit_callbacks(execute=True):
        counts = nudges_sweep(now=NOW)

    assert counts["quiet"] == 2
    assert recipients(Rule.QUIET) == {quiet.mentor.pk, quiet.mentee.pk}
    notification = Notification.objects.get(user=quiet.mentee)
    assert notification.kind == Kind.NUDGE
    assert notification.title == (
        f"Your mentorship in {quiet.program.name} has had no session for 3 weeks"
    )
    assert notification.url == f"/o/acme/mentorships/{quiet.mentorship.pk}/"
    assert Nudge.objects.get(recipient=quiet.mentee).notification == notification
    assert sorted(m.to[0] for m in mail.outbox) == sorted([quiet.mentor.email, quiet.mentee.email])
    for message in mail.outbox:
        assert message.subject == notification.title
        assert "/o/acme/notifications/" in message.body
        assert "secret" not in message.body and "analytics" not in message.body

    # A second sweep in the same period sends nothing new.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = nudges_sweep(now=NOW + dt.timedelta(hours=1))
    assert sum(again.values()) == 0
    assert mail.outbox == []
    assert Nudge.objects.count() == 2 and Notification.objects.count() == 2

    # After repeat_days the rule may fire again.
    later = nudges_sweep(now=NOW + days(7))
    assert later["quiet"] == 2
    assert Nudge.objects.count() == 4


def test_the_agreement_rule_nudges_the_members_who_have_not_accepted(actors):
    late = room_at(actors, started=NOW - days(10), status=Mentorship.Status.AGREEMENT_PENDING)
    MemberStatement.objects.filter(member=late.member(late.mentor)).update(accepted_version=1)
    recent = room_at(actors, started=NOW - days(3), status=Mentorship.Status.AGREEMENT_PENDING)

    counts = nudges_sweep(now=NOW)

    assert counts["agreement"] == 1
    assert recipients(Rule.AGREEMENT) == {late.mentee.pk}
    assert not Nudge.objects.filter(mentorship=recent.mentorship).exists()


def test_overdue_actions_nudge_the_owner_or_every_member_when_nobody_owns_it(actors):
    owned = room_at(actors, started=NOW - days(3))
    action_item(owned, due_on=(NOW - days(5)).date(), owner=owned.member(owned.mentor))
    action_item(owned, due_on=(NOW - days(6)).date(), owner=owned.member(owned.mentor))
    unowned = room_at(actors, started=NOW - days(3))
    action_item(unowned, due_on=(NOW - days(5)).date())
    done = room_at(actors, started=NOW - days(3))
    action_item(done, due_on=(NOW - days(5)).date(), status="done")
    barely = room_at(actors, started=NOW - days(3))
    action_item(barely, due_on=(NOW - days(2)).date())  # within the 3 days allowed

    counts = nudges_sweep(now=NOW)

    assert counts["overdue_actions"] == 3
    assert recipients(Rule.OVERDUE_ACTIONS) == {
        owned.mentor.pk,
        unowned.mentor.pk,
        unowned.mentee.pk,
    }
    assert Notification.objects.get(user=owned.mentor).title == (
        "An action item is overdue in your mentorship"
    )


def test_a_request_about_to_expire_nudges_its_mentor(actors):
    room = room_at(actors, started=NOW - days(1))
    program = room.program
    mentee, mentor, other_mentor = (new_participant(actors) for _ in range(3))
    mentee_app = apply(program, mentee)
    soon = MatchRequest.objects.create(
        organisation=actors.organisation,
        program=program,
        mentee=mentee_app,
        mentor=apply(program, mentor, role="mentor"),
        expires_at=NOW + dt.timedelta(hours=40),
    )
    MatchRequest.objects.create(
        organisation=actors.organisation,
        program=program,
        mentee=mentee_app,
        mentor=apply(program, other_mentor, role="mentor"),
        expires_at=NOW + days(5),
    )

    assert nudges_sweep(now=NOW)["request_expiring"] == 1

    nudge = Nudge.objects.get(rule=Rule.REQUEST_EXPIRING)
    assert nudge.recipient == mentor and nudge.subject_key == f"request:{soon.pk}"
    assert nudge.notification.title == "A mentoring request to you expires in 2 days"
    assert nudge.notification.url == f"/o/acme/find-a-mentor/programs/{program.pk}/requests/"


def test_an_unfinished_application_nudges_the_invitee_of_an_enrolling_program(actors):
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        status=Program.Status.ENROLLING,
    )
    waiting, applied, fresh = (new_participant(actors) for _ in range(3))
    for user, sent in ((waiting, NOW - days(5)), (applied, NOW - days(5)), (fresh, NOW)):
        invitation = invite(program, user)
        invitation.sent_at = sent
        invitation.save(update_fields=["sent_at"])
    apply(program, applied)

    assert nudges_sweep(now=NOW)["unfinished_application"] == 1

    nudge = Nudge.objects.get(rule=Rule.UNFINISHED_APPLICATION)
    assert nudge.recipient == waiting and nudge.mentorship is None
    assert nudge.notification.title == f"Your application to {program.name} is not finished"
    assert nudge.notification.url == f"/o/acme/enrolment/programs/{program.pk}/apply/"


def test_a_circle_session_without_notes_nudges_the_circles_mentor(actors):
    circle = room_at(actors, started=NOW - days(20), kind=Mentorship.Kind.CIRCLE)
    bare = session_at(circle, dt.datetime(2026, 3, 12, 23, 30, tzinfo=dt.UTC))
    noted = session_at(circle, NOW - days(5))
    note_on(circle, noted, circle.member(circle.mentee))
    session_at(circle, NOW - days(1))  # too recent: notes may still come

    assert nudges_sweep(now=NOW)["circle_notes"] == 1

    nudge = Nudge.objects.get(rule=Rule.CIRCLE_NOTES)
    assert nudge.recipient == circle.mentor and nudge.subject_key == f"session:{bare.pk}"
    assert nudge.notification.title == "Add notes for your circle session of 12 March 2026"
    assert nudge.notification.url.endswith(f"/sessions/{bare.pk}/")
    assert "secret" not in nudge.notification.title


def test_disabled_rules_do_not_fire_and_settings_move_the_thresholds(actors):
    room = room_at(actors, started=NOW - days(60))
    session_at(room, NOW - days(10))
    action_item(room, due_on=(NOW - days(5)).date())
    settings = NudgeSettings.objects.create(
        organisation=actors.organisation,
        program=room.program,
        overdue_actions_enabled=False,
        quiet_grace_days=0,  # 14 days of rhythm and no grace: 10 days is fine
    )
    assert sum(nudges_sweep(now=NOW).values()) == 0

    settings.quiet_enabled = False
    settings.overdue_actions_enabled = True
    settings.overdue_actions_days = 10
    settings.save()
    assert sum(nudges_sweep(now=NOW).values()) == 0

    settings.quiet_enabled = True
    settings.overdue_actions_days = 1
    settings.save()
    counts = nudges_sweep(now=NOW + days(5))  # last session 15 days ago
    assert counts["quiet"] == 2 and counts["overdue_actions"] == 2


def test_the_sweep_can_be_limited_to_one_program_and_skips_finished_programs(actors):
    one = room_at(actors, started=NOW - days(60))
    two = room_at(actors, started=NOW - days(60))
    closed = room_at(actors, started=NOW - days(60))
    Program.objects.filter(pk=closed.program.pk).update(status=Program.Status.CLOSED)

    assert nudges_sweep(now=NOW, program=one.program)["quiet"] == 2
    assert set(Nudge.objects.values_list("program_id", flat=True)) == {one.program.pk}
    assert nudges_sweep(now=NOW)["quiet"] == 2
    assert set(Nudge.objects.values_list("program_id", flat=True)) == {
        one.program.pk,
        two.program.pk,
    }


def test_periods_are_blocks_of_repeat_days():
    assert sweep_period(now=NOW, repeat_days=7) == sweep_period(now=NOW + days(1), repeat_days=7)
    assert sweep_period(now=NOW, repeat_days=7) != sweep_period(now=NOW + days(7), repeat_days=7)
    assert sweep_period(now=NOW, repeat_days=0) == sweep_period(now=NOW, repeat_days=1)
