"""Periodic jobs from the worker, and the operators' ``twoway nudge --now``."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.nudges.factories import NOW, days, room_at
from twoway.core.management.commands.twoway_worker import periodic_loop
from twoway.core.models import PeriodicSlot
from twoway.core.periodic import JOBS, Job, periodic_run_due
from twoway.nudges.models import Nudge

pytestmark = pytest.mark.django_db

CALLS: list[tuple[str, dt.datetime]] = []


def record_a(*, now: dt.datetime) -> None:
    CALLS.append(("a", now))


def record_b(*, now: dt.datetime) -> None:
    CALLS.append(("b", now))


def broken(*, now: dt.datetime) -> None:
    raise RuntimeError("boom")


TEST_JOBS = (
    Job("a", 60, f"{__name__}.record_a"),
    Job("b", 3600, f"{__name__}.record_b"),
    Job("broken", 60, f"{__name__}.broken"),
)


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_each_job_runs_once_per_slot_however_often_it_is_checked():
    start = dt.datetime(2026, 3, 16, 12, 0, 5, tzinfo=dt.UTC)
    assert periodic_run_due(now=start, jobs=TEST_JOBS) == ["a", "b"]
    assert periodic_run_due(now=start, jobs=TEST_JOBS) == []
    assert periodic_run_due(now=start + dt.timedelta(seconds=30), jobs=TEST_JOBS) == []
    assert periodic_run_due(now=start + dt.timedelta(seconds=60), jobs=TEST_JOBS) == ["a"]
    assert periodic_run_due(now=start + dt.timedelta(hours=1), jobs=TEST_JOBS) == ["a", "b"]
    assert [name for name, _ in CALLS] == ["a", "b", "a", "a", "b"]
    # The failing job used its slots and did not stop the others.
    assert PeriodicSlot.objects.filter(name="broken").count() == 3


def test_the_real_jobs_all_import_and_run(actors):
    room = room_at(actors, started=NOW - days(60))
    names = periodic_run_due(now=NOW)
    assert names == [job.name for job in JOBS]
    assert Nudge.objects.filter(mentorship=room.mentorship).count() == 2
    assert periodic_run_due(now=NOW) == []


def test_the_worker_thread_checks_again_and_again_until_stopped():
    stop = threading.Event()
    checks: list[dt.datetime] = []

    def check(*, now: dt.datetime) -> None:
        checks.append(now)
        if len(checks) == 2:
            raise RuntimeError("database away")  # logged; the loop goes on
        if len(checks) == 3:
            stop.set()

    thread = threading.Thread(target=periodic_loop, args=(stop, 0.01, check))
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(checks) == 3 and checks[0] <= checks[1] <= checks[2]


def test_twoway_nudge_now_prints_the_count_per_rule(actors):
    room = room_at(actors, started=timezone.now() - days(60))
    out = io.StringIO()
    call_command("nudge", "--now", f"--program={room.program.pk}", stdout=out)
    printed = out.getvalue()
    assert "No session within the agreed rhythm plus grace: 2" in printed
    assert "Agreement not accepted: 0" in printed
    assert "2 nudges sent." in printed
    out = io.StringIO()
    call_command("nudge", "--now", stdout=out)
    assert "0 nudges sent." in out.getvalue()


def test_twoway_nudge_refuses_without_now_or_with_an_unknown_program(actors):
    with pytest.raises(CommandError, match="--now"):
        call_command("nudge")
    with pytest.raises(CommandError, match="no program 999"):
        call_command("nudge", "--now", "--program=999")
