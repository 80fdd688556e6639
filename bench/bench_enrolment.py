"""Benchmark: a program with 10,000 applicants — the manager's applicant list (paginated, a
constant number of queries) and approving all 10,000 applications at once.

    python bench/bench_enrolment.py                                   # SQLite (a fresh temp file)
    python bench/bench_enrolment.py --database-url postgres://postgres@127.0.0.1:5432/test

On PostgreSQL a scratch database is created beside the one in the URL and dropped afterwards.
Targets (programs and enrolment issue): the applicant list costs the same number of queries on
its first and last page whatever the number of applicants; bulk-approving 10,000 applications
takes ≤ 5 s on each database. Exits 0 only when both hold.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGET_SECONDS = 5.0

from benchdb import bench_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="list page timings to take")
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    args = parser.parse_args()
    with bench_database(args.database_url, TWOWAY_TASKS_IMMEDIATE="true") as engine:
        return run(args, engine)


def run(args: argparse.Namespace, engine: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from twoway.accounts.models import User
    from twoway.core.models import Role
    from twoway.core.services import membership_set, organisation_create
    from twoway.enrolment.models import Application
    from twoway.enrolment.services import application_bulk_approve
    from twoway.people.models import Department, Person, Topic
    from twoway.programs.models import Program

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    began = time.perf_counter()
    organisation = organisation_create(name="Bench", slug="bench")
    manager = User.objects.create_user("manager@bench.test", "bench-password")
    membership_set(organisation=organisation, user=manager, role=Role.PROGRAM_MANAGER)
    departments = Department.objects.bulk_create(
        Department(organisation=organisation, name=f"Department {i}") for i in range(20)
    )
    people = Person.objects.bulk_create(
        (
            Person(
                organisation=organisation,
                employee_id=f"B{i:06d}",
                first_name=f"First{i}",
                last_name=f"Last{i}",
                email=f"person{i}@bench.test",
                level=rng.randint(1, 8),
                department=rng.choice(departments),
            )
            for i in range(args.size)
        ),
        batch_size=2000,
    )
    program = Program.objects.create(
        organisation=organisation,
        name="Bench program",
        format="reverse",
        status=Program.Status.ENROLLING,
        enrolment_mode=Program.EnrolmentMode.OPEN,
    )
    program.managers.add(manager)
    now = timezone.now()
    applications = Application.objects.bulk_create(
        (
            Application(
                organisation=organisation,
                program=program,
                person=person,
                user=manager,  # the owner does not matter to the list or the approval
                role=rng.choice(["mentor", "mentee", "either"]),
                submitted_at=now,
                tipi_answers=[4] * 10,
            )
            for person in people
        ),
        batch_size=2000,
    )
    topics = list(Topic.objects.filter(organisation=organisation, kind="skill"))
    shares = Application.shares.through
    learns = Application.learns.through
    shares.objects.bulk_create(
        (
            shares(application_id=a.pk, topic_id=t.pk)
            for a in applications
            for t in rng.sample(topics, 3)
        ),
        batch_size=5000,
    )
    learns.objects.bulk_create(
        (
            learns(application_id=a.pk, topic_id=t.pk)
            for a in applications
            for t in rng.sample(topics, 2)
        ),
        batch_size=5000,
    )
    print(f"{engine}: set up {args.size:,} applicants in {time.perf_counter() - began:.1f} s")

    client = Client()
    client.force_login(manager)
    base = f"/o/bench/enrolment/programs/{program.pk}/applicants/"
    last_page = (args.size + 24) // 25
    pages = {
        "first page": base,
        "last page": f"{base}?page={last_page}",
        "filtered (role, search)": f"{base}?role=mentor&q=Last1",
    }
    rows = []
    counts = {}
    for label, url in pages.items():
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        counts[label] = len(captured)
        rows.append((label, len(captured), statistics.median(timings), max(timings)))
    print(f"{engine}: applicant list of {args.size:,} applications, 25 a page")
    print(f"  {'page':<26}{'queries':>8}{'median':>10}{'slowest':>10}")
    for label, queries, median, slowest in rows:
        print(f"  {label:<26}{queries:>8}{median * 1000:>8.0f} ms{slowest * 1000:>7.0f} ms")
    constant = counts["first page"] == counts["last page"]

    ids = list(Application.objects.filter(program=program).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        changed = application_bulk_approve(actor=manager, program=program, application_ids=ids)
        seconds = time.perf_counter() - started
    approved = Application.objects.filter(program=program, status="approved").count()
    print(
        f"{engine}: bulk approve of {changed:,} applications: {seconds:.2f} s, "
        f"{len(captured)} queries; {approved:,} approved afterwards"
    )
    ok = constant and seconds <= TARGET_SECONDS and approved == args.size
    print(
        f"{engine}: {'PASS' if ok else 'FAIL'} — list queries constant "
        f"({counts['first page']} on the first page, {counts['last page']} on the last); "
        f"bulk approve target ≤ {TARGET_SECONDS:.0f} s, measured {seconds:.2f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
