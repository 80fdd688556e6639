"""Benchmark: Growth Threads feeds of an organisation with 100,000 entries.

    python bench/threads_feed.py --database-url postgres://postgres@127.0.0.1:5432/test
    python bench/threads_feed.py                            # SQLite (a fresh temp file)

It builds an organisation of 2,000 people in 4 programs writing 100,000 entries (a third shared
with the organisation, a quarter with their program, a fifth with their mentorship, the rest
private), each with a rendered body, and some comments and reactions; the viewer takes part in
two programs and has a mentoring partner. Then, as the viewer, it requests the organisation
feed and one program's feed — the first page, a page half-way down and a page near the end (by
keyset: ``?before=<id>``) — ``--repeat`` times each.

Target (issue 6): every page of a feed with the same number of queries and p95 server time
≤ 150 ms on PostgreSQL. Exits 0 only when both hold (on SQLite the figures are printed
against the same bar).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGET_MS = 150.0
PEOPLE = 2_000
PROGRAMS = 4

from benchdb import bench_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50, help="requests per page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    args = parser.parse_args()
    with bench_database(args.database_url, TWOWAY_TASKS_IMMEDIATE="true") as engine:
        return run(args, engine)


def build(*, entries: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """The organisation, its entries and the viewer; returns (viewer user, program ids)."""
    from django.utils import timezone

    from twoway.accounts.models import User
    from twoway.core.markdown import render_markdown
    from twoway.core.models import Role
    from twoway.core.services import membership_set, organisation_create
    from twoway.enrolment.models import Application
    from twoway.mentorships.models import Mentorship, MentorshipMember
    from twoway.people.models import Person
    from twoway.programs.models import Program
    from twoway.threads.models import Comment, Entry, Reaction, Visibility

    organisation = organisation_create(name="Bench", slug="bench")
    people = Person.objects.bulk_create(
        Person(
            organisation=organisation,
            employee_id=f"B{i}",
            first_name=f"First{i}",
            last_name=f"Last{i}",
            level=1 + i % 8,
        )
        for i in range(PEOPLE)
    )
    programs = Program.objects.bulk_create(
        Program(
            organisation=organisation,
            name=f"Program {i}",
            format="reverse",
            status=Program.Status.RUNNING,
        )
        for i in range(PROGRAMS)
    )
    viewer = User.objects.create_user("viewer@bench.test", "bench-password")
    membership_set(organisation=organisation, user=viewer, role=Role.PARTICIPANT)
    me = people[0]
    Person.objects.filter(pk=me.pk).update(user=viewer, email=viewer.email)
    now = timezone.now()
    # The viewer takes part in programs 0 and 1: approved in 0, a mentorship with people[1] in 1.
    Application.objects.create(
        organisation=organisation,
        program=programs[0],
        person=me,
        user=viewer,
        role="mentee",
        status=Application.Status.APPROVED,
        submitted_at=now,
    )
    mentorship = Mentorship.objects.create(
        organisation=organisation,
        program=programs[1],
        kind=Mentorship.Kind.PAIR,
        status=Mentorship.Status.ACTIVE,
        origin=Mentorship.Origin.MATCHING,
        started_at=now,
    )
    MentorshipMember.objects.bulk_create(
        [
            MentorshipMember(
                organisation=organisation,
                mentorship=mentorship,
                person=me,
                user=viewer,
                role=MentorshipMember.Role.MENTEE,
            ),
            MentorshipMember(
                organisation=organisation,
                mentorship=mentorship,
                person=people[1],
                role=MentorshipMember.Role.MENTOR,
            ),
        ]
    )
    bodies = [
        f"Week {i}: we tried **short video** for the leadership update. What worked: captions, "
        f"a hook in two seconds. Next: [a poll](https://example.com/{i}) before the town hall.\n\n"
        "- what surprised me\n- what I will try\n"
        for i in range(20)
    ]
    rendered = [(body, render_markdown(body)) for body in bodies]
    weights = [
        (Visibility.ORGANISATION, 0.34),
        (Visibility.PROGRAM, 0.25),
        (Visibility.MENTORSHIPS, 0.20),
        (Visibility.PRIVATE, 0.21),
    ]
    kinds, chances = zip(*weights, strict=True)
    batch: list[Entry] = []
    for i in range(entries):
        author = people[rng.randrange(PEOPLE)]
        body, html = rendered[i % len(rendered)]
        batch.append(
            Entry(
                organisation=organisation,
                author=author,
                title=f"Entry {i} — what I learned",
                body=body,
                body_html=html,
                visibility=rng.choices(kinds, chances)[0],
                program=programs[author.pk % PROGRAMS],
            )
        )
        if len(batch) == 5_000:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    # Comments and reactions on every tenth entry.
    ids = list(Entry.objects.filter(organisation=organisation).values_list("pk", flat=True))
    Comment.objects.bulk_create(
        Comment(
            organisation=organisation,
            entry_id=pk,
            author=people[rng.randrange(PEOPLE)],
            body="Thank you for sharing this.",
            body_html="<p>Thank you for sharing this.</p>",
        )
        for pk in ids[::10]
    )
    Reaction.objects.bulk_create(
        Reaction(
            organisation=organisation,
            entry_id=pk,
            person=people[rng.randrange(PEOPLE)],
            kind=Reaction.Kind.APPLAUSE,
        )
        for pk in ids[::10]
    )
    return viewer, programs[0].pk, ids


def run(args: argparse.Namespace, engine: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    began = time.perf_counter()
    viewer, program_id, ids = build(entries=args.entries, rng=rng)
    if connection.vendor == "postgresql":
        # Planner statistics as a running database has them after autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{engine}: built {args.entries:,} entries in {time.perf_counter() - began:.1f} s")

    client = Client()
    client.force_login(viewer)

    def measure(url: str) -> tuple[int, float, float]:
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        return len(captured), statistics.median(timings), p95

    feed = reverse("threads:feed", args=["bench"])
    program_feed = reverse("threads:program_feed", args=["bench", program_id])
    middle, late = ids[len(ids) // 2], ids[len(ids) // 50]
    pages = [
        ("organisation feed, first page", feed),
        ("organisation feed, middle page", f"{feed}?before={middle}"),
        ("organisation feed, near the end", f"{feed}?before={late}"),
        ("program feed, first page", program_feed),
        ("program feed, middle page", f"{program_feed}?before={middle}"),
        ("program feed, near the end", f"{program_feed}?before={late}"),
    ]
    ok = True
    counts: dict[str, set[int]] = {}
    print(f"  {'page':<34}{'queries':>8}{'median':>11}{'p95':>11}")
    for label, url in pages:
        queries, median, p95 = measure(url)
        counts.setdefault(label.split(",")[0], set()).add(queries)
        fast = p95 <= TARGET_MS
        ok &= fast
        verdict = "ok" if fast else "NOT MET"
        print(f"  {label:<34}{queries:>8}{median:>8.1f} ms{p95:>8.1f} ms  {verdict}")
    constant = all(len(seen) == 1 for seen in counts.values())
    ok &= constant
    print(f"  same number of queries on every page of a feed: {'yes' if constant else counts}")
    print(
        f"{'PASS' if ok else 'FAIL'}: constant queries and p95 ≤ {TARGET_MS:.0f} ms "
        f"({args.repeat} requests a page, {engine})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
