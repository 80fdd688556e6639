"""The two-way agreement of a mentorship: drafted when the mentorship is created, filled and
accepted by every member.

Goals are two-way: every member — the senior leader of a reverse mentorship too — says what
they want to learn and what they offer before they can accept. The agreement is editable by
agreement: once anyone has accepted, a change raises the version, and the others must accept
the new version (the editor's own acceptance moves with their change); a member filling in
their own part before they first accept does not ask the others again. When every member has
accepted the current version, the agreement holds and a pending mentorship becomes active.

This module may import ``mentorships.models`` but not ``mentorships.services``, which calls
``agreement_draft`` (an import cycle otherwise).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.rooms.access import Seat, require_live
from twoway.rooms.models import TEXT_MAX_CHARS, Agreement, MemberStatement

RHYTHM_WEEKS = (1, 12)
SESSION_MINUTES = (15, 240)


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


@transaction.atomic
def agreement_draft(*, mentorship: Mentorship) -> Agreement:
    """The first version of the agreement, with the program's rhythm, session length and
    confidentiality guidelines, and one empty statement per member."""
    program = mentorship.program
    agreement = Agreement.objects.create(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        rhythm_weeks=_clamp(program.cadence_weeks or RHYTHM_WEEKS[0], RHYTHM_WEEKS),
        session_minutes=_clamp(program.session_minutes or SESSION_MINUTES[0], SESSION_MINUTES),
        confidentiality=program.confidentiality_guidelines,
    )
    members = MentorshipMember.objects.filter(mentorship=mentorship).order_by("pk")
    MemberStatement.objects.bulk_create(
        MemberStatement(organisation_id=mentorship.organisation_id, agreement=agreement, member=m)
        for m in members
    )
    return agreement


def _locked(seat: Seat) -> tuple[Agreement, MemberStatement]:
    """The agreement and the viewer's statement, locked so two members accepting at once
    cannot both miss that the other accepted."""
    agreement = Agreement.objects.select_for_update().get(mentorship_id=seat.mentorship.pk)
    statement = MemberStatement.objects.select_for_update().get(
        agreement=agreement, member_id=seat.member.pk
    )
    return agreement, statement


def _check_text(label: str, value: str) -> str:
    value = value.strip()
    if len(value) > TEXT_MAX_CHARS:
        raise ApplicationError(
            f"“{label}” can be at most {TEXT_MAX_CHARS:,} characters; yours has {len(value):,}."
        )
    return value


@transaction.atomic
def agreement_update(
    *,
    seat: Seat,
    wants_to_learn: str,
    offers: str,
    rhythm_weeks: int | None = None,
    session_minutes: int | None = None,
) -> Agreement:
    """The viewer edits their own statement and/or the shared terms. After anyone accepted, a
    real change makes a new version that the others must accept again."""
    require_live(seat)
    wants_to_learn = _check_text("What I want to learn", wants_to_learn)
    offers = _check_text("What I offer", offers)
    if rhythm_weeks is not None and not RHYTHM_WEEKS[0] <= rhythm_weeks <= RHYTHM_WEEKS[1]:
        raise ApplicationError(
            f"Meet every {RHYTHM_WEEKS[0]} to {RHYTHM_WEEKS[1]} weeks; {rhythm_weeks} is outside."
        )
    if session_minutes is not None and not (
        SESSION_MINUTES[0] <= session_minutes <= SESSION_MINUTES[1]
    ):
        raise ApplicationError(
            f"A session lasts {SESSION_MINUTES[0]} to {SESSION_MINUTES[1]} minutes; "
            f"{session_minutes} is outside."
        )
    agreement, statement = _locked(seat)
    terms_changed = (rhythm_weeks is not None and rhythm_weeks != agreement.rhythm_weeks) or (
        session_minutes is not None and session_minutes != agreement.session_minutes
    )
    statement_changed = (wants_to_learn, offers) != (statement.wants_to_learn, statement.offers)
    if not terms_changed and not statement_changed:
        return agreement
    anyone_accepted = MemberStatement.objects.filter(
        agreement=agreement, accepted_version__isnull=False
    ).exists()
    was_accepted_by_editor = statement.accepted_version == agreement.version
    # A member who has never accepted is still writing their own part: that is not a change
    # to what the others accepted, or the first to accept would always have to accept twice.
    drafting_own_part = not terms_changed and statement.accepted_version is None
    if rhythm_weeks is not None:
        agreement.rhythm_weeks = rhythm_weeks
    if session_minutes is not None:
        agreement.session_minutes = session_minutes
    new_version = anyone_accepted and not drafting_own_part
    if new_version:
        agreement.version += 1
        agreement.agreed_at = None
    agreement.save(
        update_fields=["rhythm_weeks", "session_minutes", "version", "agreed_at", "updated_at"]
    )
    statement.wants_to_learn = wants_to_learn
    statement.offers = offers
    if new_version and was_accepted_by_editor:
        # The editor agrees with their own change; the others see a new version to accept.
        statement.accepted_version = agreement.version
        statement.accepted_at = timezone.now()
    statement.save(
        update_fields=["wants_to_learn", "offers", "accepted_version", "accepted_at", "updated_at"]
    )
    return agreement


@transaction.atomic
def agreement_accept(*, seat: Seat) -> Agreement:
    """The viewer accepts the current version. Once everyone has, the agreement holds and the
    mentorship becomes active."""
    require_live(seat)
    agreement, statement = _locked(seat)
    missing = [
        label
        for label, value in (
            ("what you want to learn", statement.wants_to_learn),
            ("what you offer", statement.offers),
        )
        if not value.strip()
    ]
    if missing:
        raise ApplicationError(
            "Before you accept, fill in " + " and ".join(missing) + " in your statement: "
            "goals go both ways in this mentorship."
        )
    now = timezone.now()
    if statement.accepted_version != agreement.version:
        statement.accepted_version = agreement.version
        statement.accepted_at = now
        statement.save(update_fields=["accepted_version", "accepted_at", "updated_at"])
    pending = (
        MemberStatement.objects.filter(agreement=agreement)
        .exclude(accepted_version=agreement.version)
        .exists()
    )
    if not pending and agreement.agreed_at is None:
        agreement.agreed_at = now
        agreement.save(update_fields=["agreed_at", "updated_at"])
        Mentorship.objects.filter(
            pk=seat.mentorship.pk, status=Mentorship.Status.AGREEMENT_PENDING
        ).update(status=Mentorship.Status.ACTIVE, updated_at=now)
        if seat.mentorship.status == Mentorship.Status.AGREEMENT_PENDING:
            seat.mentorship.status = Mentorship.Status.ACTIVE
    return agreement
