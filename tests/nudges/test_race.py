"""Two worker processes sweeping one PostgreSQL database at once send each due nudge once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.nudges.factories import days, room_at
from twoway.notifications.models import Notification
from twoway.nudges.models import Nudge, Rule

ROOT = Path(__file__).resolve().parents[2]
ROOMS = 12  # two members each: 24 due nudges


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite lets one writer in at a time; the race needs two PostgreSQL connections",
)
def test_two_processes_sweeping_at_once_send_each_nudge_exactly_once(actors):
    rooms = [room_at(actors, started=timezone.now() - days(60)) for _ in range(ROOMS)]
    expected = {
        (Rule.QUIET.value, f"mentorship:{room.mentorship.pk}", user.pk)
        for room in rooms
        for user in (room.mentor, room.mentee)
    }
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TWOWAY_ENV": "development",  # the console email backend: each email is printed
        "TWOWAY_TASKS_IMMEDIATE": "1",  # deliveries run in the sweeping process
        "DJANGO_SETTINGS_MODULE": "twoway.settings",
        "EMAIL_URL": "",
    }
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
