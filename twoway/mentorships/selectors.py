"""Reads on mentorships: a member's own list ("My mentorships") and the metadata a program's
managers see. Managers get who, when, status and counts — never anything a member wrote (no
statement, no ending reason), so nothing here loads those fields for them.

Every list loads in a fixed number of queries whatever its length: members are prefetched and
session figures are annotated.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat

from twoway.core.models import Membership
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.models import Program

LIVE = (Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE)
SCHEDULED = "scheduled"  # rooms.Session.Status.SCHEDULED (no import: rooms imports this app)
CANCELLED = "cancelled"

# What members see: ending is no-fault, so an early end reads like any other end.
MEMBER_STATUS_LABELS = {
    Mentorship.Status.AGREEMENT_PENDING: "Agreement pending",
    Mentorship.Status.ACTIVE: "Active",
    Mentorship.Status.COMPLETED: "Completed",
    Mentorship.Status.ENDED_EARLY: "Ended",
}


def member_status_label(mentorship: Mentorship) -> str:
    return MEMBER_STATUS_LABELS[Mentorship.Status(mentorship.status)]


def _members() -> Prefetch:
    return Prefetch(
        "members",
        queryset=MentorshipMember.objects.select_related("person").order_by("role", "id"),
    )


def _with_session_figures(mentorships: QuerySet[Mentorship], now: dt.datetime) -> QuerySet:
    return mentorships.annotate(
        next_session_at=Min(
            "sessions__starts_at",
            filter=Q(sessions__status=SCHEDULED, sessions__starts_at__gte=now),
        ),
        sessions_held=Count(
            "sessions",
            filter=Q(sessions__status=SCHEDULED, sessions__starts_at__lt=now),
            distinct=True,
        ),
    )


def mentorship_list_for_member(*, membership: Membership, now: dt.datetime) -> list[Mentorship]:
    """The viewer's mentorships in the organisation, live ones first, then past ones, newest
    first within each; with ``next_session_at``, ``status_label`` and ``others`` (the members
    other than the viewer)."""
    mine = MentorshipMember.objects.filter(
        mentorship=OuterRef("pk"), person__user=membership.user_id
    )
    mentorships = (
        _with_session_figures(
            Mentorship.objects.for_organisation(membership.organisation).filter(Exists(mine)),
            now,
        )
        .select_related("program")
        .prefetch_related(_members())
        .annotate(
            is_past=Case(
                When(status__in=LIVE, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("is_past", "-started_at", "-id")
    )
    found = list(mentorships)
    for mentorship in found:
        members = list(mentorship.members.all())
        mentorship.others = [m for m in members if m.person.user_id != membership.user_id]
        mentorship.status_label = member_status_label(mentorship)
    return found


def mentorship_list_for_program(
    *, program: Program, now: dt.datetime, q: str = "", status: str = ""
) -> QuerySet[Mentorship]:
    """A program's mentorships for its managers (the caller checked that): members, status,
    dates, sessions held and the next one, and whether someone asked to be matched again.
    ``q`` finds a member by name; ``status`` is one of ``Mentorship.Status``."""
    mentorships = Mentorship.objects.for_organisation(program.organisation).filter(program=program)
    if status in Mentorship.Status.values:
        mentorships = mentorships.filter(status=status)
    words = q.split()
    if words:
        named = MentorshipMember.objects.annotate(
            name=Concat("person__first_name", Value(" "), "person__last_name")
        ).filter(mentorship=OuterRef("pk"))
        for word in words[:5]:
            named = named.filter(name__icontains=word)
        mentorships = mentorships.filter(Exists(named))
    # ``ending`` is joined for its two metadata columns only; its reason is never read here.
    return (
        _with_session_figures(mentorships, now)
        .select_related("ending")
        .defer("ending__reason")
        .prefetch_related(_members())
        .order_by("-started_at", "-id")
    )


def rematch_name(mentorship: Mentorship) -> str:
    """The name of the member who asked to be matched again after ending, or "". Needs the
    members prefetched; reads no reason."""
    ending = getattr(mentorship, "ending", None)
    if ending is None or not ending.rematch_requested:
        return ""
    for member in mentorship.members.all():
        if member.pk == ending.ended_by_id:
            return member.person.full_name
    return ""
