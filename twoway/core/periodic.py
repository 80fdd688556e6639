"""Periodic jobs, run by the task workers themselves: no cron needed.

Each job has a name, an interval and the dotted path of a callable taking ``now``. Time is cut
into slots of the job's interval (``floor(epoch / every)``); ``periodic_run_due`` inserts a
``PeriodicSlot`` row for each job whose current slot nobody has claimed yet and runs the job
only when its insert succeeded. With several workers (or web processes calling it) each job
therefore runs once per slot; the unique constraint decides, not a lock held in memory.

Callables are imported lazily by their dotted path so that a job of an app that is not loaded,
or not written yet, fails alone (logged) instead of stopping the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from twoway.core.models import PeriodicSlot

logger = logging.getLogger(__name__)

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
# Slot rows older than this are only history.
KEEP_SLOTS = dt.timedelta(days=2)


@dataclass(frozen=True)
class Job:
    name: str
    every: int  # seconds
    path: str  # dotted path of a callable taking ``now`` (keyword)

    def slot(self, now: dt.datetime) -> int:
        return int(now.timestamp()) // self.every


# --- Adapters for work whose own functions take other arguments ------------------------------


def expire_match_requests(*, now: dt.datetime) -> int:
    from twoway.matching.self_service import match_requests_expire

    return match_requests_expire(now=now, base_url=settings.TWOWAY_BASE_URL)


def complete_mentorships(*, now: dt.datetime) -> int:
    from twoway.mentorships.management.commands.complete_mentorships import DUE_STATUSES
    from twoway.mentorships.services import mentorships_complete
    from twoway.programs.models import Program

    today = timezone.localdate(now)
    programs = Program.objects.filter(status__in=DUE_STATUSES).order_by("pk")
    return sum(mentorships_complete(program=program, today=today) for program in programs)


def celebrate(*, now: dt.datetime) -> dict[str, int]:
    from twoway.recognition.services import celebrations_sweep

    return celebrations_sweep(now=now)


def prune_slots(*, now: dt.datetime) -> int:
    deleted, _ = PeriodicSlot.objects.filter(created_at__lt=now - KEEP_SLOTS).delete()
    return deleted


JOBS: tuple[Job, ...] = (
    Job("deliveries_retry", MINUTE, "twoway.notifications.delivery.deliveries_retry_due"),
    Job("nudges_sweep", 15 * MINUTE, "twoway.nudges.services.nudges_sweep"),
    Job("health_snapshots", 15 * MINUTE, "twoway.insights.services.health_snapshots_refresh"),
    Job("digests_send", HOUR, "twoway.notifications.services.digests_send"),
    Job("expire_match_requests", HOUR, "twoway.core.periodic.expire_match_requests"),
    Job("complete_mentorships", HOUR, "twoway.core.periodic.complete_mentorships"),
    Job("celebrate", HOUR, "twoway.core.periodic.celebrate"),
    Job("prune_periodic_slots", DAY, "twoway.core.periodic.prune_slots"),
)


def _claim(job: Job, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            PeriodicSlot.objects.create(name=job.name, slot=job.slot(now))
    except IntegrityError:
        return False  # another worker has this slot
    return True


def periodic_run_due(*, now: dt.datetime, jobs: tuple[Job, ...] = JOBS) -> list[str]:
    """Run every job whose current slot no worker has claimed yet; returns the names run.

    A job that raises is logged and its slot stays used: it runs again in its next slot."""
    ran = []
    for job in jobs:
        if not _claim(job, now):
            continue
        try:
            function: Callable[..., Any] = import_string(job.path)
            result = function(now=now)
        except Exception:
            logger.exception("periodic job %s failed", job.name)
            continue
        logger.info("periodic job %s ran: %s", job.name, result)
        ran.append(job.name)
    return ran
