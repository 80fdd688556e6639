"""Reads of nudges: a program's history for its managers, as metadata (when, which rule,
which mentorship, the recipient's role), never anything the members wrote."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from twoway.mentorships.models import MentorshipMember
from twoway.nudges.models import Nudge, Rule
from twoway.programs.models import Program

# Who the recipient is when the nudge is not about a mentorship they are a member of.
ROLE_BY_RULE = {
    Rule.REQUEST_EXPIRING: "Mentor asked for a match",
    Rule.UNFINISHED_APPLICATION: "Invited applicant",
}


def nudge_list_for_program(*, program: Program, rule: str = "") -> QuerySet[Nudge]:
    """The program's nudges, newest first, with the recipient's role in the mentorship
    (``recipient_role``) and the mentorship's members for its label (a fixed number of
    queries whatever the page size)."""
    role = MentorshipMember.objects.filter(
        mentorship_id=OuterRef("mentorship_id"), user_id=OuterRef("recipient_id")
    ).values("role")[:1]
    nudges: QuerySet[Nudge] = (
        Nudge.objects.filter(organisation_id=program.organisation_id, program=program)
        .select_related("mentorship", "sent_by")
        .prefetch_related(
            Prefetch(
                "mentorship__members",
                queryset=MentorshipMember.objects.select_related("person").order_by("role", "id"),
            )
        )
        .annotate(recipient_role=Subquery(role))
        .order_by("-created_at", "-id")
    )
    if rule in Rule.values:
        nudges = nudges.filter(rule=rule)
    return nudges


def recipient_role_label(nudge: Nudge) -> str:
    role = getattr(nudge, "recipient_role", None)
    if role:
        return str(MentorshipMember.Role(role).label)
    return ROLE_BY_RULE.get(Rule(nudge.rule), "Former member")
