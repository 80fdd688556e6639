from __future__ import annotations

import datetime as dt
from typing import Any

from twoway.accounts.models import User
from twoway.core.models import Organisation
from twoway.programs.models import Format, Program
from twoway.programs.services import program_create

TODAY = dt.date(2030, 3, 1)


def ready_dates(today: dt.date = TODAY) -> dict[str, dt.date]:
    return {
        "application_opens": today,
        "application_closes": today + dt.timedelta(days=21),
        "matching_date": today + dt.timedelta(days=28),
        "kickoff_date": today + dt.timedelta(days=35),
        "end_date": today + dt.timedelta(days=200),
    }


def make_program(
    *,
    organisation: Organisation,
    manager: User,
    name: str = "Digital reverse mentoring",
    format: str = Format.REVERSE,
    status: str = Program.Status.DRAFT,
    **fields: Any,
) -> Program:
    """A program made by ``manager`` through the service; ``status`` is set directly so a test
    can start from any point of the lifecycle."""
    program = program_create(
        actor=manager, organisation=organisation, name=name, format=format, **fields
    )
    if status != Program.Status.DRAFT:
        Program.objects.filter(pk=program.pk).update(status=status)
        program.refresh_from_db()
    return program
