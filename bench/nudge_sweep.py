"""Benchmark: the nudge sweep over a program of 100,000 participants and 1,000,000 sessions.

    python bench/nudge_sweep.py --database-url postgres://postgres@127.0.0.1:5432/test
    python bench/nudge_sweep.py --participants 10000 --sessions 100000   # SQLite, smaller

It builds the program with ``engagement_data.build`` in a scratch database (a temporary SQLite
file, or a database created beside the PostgreSQL URL and dropped afterwards), then times
``nudges_sweep`` over it: every rule's queries, inserting the Nudge rows, creating their
notifications and deliveries, and handing the emails to the task queue (the database backend,
as in production; nothing is sent). A second sweep at the same moment must send nothing.

Target (issue 7): the sweep ≤ 30 s on PostgreSQL. Exits 0 only when it holds and the second
sweep sent nothing (on SQLite the figures are printed against the same bar).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGET_S = 30.0

from benchdb import bench_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    args = parser.parse_args()
    with bench_database(args.database_url) as engine:
        return run(args, engine)


def run(args: argparse.Namespace, engine: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from engagement_data import build

    from twoway.nudges.models import Nudge
    from twoway.programs.models import Program

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = build(
        participants=args.participants,
        sessions=args.sessions,
        seed=args.seed,
        progress=lambda message: print(f"  building {message}…", flush=True),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    program = Program.objects.get(pk=data.program_id)

    from django.db import transaction

    from twoway.nudges.services import nudges_sweep

    # Inside one outer transaction so the hand-off to the task queue (run on commit) is timed
    # apart from the sweep's own queries and writes.
    started = time.perf_counter()
    with transaction.atomic():
        counts = nudges_sweep(now=data.now, program=program)
        swept = time.perf_counter() - started
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    again = nudges_sweep(now=data.now, program=program)
    second = time.perf_counter() - started

    print(f"\nNudge sweep on {engine}: {data.participants:,} participants, ")
    print(f"{data.mentorships:,} mentorships, {data.sessions:,} sessions, ")
    print(f"{data.action_items:,} action items (built in {built:.0f} s)\n")
    print(f"| {'rule':<24} | {'nudges':>8} |")
    print(f"|{'-' * 26}|{'-' * 10}|")
    for rule, count in counts.items():
        print(f"| {rule:<24} | {count:>8,} |")
    print(f"| {'total':<24} | {sum(counts.values()):>8,} |")
    print(f"\nsweep: rules, nudges, notifications and deliveries written: {swept:.2f} s")
    print(f"       then the emails handed to the task queue: {elapsed - swept:.2f} s")
    print(f"       in all: {elapsed:.2f} s (target ≤ {TARGET_S:.0f} s)")
    print(f"second sweep at the same moment: {second:.2f} s, {sum(again.values())} sent")
    ok = (
        elapsed <= TARGET_S
        and sum(again.values()) == 0
        and Nudge.objects.count() == sum(counts.values())
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
