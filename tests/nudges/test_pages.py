"""The program's nudges page and a manager's one-click nudge: who may use them, what they
refuse, and a query count that does not grow with the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import assert_access
from tests.nudges.factories import NOW, days, room_at
from tests.programs.factories import make_program
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.notifications.models import Kind, Notification
from twoway.nudges.models import Nudge, NudgeSettings, Rule
from twoway.nudges.services import nudge_send_manual, nudges_sweep

pytestmark = pytest.mark.django_db


def page_url(program) -> str:
    return reverse("nudges:program", args=["acme", program.pk])


def nudge_url(mentorship) -> str:
    return reverse("nudges:mentorship_nudge", args=["acme", mentorship.pk])


def test_the_nudges_page_is_for_the_programs_managers_and_admins(client, actors):
    room = room_at(actors, started=NOW - days(60))
    nudges_sweep(now=NOW)
    responses = assert_access(
        client, actors, page_url(room.program), allowed={"program_manager", "admin"}
    )
    page = responses["program_manager"].content.decode()
    assert "No session within the agreed rhythm plus grace" in page
    assert reverse("rooms:overview", args=["acme", room.mentorship.pk]) in page
    assert "Mentee" in page and "Mentor" in page


def test_a_manager_of_another_program_gets_404(client, actors):
    room = room_at(actors, started=NOW)
    Membership.objects.filter(user=room.bystander).update(role="program_manager")
    make_program(organisation=actors.organisation, manager=room.bystander, name="Another")
    client.force_login(room.bystander)
    assert client.get(page_url(room.program)).status_code == 404
    assert client.post(nudge_url(room.mentorship)).status_code == 404
    assert not Nudge.objects.exists()


def test_settings_are_saved_and_bad_numbers_are_refused_on_their_field(client, actors):
    room = room_at(actors, started=NOW)
    client.force_login(actors.program_manager)
    form = {
        "quiet_enabled": "on",
        "quiet_grace_days": "3",
        "agreement_days": "7",
        "overdue_actions_days": "3",
        "request_expiring_hours": "48",
        "unfinished_application_days": "3",
        "circle_notes_days": "2",
        "repeat_days": "7",
    }
    response = client.post(page_url(room.program), {**form, "repeat_days": "0"})
    assert response.status_code == 400
    assert "Choose at least 1 days." in response.content.decode()
    assert 'aria-describedby="id_repeat_days_error id_repeat_days_helptext"' in (
        response.content.decode()
    )
    response = client.post(page_url(room.program), {**form, "quiet_grace_days": "many"})
    assert "Enter a whole number of days." in response.content.decode()
    assert not NudgeSettings.objects.exists()

    response = client.post(page_url(room.program), form)
    assert response.status_code == 302
    saved = NudgeSettings.objects.get(program=room.program)
    assert saved.quiet_enabled and saved.quiet_grace_days == 3
    assert not saved.agreement_enabled and not saved.circle_notes_enabled


def test_the_history_page_has_the_same_queries_for_1_and_20_nudges(client, actors):
    room = room_at(actors, started=NOW - days(60))
    client.force_login(actors.program_manager)
    nudges_sweep(now=NOW)  # 2 nudges
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(room.program)).status_code == 200
    for week in range(1, 10):
        nudges_sweep(now=NOW + days(7 * week))
    assert Nudge.objects.count() == 20
    with CaptureQueriesContext(connection) as many:
        response = client.get(page_url(room.program), {"rule": Rule.QUIET})
    assert response.content.decode().count("<tr>") == 21
    assert len(many) == len(few)
    assert (
        client.get(page_url(room.program), {"rule": Rule.MANUAL}).content.decode().count("<tr>")
        == 0
    )


def test_the_one_click_nudge(client, actors, django_capture_on_commit_callbacks):
    room = room_at(actors, started=NOW)
    back = f"/o/acme/insights/program/{room.program.pk}/"
    responses = assert_access(
        client,
        actors,
        nudge_url(room.mentorship),
        allowed={"program_manager", "admin"},
        method="post",
        data={"next": back},
        ok_status=302,
    )
    assert responses["program_manager"]["Location"] == back
    assert Nudge.objects.filter(rule=Rule.MANUAL).count() == 2
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.MANAGER_NUDGE}

    # The admin's click the same day (after the manager's) was refused: nothing more was sent.
    assert responses["admin"]["Location"] == back
    client.force_login(actors.admin)
    response = client.post(
        nudge_url(room.mentorship), {"next": "https://evil.example/"}, follow=True
    )
    assert "This mentorship was already nudged today" in response.content.decode()
    assert response.redirect_chain[0][0] == page_url(room.program)
    assert Nudge.objects.count() == 2
    assert client.get(nudge_url(room.mentorship)).status_code == 405


def test_manual_nudge_service_refuses_a_second_nudge_the_same_day(actors):
    room = room_at(actors, started=NOW)
    admin = Membership.objects.get(user=actors.admin)
    sent = nudge_send_manual(actor=admin, mentorship=room.mentorship, now=NOW)
    assert {n.recipient_id for n in sent} == {room.mentor.pk, room.mentee.pk}
    assert all(n.sent_by == actors.admin for n in sent)
    with pytest.raises(ApplicationError, match="already nudged today"):
        nudge_send_manual(actor=admin, mentorship=room.mentorship, now=NOW + dt.timedelta(hours=2))
    assert len(nudge_send_manual(actor=admin, mentorship=room.mentorship, now=NOW + days(1))) == 2
