"""Benchmark: import 100,000 people with managers from CSV, against a naive one-row-at-a-time
ORM import of the same file.

    python bench/bench_import.py                                   # SQLite (a fresh temp file)
    python bench/bench_import.py --database-url postgres://postgres@127.0.0.1:5432/test

On PostgreSQL a scratch database is created beside the one in the URL and dropped afterwards.
Target (foundation issue): ≤ 60 s for 100,000 rows on each database. The naive import runs on a
slice (10,000 rows by default) and is scaled linearly to the full size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGET_SECONDS = 60.0

from benchdb import bench_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--naive-size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    args = parser.parse_args()
    with bench_database(args.database_url) as engine:
        return run(args, Path(tempfile.mkdtemp(prefix="twoway-bench-")), engine)


def run(args: argparse.Namespace, workdir: Path, engine: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from twoway.core.services import organisation_create
    from twoway.demo.generator import generate_people, write_csv
    from twoway.people import reporting_lines
    from twoway.people.importing import columns_guess, directory_import, rows_from_table, table_read
    from twoway.people.models import Person

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rows = generate_people(size=args.size, seed=args.seed)
    path = workdir / "people.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        write_csv(rows, out)
    print(f"{engine}: generated {len(rows):,} people in {time.perf_counter() - started:.1f} s")

    def import_file(organisation: object, content: bytes) -> tuple[float, object]:
        began = time.perf_counter()
        table = table_read(content=content, filename=path.name)
        result = directory_import(
            actor=None,
            organisation=organisation,  # type: ignore[arg-type]
            rows=rows_from_table(table, columns_guess(table.headers)),
        )
        return time.perf_counter() - began, result

    content = path.read_bytes()
    organisation = organisation_create(name="Bench", slug="bench")
    seconds, result = import_file(organisation, content)
    print(
        f"{engine}: bulk import of {args.size:,} rows: {seconds:.1f} s "
        f"({args.size / seconds:,.0f} rows/s) — {result.created:,} created"  # type: ignore[attr-defined]
    )
    rerun_seconds, rerun = import_file(organisation, content)
    print(
        f"{engine}: rerun of the same file: {rerun_seconds:.1f} s — "
        f"{rerun.created} created, {rerun.updated} updated, {rerun.unchanged:,} unchanged"  # type: ignore[attr-defined]
    )

    # Check the result: everyone is there, and every chain_path is what the managers imply.
    people = list(
        Person.objects.filter(organisation=organisation).values_list(
            "id", "manager_id", "chain_path"
        )
    )
    expected = reporting_lines.build_chain_paths({i: m for i, m, _ in people})
    wrong = sum(1 for i, _, path_ in people if expected[i] != path_)
    print(f"{engine}: verified {len(people):,} people, {wrong} wrong chain paths")

    naive_rows = rows[: args.naive_size]  # managers come before reports, so a prefix is whole
    naive_org = organisation_create(name="Naive", slug="naive")
    began = time.perf_counter()
    naive_import(naive_org, naive_rows)
    naive_seconds = time.perf_counter() - began
    scaled = naive_seconds * args.size / len(naive_rows)
    print(
        f"{engine}: naive one-row-at-a-time ORM import of {len(naive_rows):,} rows: "
        f"{naive_seconds:.1f} s → {scaled:.0f} s scaled to {args.size:,}"
    )
    print(f"{engine}: bulk import is {scaled / seconds:.1f} times faster than the naive import")
    ok = seconds <= TARGET_SECONDS and wrong == 0 and rerun.created == rerun.updated == 0  # type: ignore[attr-defined]
    print(
        f"{engine}: {'PASS' if ok else 'FAIL'} — target ≤ {TARGET_SECONDS:.0f} s for "
        f"{args.size:,} rows, measured {seconds:.1f} s"
    )
    return 0 if ok else 1


def naive_import(organisation: object, rows: list[dict[str, str]]) -> None:
    """What an import written the obvious way does: one person, one save, at a time."""
    import datetime as dt

    from twoway.people.models import Department, Person, PersonTopic, Team, Topic, topic_key
    from twoway.people.reporting_lines import segment

    relations = {
        "skills": ("shares", "skill"),
        "learning_topics": ("learns", "skill"),
        "interests": ("interest", "interest"),
    }
    for row in rows:
        department, _ = Department.objects.get_or_create(
            organisation=organisation, name=row["department"]
        )
        team, _ = Team.objects.get_or_create(
            organisation=organisation, name=row["team"], defaults={"department": department}
        )
        manager = (
            Person.objects.get(organisation=organisation, employee_id=row["manager_employee_id"])
            if row["manager_employee_id"]
            else None
        )
        person, _ = Person.objects.update_or_create(
            organisation=organisation,
            employee_id=row["employee_id"],
            defaults={
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "email": row["email"],
                "job_title": row["job_title"],
                "level": int(row["level"]) if row["level"] else None,
                "department": department,
                "team": team,
                "manager": manager,
                "chain_path": (manager.chain_path + segment(manager.pk)) if manager else "",
                "location": row["location"],
                "time_zone": row["time_zone"],
                "hire_date": dt.date.fromisoformat(row["hire_date"]) if row["hire_date"] else None,
                "languages": [c for c in row["languages"].split(";") if c],
            },
        )
        for column, (relation, kind) in relations.items():
            for name in filter(None, row[column].split(";")):
                topic, _ = Topic.objects.get_or_create(
                    organisation=organisation,
                    kind=kind,
                    key=topic_key(name),
                    defaults={"name": name},
                )
                PersonTopic.objects.get_or_create(
                    organisation=organisation, person=person, topic=topic, relation=relation
                )


if __name__ == "__main__":
    sys.exit(main())
