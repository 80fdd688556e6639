"""Reads on mentorships, each starting from the organisation or the program."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.models import Program

LIVE_STATUSES = (Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE)


def mentorship_list_for_program(*, program: Program) -> QuerySet[Mentorship]:
    """The program's mentorships with their members (and the members' people) loaded."""
    return (
        Mentorship.objects.for_organisation(program.organisation)
        .filter(program=program)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=MentorshipMember.objects.select_related("person").order_by("role", "id"),
            )
        )
    )


def mentorship_live_count(*, program: Program) -> int:
    return Mentorship.objects.filter(program=program, status__in=LIVE_STATUSES).count()
