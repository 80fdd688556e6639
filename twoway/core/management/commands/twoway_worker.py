"""``twoway worker``: the django-tasks-db worker, plus the periodic jobs (``core.periodic``)
checked every 30 seconds from a daemon thread, so a deployment needs no cron. Any number of
workers may run: each periodic job runs once per slot, each task once."""

from __future__ import annotations

import os
import threading
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections
from django.utils import autoreload, timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from twoway.core.periodic import logger, periodic_run_due

CHECK_EVERY = 30.0  # seconds


def periodic_loop(
    stop: threading.Event,
    every: float = CHECK_EVERY,
    check: Callable[..., object] = periodic_run_due,
) -> None:
    """Run the due periodic jobs now and every ``every`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            check(now=timezone.now())
        except Exception:  # the database was away, say: try again next time
            logger.exception("periodic check failed")
        finally:
            close_old_connections()
        stop.wait(every)


class Command(DbWorkerCommand):
    help = "Run the background task worker and the periodic jobs (nudges, retries, digests…)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-periodic",
            action="store_false",
            dest="periodic",
            help="Only run tasks; leave the periodic jobs to other workers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        periodic = options.pop("periodic", True)
        # With --reload the parent process only watches files; the child does the work.
        reloader_parent = (
            options.get("reload") and os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) != "true"
        )
        stop = threading.Event()
        if periodic and not options.get("batch") and not reloader_parent:
            threading.Thread(
                target=periodic_loop, args=(stop,), name="twoway-periodic", daemon=True
            ).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
