"""Writes on mentorships. Publishing a matching run and accepting a self-service request both
create mentorships here, so the rules of what a new mentorship holds live in one place.

The lifecycle: a new mentorship waits for its two-way agreement (``rooms.services.agreement``),
is active once every member accepted it, and ends either when it is due (the program closes or
a daily command finds it past ``ends_on``) or early, no-fault, by any member. Managers may
extend a live one beyond the program's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.mentorships.models import Mentorship, MentorshipEnding, MentorshipMember
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.recognition.models import Celebration
from twoway.recognition.services import celebrations_record_many
from twoway.rooms.access import LIVE, Seat, mentorship_get_for_manager, require_live
from twoway.rooms.models import Session
from twoway.rooms.services.agreement import agreement_draft

REASON_MAX_CHARS = 2000

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
        ends_on=program.end_date,
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
    agreement_draft(mentorship=mentorship)
    return mentorship


@transaction.atomic
def mentorship_end_early(*, seat: Seat, reason: str, rematch: bool) -> Mentorship:
    """A member ends a live mentorship, no-fault. Its future sessions are cancelled; the reason
    stays the author's own; asking to be matched again is what the managers see."""
    require_live(seat)
    reason = reason.strip()
    if len(reason) > REASON_MAX_CHARS:
        raise ApplicationError(
            f"Your reason can be at most {REASON_MAX_CHARS:,} characters; it has {len(reason):,}."
        )
    now = timezone.now()
    ended = Mentorship.objects.filter(pk=seat.mentorship.pk, status__in=LIVE).update(
        status=Mentorship.Status.ENDED_EARLY, ended_at=now, updated_at=now
    )
    if not ended:  # someone else ended it a moment ago
        raise ApplicationError("This mentorship has ended; its room is read-only.")
    MentorshipEnding.objects.create(
        organisation_id=seat.mentorship.organisation_id,
        mentorship=seat.mentorship,
        ended_by=seat.member,
        reason=reason,
        rematch_requested=rematch,
    )
    Session.objects.filter(
        mentorship_id=seat.mentorship.pk, status=Session.Status.SCHEDULED, starts_at__gt=now
    ).update(status=Session.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=now)
    seat.mentorship.status = Mentorship.Status.ENDED_EARLY
    seat.mentorship.ended_at = now
    return seat.mentorship


@transaction.atomic
def mentorships_complete(*, program: Program, today: dt.date) -> int:
    """Complete the program's live mentorships that are due: ended by ``today``, or without an
    end date once the program is closed; an extended one stays active until its own end.
    Returns how many."""
    now = timezone.now()
    due = Q(ends_on__lte=today)
    if program.status == Program.Status.CLOSED:
        due |= Q(ends_on__isnull=True)
    completing = list(
        Mentorship.objects.select_for_update()
        .filter(program=program, status__in=LIVE)
        .filter(due)
        .values_list("pk", "organisation_id")
    )
    count = Mentorship.objects.filter(pk__in=[pk for pk, _ in completing]).update(
        status=Mentorship.Status.COMPLETED, ended_at=now, updated_at=now
    )
    # Completing the program is a milestone each member's room and feed celebrate.
    celebrations_record_many(mentorships=completing, kind=Celebration.Kind.PROGRAM_COMPLETED)
    return count


@transaction.atomic
def mentorship_extend(
    *, actor: Any, membership: Membership, mentorship: Mentorship, until: dt.date
) -> Mentorship:
    """A manager of the program (or an admin) lets a live mentorship run until ``until``."""
    mentorship = mentorship_get_for_manager(membership=membership, mentorship_id=mentorship.pk)
    if mentorship.status not in LIVE:
        raise ApplicationError("Only a mentorship that is still under way can be extended.")
    today = timezone.localdate()
    if until <= today:
        raise ApplicationError(
            f"The new end date must be after today ({today:%d %B %Y}); {until:%d %B %Y} is not."
        )
    if mentorship.ends_on is not None and until <= mentorship.ends_on:
        raise ApplicationError(
            f"The new end date must be after the current one ({mentorship.ends_on:%d %B %Y})."
        )
    mentorship.ends_on = until
    mentorship.save(update_fields=["ends_on", "updated_at"])
    return mentorship
