"""Export the directory in the import format (``columns.py``): an export imports unchanged."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from typing import IO

from twoway.core.models import Organisation
from twoway.people.columns import COLUMNS, LIST_SEPARATOR
from twoway.people.models import Person, PersonTopic

CHUNK = 2_000
RELATION_COLUMN = {
    PersonTopic.Relation.SHARES: "skills",
    PersonTopic.Relation.LEARNS: "learning_topics",
    PersonTopic.Relation.INTEREST: "interests",
}


def directory_export_rows(
    *, organisation: Organisation, include_inactive: bool = False
) -> Iterator[dict[str, str]]:
    """Every person as a row of the import format, in employee-id order; a constant number of
    queries per chunk of people, however many there are."""
    people = Person.objects.filter(organisation=organisation)
    if not include_inactive:
        people = people.filter(is_active=True)
    values = people.order_by("employee_id").values_list(
        "id",
        "employee_id",
        "first_name",
        "last_name",
        "email",
        "job_title",
        "level",
        "department__name",
        "team__name",
        "manager__employee_id",
        "location",
        "time_zone",
        "hire_date",
        "languages",
    )
    chunk: list[tuple] = []
    for row in values.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _rows(chunk)
            chunk = []
    if chunk:
        yield from _rows(chunk)


def _rows(chunk: list[tuple]) -> Iterator[dict[str, str]]:
    topics: dict[tuple[int, str], list[str]] = defaultdict(list)
    links = (
        PersonTopic.objects.filter(person_id__in=[r[0] for r in chunk])
        .order_by("topic__name")
        .values_list("person_id", "relation", "topic__name")
    )
    for person_id, relation, name in links:
        topics[(person_id, relation)].append(name)
    for (
        person_id,
        employee_id,
        first_name,
        last_name,
        email,
        job_title,
        level,
        department,
        team,
        manager,
        location,
        time_zone,
        hire_date,
        languages,
    ) in chunk:
        row = {
            "employee_id": employee_id,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "job_title": job_title,
            "level": "" if level is None else str(level),
            "department": department or "",
            "team": team or "",
            "manager_employee_id": manager or "",
            "location": location,
            "time_zone": time_zone,
            "hire_date": hire_date.isoformat() if hire_date else "",
            "languages": LIST_SEPARATOR.join(languages or []),
        }
        for relation, column in RELATION_COLUMN.items():
            row[column] = LIST_SEPARATOR.join(topics.get((person_id, relation), []))
        yield row


class _Echo:
    def write(self, value: str) -> str:
        return value


def directory_export_csv_lines(*, organisation: Organisation) -> Iterator[str]:
    """CSV text line by line, for a streaming response."""
    writer = csv.DictWriter(_Echo(), fieldnames=list(COLUMNS))
    yield "\ufeff" + writer.writeheader()
    for row in directory_export_rows(organisation=organisation):
        yield writer.writerow(row)


def directory_export_write(*, organisation: Organisation, out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    count = 0
    for row in directory_export_rows(organisation=organisation):
        writer.writerow(row)
        count += 1
    return count
