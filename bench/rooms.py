"""Benchmark: a Mentorship Room with 200 sessions and 1,000 notes.

    python bench/rooms.py                                   # SQLite (a fresh temp file)
    python bench/rooms.py --database-url postgres://postgres@127.0.0.1:5432/test

It builds one pair with 200 sessions (150 past, 50 to come), 1,000 notes (shared and private,
from both members, half of them on sessions), 100 action items, 6 goals with milestones and
updates, and a pulse from each member on every past session; and a small room (8 sessions,
50 notes) in the same program. Then it requests, as a member, the room page, a later page of
its notes and one session's page of each room `--repeat` times.

Target (rooms issue): the big room renders with the same number of queries as the small one,
and with a p95 server time ≤ 100 ms on SQLite. Exits 0 only when both hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGET_MS = 100.0

from benchdb import bench_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=100, help="requests per page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    args = parser.parse_args()
    with bench_database(args.database_url, TWOWAY_TASKS_IMMEDIATE="true") as engine:
        return run(args, engine)


def build_room(*, program, people, users, sessions: int, notes: int, rng: random.Random):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from twoway.core.markdown import render_markdown
    from twoway.mentorships.models import Mentorship, MentorshipMember
    from twoway.mentorships.services import mentorship_create
    from twoway.rooms.models import ActionItem, Goal, GoalUpdate, Milestone, Note, Pulse, Session

    organisation = program.organisation
    mentorship = mentorship_create(
        program=program,
        kind=Mentorship.Kind.PAIR,
        origin=Mentorship.Origin.MATCHING,
        members=[
            (people[0], users[0], MentorshipMember.Role.MENTOR),
            (people[1], users[1], MentorshipMember.Role.MENTEE),
        ],
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.ACTIVE)
    members = list(mentorship.members.order_by("pk"))
    now = timezone.now()
    past = sessions * 3 // 4
    rows = Session.objects.bulk_create(
        Session(
            organisation=organisation,
            mentorship=mentorship,
            starts_at=now + dt.timedelta(weeks=i - past, hours=1),
            duration_minutes=45,
            place="Room 4",
            uid=f"bench-{mentorship.pk}-{i}@twoway",
        )
        for i in range(sessions)
    )
    held = [s for s in rows if s.starts_at < now]
    body = (
        "We talked about **short video** for leaders: what to post, how often, and who "
        "answers comments. Next: try [one post](https://example.com/guide) a week.\n\n"
        "- hook in two seconds\n- captions on\n- answer within a day\n"
    )
    html = render_markdown(body)
    Note.objects.bulk_create(
        (
            Note(
                organisation=organisation,
                mentorship=mentorship,
                session=rng.choice(held) if i % 2 and held else None,
                author=members[i % 2],
                visibility=Note.Visibility.SHARED if i % 3 else Note.Visibility.PRIVATE,
                body=body,
                body_html=html,
            )
            for i in range(notes)
        ),
        batch_size=500,
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            organisation=organisation,
            mentorship=mentorship,
            title=f"Action {i}",
            owner=members[i % 2],
            due_on=(now + dt.timedelta(days=i - 50)).date(),
            status=ActionItem.Status.DONE if i % 4 == 0 else ActionItem.Status.OPEN,
        )
        for i in range(min(100, notes // 10 + 1))
    )
    for i in range(6):
        goal = Goal.objects.create(
            organisation=organisation,
            mentorship=mentorship,
            member=members[i % 2],
            title=f"Goal {i}",
            measure=Goal.Measure.MILESTONES,
        )
        Milestone.objects.bulk_create(
            Milestone(organisation=organisation, goal=goal, position=p, title=f"Step {p}")
            for p in range(5)
        )
        GoalUpdate.objects.bulk_create(
            GoalUpdate(
                organisation=organisation,
                goal=goal,
                author=members[i % 2],
                percent=p * 20,
                status=Goal.Status.ON_TRACK,
            )
            for p in range(5)
        )
    Pulse.objects.bulk_create(
        Pulse(organisation=organisation, session=s, member=m, rating=rng.randint(1, 5))
        for s in held
        for m in members
    )
    return mentorship, held[-1]


def run(args: argparse.Namespace, engine: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from twoway.accounts.models import User
    from twoway.core.models import Role
    from twoway.core.services import membership_set, organisation_create
    from twoway.people.models import Person
    from twoway.programs.models import Program

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    began = time.perf_counter()
    organisation = organisation_create(name="Bench", slug="bench")
    users = [User.objects.create_user(f"member{i}@bench.test", "bench-password") for i in range(2)]
    people = []
    for i, user in enumerate(users):
        membership_set(organisation=organisation, user=user, role=Role.PARTICIPANT)
        people.append(
            Person.objects.create(
                organisation=organisation,
                employee_id=f"B{i}",
                first_name=f"First{i}",
                last_name=f"Last{i}",
                email=user.email,
                level=3 + i,
                user=user,
            )
        )
    program = Program.objects.create(
        organisation=organisation, name="Bench", format="reverse", status=Program.Status.RUNNING
    )
    big, big_session = build_room(
        program=program,
        people=people,
        users=users,
        sessions=args.sessions,
        notes=args.notes,
        rng=rng,
    )
    # The small room: the same viewer (the mentee) with another mentor.
    other = Person.objects.create(
        organisation=organisation,
        employee_id="S0",
        first_name="Small",
        last_name="Mentor",
        email="small@bench.test",
        level=2,
    )
    small, small_session = build_room(
        program=program,
        people=[other, people[1]],
        users=[None, users[1]],
        sessions=8,
        notes=50,
        rng=rng,
    )
    print(
        f"{engine}: built a room with {args.sessions} sessions and {args.notes:,} notes "
        f"in {time.perf_counter() - began:.1f} s"
    )

    client = Client()
    client.force_login(users[1])

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

    base = "/o/bench/mentorships"
    pages = [
        ("room page", f"{base}/{big.pk}/", f"{base}/{small.pk}/"),
        (
            "room, later notes page",
            f"{base}/{big.pk}/?notes_page=40",
            f"{base}/{small.pk}/?notes_page=2",
        ),
        (
            "session page",
            f"{base}/{big.pk}/sessions/{big_session.pk}/",
            f"{base}/{small.pk}/sessions/{small_session.pk}/",
        ),
        ("sessions list", f"{base}/{big.pk}/sessions/", f"{base}/{small.pk}/sessions/"),
    ]
    ok = True
    print(f"  {'page':<22}{'queries big/small':>18}{'median':>10}{'p95':>10}")
    for label, big_url, small_url in pages:
        small_queries, _, _ = measure(small_url)
        queries, median, p95 = measure(big_url)
        constant = queries == small_queries
        fast = p95 <= TARGET_MS
        ok &= constant and fast
        print(
            f"  {label:<22}{queries:>9} / {small_queries:<7}{median:>7.1f} ms{p95:>7.1f} ms"
            f"  {'ok' if constant and fast else 'NOT MET'}"
        )
    print(
        f"{'PASS' if ok else 'FAIL'}: constant queries and p95 ≤ {TARGET_MS:.0f} ms "
        f"({args.repeat} requests a page)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
