"""Who may enter a room, fetched and authorised in one step.

A room is for its members. Being a program manager, an organisation admin or someone's line
manager grants nothing here (confidentiality rules 1 and 3): they get the same 404 as for a
room that does not exist. Managers of the mentorship's program get a metadata-only view through
``mentorship_get_for_manager`` instead.

Membership is by directory person (``person.user``), so someone who signed up after the match
was published still gets in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.selectors import program_get_for_manager

# A finished mentorship stays readable by its members (their notes and goals are theirs);
# services refuse writes to it.
LIVE = (Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE)


@dataclass(frozen=True)
class Seat:
    """The viewer's place in a room: the mentorship and their membership of it."""

    mentorship: Mentorship
    member: MentorshipMember

    @property
    def is_live(self) -> bool:
        return self.mentorship.status in LIVE


def room_get_for_member(*, membership: Membership, mentorship_id: int) -> Seat:
    """The room of ``mentorship_id`` if the viewer is one of its members, else 404."""
    member = (
        MentorshipMember.objects.for_organisation(membership.organisation)
        .select_related("mentorship__program", "person")
        .filter(mentorship_id=mentorship_id, person__user=membership.user)
        .first()
    )
    if member is None:
        raise Http404
    return Seat(mentorship=member.mentorship, member=member)


def mentorship_get_for_manager(*, membership: Membership, mentorship_id: int) -> Mentorship:
    """A mentorship whose program ``membership`` may manage (its managers, the organisation's
    admins), for metadata-only pages; anyone else gets 404."""
    mentorship = (
        Mentorship.objects.for_organisation(membership.organisation)
        .select_related("program")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None:
        raise Http404
    program_get_for_manager(membership=membership, program_id=mentorship.program_id)
    return mentorship


def require_live(seat: Seat) -> None:
    """Services call this before a write: a completed or ended room is read-only."""
    if not seat.is_live:
        raise ApplicationError("This mentorship has ended; its room is read-only.")
