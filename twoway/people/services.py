"""Writes to the people directory. Every change of a reporting line goes through here so that
``chain_path`` stays right (see ``reporting_lines.py``)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from twoway.core.errors import ApplicationError
from twoway.core.models import Organisation
from twoway.people import reporting_lines
from twoway.people.models import Department, Level, Person, Team, Topic, subtree_filter
from twoway.people.taxonomy import DEFAULT_LEVELS, STARTER_TOPICS


def directory_setup(*, organisation: Organisation) -> None:
    """Give a new organisation the default level ladder and the starter taxonomy."""
    Level.objects.bulk_create(
        [Level(organisation=organisation, number=n, label=label) for n, label in DEFAULT_LEVELS],
        ignore_conflicts=True,
    )
    Topic.objects.bulk_create(
        [
            Topic(
                organisation=organisation,
                name=name,
                key=name.casefold(),
                kind=Topic.Kind.SKILL,
                category=category,
                is_curated=True,
            )
            for category, names in STARTER_TOPICS.items()
            for name in names
        ],
        ignore_conflicts=True,
    )


def _check_time_zone(time_zone: str) -> None:
    if time_zone not in zoneinfo.available_timezones():
        raise ApplicationError(f"{time_zone!r} is not a known time zone (e.g. Europe/Paris).")


def _check_level(organisation: Organisation, level: int | None) -> None:
    if (
        level is not None
        and not Level.objects.filter(organisation=organisation, number=level).exists()
    ):
        raise ApplicationError(f"Level {level} is not defined for {organisation}.")


@transaction.atomic
def person_create(
    *,
    actor: Any,
    organisation: Organisation,
    employee_id: str,
    first_name: str,
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    level: int | None = None,
    department: Department | None = None,
    team: Team | None = None,
    manager: Person | None = None,
    location: str = "",
    time_zone: str = "UTC",
    hire_date: dt.date | None = None,
    languages: list[str] | None = None,
) -> Person:
    _check_time_zone(time_zone)
    _check_level(organisation, level)
    if manager is not None and manager.organisation_id != organisation.pk:
        raise ApplicationError("The manager must belong to the same organisation.")
    person = Person(
        organisation=organisation,
        employee_id=employee_id,
        first_name=first_name,
        last_name=last_name,
        email=email.lower(),
        job_title=job_title,
        level=level,
        department=department,
        team=team,
        manager=manager,
        chain_path=manager.subtree_prefix if manager else "",
        location=location,
        time_zone=time_zone,
        hire_date=hire_date,
        languages=languages or [],
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_set_manager(*, actor: Any, person: Person, manager: Person | None) -> Person:
    """Move ``person`` (and everyone under them) beneath ``manager``.

    Refuses a move that would make a cycle, naming it (A → B → C → A).
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if manager is not None:
        manager = Person.objects.get(pk=manager.pk, organisation_id=person.organisation_id)
        if manager.pk == person.pk or manager.chain_path.startswith(person.subtree_prefix):
            raise ApplicationError(
                "That would make a reporting-line cycle: "
                + " → ".join(_cycle_names(person=person, manager=manager))
            )
    old_prefix = person.subtree_prefix
    person.manager = manager
    person.chain_path = manager.subtree_prefix if manager else ""
    person.save(update_fields=["manager", "chain_path", "updated_at"])
    new_prefix = person.subtree_prefix
    if new_prefix != old_prefix:
        # One statement re-roots the whole subtree, however large.
        Person.objects.filter(
            subtree_filter(old_prefix), organisation_id=person.organisation_id
        ).update(chain_path=Concat(Value(new_prefix), Substr(F("chain_path"), len(old_prefix) + 1)))
    return person


def _cycle_names(*, person: Person, manager: Person) -> list[str]:
    """Names along the loop a move would make, read "reports to": P → M → … → P."""
    if manager.pk == person.pk:
        return [person.full_name, person.full_name]
    between = reporting_lines.ancestor_ids(manager.chain_path)[person.depth + 1 :]
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=between)}
    return [
        person.full_name,
        manager.full_name,
        *(names[i] for i in reversed(between)),
        person.full_name,
    ]


def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Change directory fields other than the manager (use ``person_set_manager`` for that)."""
    if "manager" in fields:
        raise ApplicationError("Use person_set_manager to change a reporting line.")
    if "time_zone" in fields:
        _check_time_zone(fields["time_zone"])
    if "level" in fields:
        _check_level(person.organisation, fields["level"])
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=[*fields, "updated_at"])
    return person
