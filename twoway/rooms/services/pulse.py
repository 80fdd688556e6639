"""The one-click pulse after a session: "how useful was it?" from 1 to 5, and an optional
reflection that only its author reads. Ratings reach program health as aggregates only."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.core.models import Organisation
from twoway.programs.models import Program
from twoway.recognition.models import Celebration
from twoway.recognition.services import celebration_record
from twoway.rooms.access import Seat, require_live
from twoway.rooms.models import TEXT_MAX_CHARS, Pulse, Session
from twoway.rooms.services.notes import session_in_room

RATINGS = (1, 2, 3, 4, 5)


def pulse_open(session: Session) -> bool:
    """A pulse can be given once a scheduled session has started."""
    return session.status == Session.Status.SCHEDULED and session.starts_at <= timezone.now()


@transaction.atomic
def pulse_submit(*, seat: Seat, session: Session, rating: int, reflection: str = "") -> Pulse:
    """One pulse per member and session; submitting again corrects it."""
    session_in_room(seat, session)
    require_live(seat)
    if session.status != Session.Status.SCHEDULED:
        raise ApplicationError("This session was cancelled; there is nothing to rate.")
    if session.starts_at > timezone.now():
        raise ApplicationError("You can rate this session once it has started.")
    if rating not in RATINGS:
        raise ApplicationError(
            f"Rate the session from 1 to 5, not {rating}.", extra={"field": "rating"}
        )
    reflection = reflection.strip()
    if len(reflection) > TEXT_MAX_CHARS:
        raise ApplicationError(
            f"A reflection can be at most {TEXT_MAX_CHARS:,} characters; "
            f"this one has {len(reflection):,}.",
            extra={"field": "reflection"},
        )
    pulse, _ = Pulse.objects.update_or_create(
        session=session,
        member=seat.member,
        defaults={"rating": rating, "reflection": reflection},
        create_defaults={
            "organisation_id": session.organisation_id,
            "rating": rating,
            "reflection": reflection,
        },
    )
    # A pulse proves the session was held: the mentorship's first one is a milestone.
    celebration_record(mentorship=seat.mentorship, kind=Celebration.Kind.FIRST_SESSION)
    return pulse


def pulse_summary(*, organisation: Organisation, program: Program) -> dict[str, Any]:
    """How useful the program's sessions were: count, mean and the spread of ratings — no
    names, no text."""
    rows = (
        Pulse.objects.for_organisation(organisation)
        .filter(session__mentorship__program=program)
        .values("rating")
        .annotate(n=Count("id"))
    )
    distribution = dict.fromkeys(RATINGS, 0)
    for row in rows:
        distribution[row["rating"]] = row["n"]
    count = sum(distribution.values())
    mean = round(sum(r * n for r, n in distribution.items()) / count, 2) if count else None
    return {"count": count, "mean": mean, "distribution": distribution}
