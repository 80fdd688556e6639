"""Who may read, author and assign roadmaps, fetched and authorised in one step.

- Reading: an organisation roadmap (``program`` empty) is shared material of the organisation:
  any active member reads it. A program's own roadmap is read by that program's managers (and
  the organisation's admins) and by the members of the program's mentorships, who may choose it.
- Authoring: organisation roadmaps by the organisation's admins; a program's roadmaps by that
  program's managers (``program_get_for_manager``, which admits admins too).
- Anything else answers 404, exactly like a roadmap that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from twoway.core.models import Membership, Role
from twoway.mentorships.models import MentorshipMember
from twoway.programs.selectors import program_list_managed
from twoway.roadmaps.models import Roadmap


def managed_program_ids(membership: Membership) -> QuerySet:
    return program_list_managed(membership=membership).values("pk")


def member_program_ids(membership: Membership) -> QuerySet:
    """Programs in which the viewer is a member of a mentorship."""
    return (
        MentorshipMember.objects.for_organisation(membership.organisation)
        .filter(person__user=membership.user)
        .values("mentorship__program_id")
    )


def readable_filter(membership: Membership) -> Q:
    return (
        Q(program__isnull=True)
        | Q(program_id__in=managed_program_ids(membership))
        | Q(program_id__in=member_program_ids(membership))
    )


def can_author(membership: Membership, roadmap: Roadmap) -> bool:
    """Admins author everything; a program's managers author that program's roadmaps."""
    if membership.has_role(Role.ADMIN):
        return True
    if roadmap.program_id is None:
        return False
    return program_list_managed(membership=membership).filter(pk=roadmap.program_id).exists()


def roadmap_get_readable(*, membership: Membership, roadmap_id: int) -> Roadmap:
    roadmap = (
        Roadmap.objects.for_organisation(membership.organisation)
        .select_related("current_version", "program")
        .filter(readable_filter(membership), pk=roadmap_id)
        .first()
    )
    if roadmap is None:
        raise Http404
    return roadmap


def roadmap_get_for_author(*, membership: Membership, roadmap_id: int) -> Roadmap:
    """The roadmap if the viewer may edit it; 404 otherwise (also for mere readers)."""
    roadmap = (
        Roadmap.objects.for_organisation(membership.organisation)
        .select_related("current_version", "program")
        .filter(pk=roadmap_id)
        .first()
    )
    if roadmap is None or not can_author(membership, roadmap):
        raise Http404
    return roadmap
