"""``twoway worker`` end to end: a real worker process against the test database runs the
periodic nudge sweep on start and sends the emails through its own task queue."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.utils import timezone

from tests.nudges.factories import days, room_at
from tests.nudges.processes import ROOT, postgresql_only, process_env
from twoway.core.models import PeriodicSlot
from twoway.notifications.models import Delivery
from twoway.nudges.models import Nudge, Rule

ROOMS = 3  # two members each: 6 due nudges, 6 emails


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_the_worker_sweeps_on_start_and_sends_each_email_from_its_queue(actors):
    rooms = [room_at(actors, started=timezone.now() - days(60)) for _ in range(ROOMS)]
    env = process_env()  # the database queue, as in production
    command = [sys.executable, str(ROOT / "manage.py"), "twoway_worker", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0.2"]
    worker = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    emails = Delivery.objects.filter(channel=Delivery.Channel.EMAIL)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and worker.poll() is None:
            if emails.count() == 2 * ROOMS and not emails.exclude(status="sent").exists():
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert emails.filter(status=Delivery.Status.SENT).count() == 2 * ROOMS, output[-3000:]
    recipients = {
        (room.mentorship.pk, user.pk) for room in rooms for user in (room.mentor, room.mentee)
    }
    nudged = set(Nudge.objects.filter(rule=Rule.QUIET).values_list("mentorship_id", "recipient_id"))
    assert nudged == recipients
    assert PeriodicSlot.objects.filter(name="nudges_sweep").count() == 1
    assert output.count("Subject: ") == 2 * ROOMS  # each email once, printed by the worker
