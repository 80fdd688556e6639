"""Two worker processes sweeping one PostgreSQL database at once send each due nudge once."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.utils import timezone

from tests.nudges.factories import days, room_at
from tests.nudges.processes import ROOT, postgresql_only, process_env
from twoway.notifications.models import Notification
from twoway.nudges.models import Nudge, Rule

ROOMS = 12  # two members each: 24 due nudges


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_processes_sweeping_at_once_send_each_nudge_exactly_once(actors):
    rooms = [room_at(actors, started=timezone.now() - days(60)) for _ in range(ROOMS)]
    expected = {
        (Rule.QUIET.value, f"mentorship:{room.mentorship.pk}", user.pk)
        for room in rooms
        for user in (room.mentor, room.mentee)
    }
    env = process_env(TWOWAY_TASKS_IMMEDIATE="1")  # deliveries run in the sweeping process
    command = [sys.executable, str(ROOT / "manage.py"), "nudge", "--now"]
    processes = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0]

    rows = list(Nudge.objects.values_list("rule", "subject_key", "recipient_id"))
    assert sorted(rows) == sorted(expected)  # each due nudge exists once
    per_recipient = Notification.objects.filter(user__in=[u for *_, u in expected])
    assert per_recipient.count() == len(expected)
    assert all(n.notification_id for n in Nudge.objects.all())
    sent = [int(re.search(r"(\d+) nudges sent", out).group(1)) for out in outputs]
    assert sum(sent) == len(expected)
    emails = sum(out.count("\nSubject: ") + out.startswith("Subject: ") for out in outputs)
    assert emails == len(expected)
