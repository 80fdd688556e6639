"""The conditions behind nudges, as querysets: which mentorships have gone quiet, which have
overdue action items, and a program's rule settings.

These are reads shared by the nudge sweep and by the insights at-risk list, so both count the
same mentorships. Each is one SQL query built from ``NOT EXISTS``/``EXISTS`` subqueries that
probe the per-mentorship indexes (``session_time_idx`` on organisation, mentorship and start;
``action_room_idx``), so they stay fast at a million sessions.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from twoway.mentorships.models import Mentorship
from twoway.nudges.models import NudgeSettings
from twoway.programs.models import Program
from twoway.rooms.models import ActionItem, Session

DEFAULT_RHYTHM_WEEKS = 2
# An agreement's rhythm is validated to 1..12 weeks; anything else falls back to the default.
RHYTHM_WEEKS = range(1, 13)


def settings_for(program: Program) -> NudgeSettings:
    """The program's nudge settings, or an unsaved row holding the defaults when a manager has
    not changed them yet."""
    found = NudgeSettings.objects.filter(program=program).first()
    if found is not None:
        return found
    return NudgeSettings(organisation_id=program.organisation_id, program=program)


def _default_rhythm_weeks(program: Program) -> int:
    return program.cadence_weeks or DEFAULT_RHYTHM_WEEKS


def quiet_mentorships(
    *, program: Program, now: dt.datetime, grace_days: int | None = None
) -> QuerySet[Mentorship]:
    """Active mentorships of ``program`` with no session held within their rhythm plus grace.

    The rhythm is the agreement's ``rhythm_weeks`` (the program's cadence when there is no
    agreement). A session is held when it is scheduled (not cancelled) and has started. A
    mentorship that never held a session counts from its start, so a new pair is not quiet
    before it has had the time to meet. ``grace_days`` defaults to the program's setting.
    """
    if grace_days is None:
        grace_days = settings_for(program).quiet_grace_days
    grace = dt.timedelta(days=grace_days)
    default_weeks = _default_rhythm_weeks(program)
    # The cutoff per mentorship as one CASE over the few possible rhythms: portable (no
    # interval arithmetic) and computed once per row by the database.
    cutoff = Case(
        *[
            When(agreement__rhythm_weeks=weeks, then=Value(now - dt.timedelta(weeks=weeks) - grace))
            for weeks in RHYTHM_WEEKS
        ],
        default=Value(now - dt.timedelta(weeks=default_weeks) - grace),
        output_field=DateTimeField(),
    )
    held_since_cutoff = Session.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        mentorship_id=OuterRef("pk"),
        starts_at__gt=OuterRef("quiet_cutoff"),
        starts_at__lte=now,
        status=Session.Status.SCHEDULED,
    )
    return (
        Mentorship.objects.filter(
            organisation_id=program.organisation_id,
            program=program,
            status=Mentorship.Status.ACTIVE,
        )
        .annotate(quiet_cutoff=cutoff)
        .filter(started_at__lte=F("quiet_cutoff"))
        .filter(~Exists(held_since_cutoff))
    )


def overdue_before(*, now: dt.datetime, days: int) -> dt.date:
    """Action items due before this date are overdue by at least ``days`` days."""
    return timezone.localdate(now) - dt.timedelta(days=days)


def mentorships_with_overdue_actions(
    *, program: Program, now: dt.datetime, days: int = 0
) -> QuerySet[Mentorship]:
    """Active mentorships of ``program`` with an open action item whose due date passed more
    than ``days`` days ago (``days=0``: any open item due before today)."""
    overdue = ActionItem.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        mentorship_id=OuterRef("pk"),
        status=ActionItem.Status.OPEN,
        due_on__lt=overdue_before(now=now, days=days),
    )
    return Mentorship.objects.filter(
        organisation_id=program.organisation_id, program=program, status=Mentorship.Status.ACTIVE
    ).filter(Exists(overdue))


def with_default_rhythm(queryset: QuerySet[Mentorship], program: Program) -> QuerySet[Mentorship]:
    """Annotate ``rhythm_weeks``: the agreement's rhythm or the program's default."""
    return queryset.annotate(
        rhythm_weeks=Coalesce(F("agreement__rhythm_weeks"), Value(_default_rhythm_weeks(program)))
    )
