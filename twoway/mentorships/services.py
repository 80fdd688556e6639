"""Writes on mentorships. Publishing a matching run and accepting a self-service request both
create mentorships here, so the rules of what a new mentorship holds live in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.programs.models import Program

ROLES = {MentorshipMember.Role.MENTOR.value, MentorshipMember.Role.MENTEE.value}


@transaction.atomic
def mentorship_create(
    *,
    program: Program,
    kind: str,
    origin: str,
    members: Sequence[tuple[Person, Any, str]],
    score: float | None = None,
    reason: str = "",
) -> Mentorship:
    """A new mentorship (agreement pending) with ``members`` as (person, user or None, role).

    Callers have already checked who may create it; this checks its shape: at least one mentor
    and one mentee, each person once, all of the program's organisation, and a pair is two.
    """
    if kind not in Mentorship.Kind.values:
        raise ApplicationError(f"{kind!r} is not a kind of mentorship.")
    if origin not in Mentorship.Origin.values:
        raise ApplicationError(f"{origin!r} is not an origin of a mentorship.")
    roles = [role for _, _, role in members]
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ApplicationError(f"{unknown[0]!r} is not a role in a mentorship.")
    if MentorshipMember.Role.MENTOR not in roles or MentorshipMember.Role.MENTEE not in roles:
        raise ApplicationError("A mentorship needs at least one mentor and one mentee.")
    if kind == Mentorship.Kind.PAIR and len(members) != 2:
        raise ApplicationError("A pair has exactly one mentor and one mentee.")
    people = [person.pk for person, _, _ in members]
    if len(set(people)) != len(people):
        raise ApplicationError("A person can take only one place in a mentorship.")
    if any(person.organisation_id != program.organisation_id for person, _, _ in members):
        raise ApplicationError("Every member must belong to the program's organisation.")
    mentorship = Mentorship.objects.create(
        organisation_id=program.organisation_id,
        program=program,
        kind=kind,
        origin=origin,
        started_at=timezone.now(),
        score=score,
        reason=reason,
    )
    MentorshipMember.objects.bulk_create(
        MentorshipMember(
            organisation_id=program.organisation_id,
            mentorship=mentorship,
            person=person,
            user=user,
            role=role,
        )
        for person, user, role in members
    )
    return mentorship
