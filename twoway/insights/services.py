"""Writing the programs' dashboard snapshots (see ``models.HealthSnapshot``)."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import time

from django.db.models import Q

from twoway.insights import selectors
from twoway.insights.models import HealthSnapshot
from twoway.programs.models import Program

logger = logging.getLogger(__name__)

SNAPSHOT_EVERY = dt.timedelta(minutes=15)  # the worker's refresh (core.periodic)
SNAPSHOT_MAX_AGE = dt.timedelta(minutes=30)  # older than this, a page refreshes it first
RECOMPUTE_AT_MOST_EVERY = dt.timedelta(minutes=1)  # "Recompute now", which may take seconds


def health_snapshot_refresh(*, program: Program, now: dt.datetime) -> selectors.Snapshot:
    """Compute the program's dashboard figures and at-risk list now, and store them."""
    started = time.perf_counter()
    health = selectors.program_health(program=program, now=now)
    at_risk = selectors.at_risk_flags(program=program, now=now)
    seconds = time.perf_counter() - started
    HealthSnapshot.objects.update_or_create(
        program=program,
        defaults={
            "organisation_id": program.organisation_id,
            "computed_at": now,
            "seconds": seconds,
            "health": pickle.dumps(health),
            "at_risk": at_risk,
        },
    )
    return selectors.Snapshot(health, at_risk, now, seconds)


def health_snapshot_current(*, program: Program, now: dt.datetime) -> selectors.Snapshot:
    """The program's snapshot, refreshed first when missing, unreadable or older than
    ``SNAPSHOT_MAX_AGE`` (no worker running, say)."""
    snapshot = selectors.health_snapshot_get(program=program)
    if snapshot is None or now - snapshot.computed_at > SNAPSHOT_MAX_AGE:
        snapshot = health_snapshot_refresh(program=program, now=now)
    return snapshot


def health_snapshot_recompute(*, program: Program, now: dt.datetime) -> bool:
    """A manager's "Recompute now": refresh unless the snapshot is under
    ``RECOMPUTE_AT_MOST_EVERY`` old (a big program takes seconds, so repeated presses must not
    keep the database busy). Returns whether it recomputed."""
    snapshot = selectors.health_snapshot_get(program=program)
    if snapshot is not None and now - snapshot.computed_at < RECOMPUTE_AT_MOST_EVERY:
        return False
    health_snapshot_refresh(program=program, now=now)
    return True


def health_snapshots_refresh(*, now: dt.datetime) -> int:
    """The periodic job: refresh every program under way (not a draft, not closed) that has
    mentorships or a snapshot (someone looked at its dashboard). Returns how many were
    refreshed; a program that fails is logged and the others are still refreshed."""
    under_way = [
        Program.Status.ENROLLING,
        Program.Status.MATCHING,
        Program.Status.RUNNING,
        Program.Status.CLOSING,
    ]
    programs = (
        Program.objects.filter(status__in=under_way)
        .filter(Q(mentorships__isnull=False) | Q(pk__in=HealthSnapshot.objects.values("program")))
        .distinct()
        .select_related("organisation")
        .order_by("pk")
    )
    done = 0
    for program in programs:
        try:
            health_snapshot_refresh(program=program, now=now)
        except Exception:
            logger.exception("dashboard snapshot of program %s failed", program.pk)
            continue
        done += 1
    return done
