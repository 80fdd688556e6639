"""Reads for the room's shell (members, the agreement, the ending) and for the managers'
metadata view of one mentorship.

The room is read by its members only (``room_get_for_member`` has checked that). The ending
reason is shown to the member who wrote it and to nobody else. The managers' overview holds
dates, counts and statuses only: no statement, no reason, no goal title.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from twoway.core.models import Organisation
from twoway.mentorships.models import Mentorship, MentorshipEnding, MentorshipMember
from twoway.mentorships.selectors import member_status_label
from twoway.rooms.access import Seat
from twoway.rooms.models import Agreement, Session
from twoway.rooms.selectors.work import goal_status_by_mentorship

GOAL_STATUS_LABELS = {
    "on_track": "On track",
    "behind": "Behind",
    "done": "Done",
    "none": "No goals yet",
}


def room_members(*, organisation: Organisation, seat: Seat) -> list[MentorshipMember]:
    """The members of the room with their person and agreement statement, mentors first."""
    return list(
        MentorshipMember.objects.for_organisation(organisation)
        .filter(mentorship_id=seat.mentorship.pk)
        .select_related("person", "statement")
        .order_by("role", "id")
    )


def room_shell(*, organisation: Organisation, seat: Seat) -> dict[str, Any]:
    """Context for the top of the room page and ``rooms/_agreement.html``: members with their
    statements, the agreement, whether the viewer accepted its current version, and the
    viewer's own ending reason if they ended it. Three queries whatever the room's size."""
    mentorship = seat.mentorship
    members = room_members(organisation=organisation, seat=seat)
    agreement = (
        Agreement.objects.for_organisation(organisation).filter(mentorship_id=mentorship.pk).first()
    )
    statements = []
    my_statement = None
    for member in members:
        statement = getattr(member, "statement", None)
        accepted = bool(agreement and statement and statement.accepted_version == agreement.version)
        statements.append({"member": member, "statement": statement, "accepted": accepted})
        if member.pk == seat.member.pk:
            my_statement = statement
    has_accepted = bool(
        agreement and my_statement and my_statement.accepted_version == agreement.version
    )
    own_ending = None
    if mentorship.status == Mentorship.Status.ENDED_EARLY:
        # Only the author of the ending reads it; the others get the neutral status alone.
        own_ending = (
            MentorshipEnding.objects.for_organisation(organisation)
            .filter(mentorship_id=mentorship.pk, ended_by_id=seat.member.pk)
            .first()
        )
    return {
        "seat": seat,
        "mentorship": mentorship,
        "member": seat.member,
        "members": members,
        "is_live": seat.is_live,
        "status_label": member_status_label(mentorship),
        "agreement": agreement,
        "statements": statements,
        "my_statement": my_statement,
        "has_accepted": has_accepted,
        "own_ending": own_ending,
    }


def mentorship_overview(
    *, organisation: Organisation, mentorship: Mentorship, now: dt.datetime
) -> dict[str, Any]:
    """One mentorship's metadata for its program's managers (the caller checked that)."""
    members = list(
        MentorshipMember.objects.for_organisation(organisation)
        .filter(mentorship_id=mentorship.pk)
        .select_related("person")
        .order_by("role", "id")
    )
    agreed_at = (
        Agreement.objects.for_organisation(organisation)
        .filter(mentorship_id=mentorship.pk)
        .values_list("agreed_at", flat=True)
        .first()
    )
    sessions = Session.objects.for_organisation(organisation).filter(mentorship_id=mentorship.pk)
    scheduled = Q(status=Session.Status.SCHEDULED)
    counts = sessions.aggregate(
        held=Count("pk", filter=scheduled & Q(starts_at__lt=now)),
        upcoming=Count("pk", filter=scheduled & Q(starts_at__gte=now)),
        cancelled=Count("pk", filter=Q(status=Session.Status.CANCELLED)),
    )
    ending = (
        MentorshipEnding.objects.for_organisation(organisation)
        .filter(mentorship_id=mentorship.pk)
        .values("ended_by_id", "rematch_requested")
        .first()
    )
    rematch_by = ""
    if ending and ending["rematch_requested"]:
        rematch_by = next(
            (m.person.full_name for m in members if m.pk == ending["ended_by_id"]), ""
        )
    goal_status = goal_status_by_mentorship(
        organisation=organisation, mentorship_ids=[mentorship.pk]
    ).get(mentorship.pk, "none")
    return {
        "mentorship": mentorship,
        "members": members,
        "agreed_at": agreed_at,
        "session_dates": list(sessions.values("starts_at", "status", "duration_minutes")),
        "counts": counts,
        "rematch_by": rematch_by,
        "goal_status": goal_status,
        "goal_status_label": GOAL_STATUS_LABELS.get(goal_status, goal_status),
    }
