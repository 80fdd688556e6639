"""Writes of recognition."""

from __future__ import annotations

from twoway.mentorships.models import Mentorship
from twoway.recognition.models import Celebration


def celebration_record(
    *, mentorship: Mentorship, kind: Celebration.Kind, subject: str = ""
) -> Celebration:
    """Celebrate a milestone of ``mentorship`` once: a second call returns the first row."""
    celebration, _ = Celebration.objects.get_or_create(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        kind=kind,
        subject=subject[:200],
    )
    return celebration
