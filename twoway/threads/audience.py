"""Who may read what an author shares: the one place the ``Visibility`` rule is decided.

Journal entries and kudos both let their author choose an audience. ``audience_of`` gathers, in
three queries, what a viewer is to other people in one organisation (their directory person,
the people they share a mentorship with, the programs they take part in); ``visible_filter``
turns that into a ``Q`` any queryset of such content can be filtered with, so pages, the API,
feeds, search and notifications all ask the same question.

- PRIVATE: the author (and, for kudos, its receiver) only.
- MENTORSHIPS: people who share a mentorship with the author (not one that ended early).
- PROGRAM: participants of the content's program (an approved application or a mentorship in
  it). Managing the program is not taking part in it.
- ORGANISATION: every active member of the organisation, managers and admins included.

A reporting line grants nothing (confidentiality rule 3), and another organisation's content is
never visible: callers filter by organisation first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from twoway.core.models import Membership
from twoway.enrolment.models import Application
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.threads.models import Visibility

# Statuses in which members count as each other's mentorship for MENTORSHIPS visibility.
# Ending early is no-fault, and a former partner stops seeing what is shared "with my mentorship".
PARTNER_STATUSES = (
    Mentorship.Status.AGREEMENT_PENDING,
    Mentorship.Status.ACTIVE,
    Mentorship.Status.COMPLETED,
)


@dataclass(frozen=True)
class Audience:
    """What a viewer is to others in one organisation."""

    membership: Membership
    person: Person | None  # the viewer's directory entry; None for a member without one
    partner_ids: frozenset[int] = field(default_factory=frozenset)  # person ids
    program_ids: frozenset[int] = field(default_factory=frozenset)  # programs taken part in


def audience_of(*, membership: Membership) -> Audience:
    """The viewer's audience in ``membership.organisation`` (three queries, whatever their
    number of mentorships)."""
    organisation = membership.organisation
    person = Person.objects.for_organisation(organisation).filter(user=membership.user).first()
    if person is None:
        return Audience(membership=membership, person=None)
    partner_ids: set[int] = set()
    program_ids: set[int] = set()
    rows = (
        MentorshipMember.objects.for_organisation(organisation)
        .filter(
            mentorship__members__person=person,
            mentorship__status__in=PARTNER_STATUSES,
        )
        .values_list("person_id", "mentorship__program_id")
    )
    for partner_id, program_id in rows:
        program_ids.add(program_id)
        if partner_id != person.pk:
            partner_ids.add(partner_id)
    program_ids.update(
        Application.objects.for_organisation(organisation)
        .filter(person=person, status=Application.Status.APPROVED)
        .values_list("program_id", flat=True)
    )
    return Audience(
        membership=membership,
        person=person,
        partner_ids=frozenset(partner_ids),
        program_ids=frozenset(program_ids),
    )


def visible_filter(
    audience: Audience,
    *,
    author_field: str = "author",
    program_field: str = "program",
    receiver_field: str | None = None,
) -> Q:
    """A ``Q`` selecting rows ``audience`` may read. The caller scopes by organisation."""
    allowed = Q(visibility=Visibility.ORGANISATION)
    person = audience.person
    if person is None:
        return allowed
    allowed |= Q(**{f"{author_field}_id": person.pk})
    if receiver_field is not None:
        allowed |= Q(**{f"{receiver_field}_id": person.pk})
    if audience.partner_ids:
        allowed |= Q(visibility=Visibility.MENTORSHIPS) & Q(
            **{f"{author_field}_id__in": sorted(audience.partner_ids)}
        )
    if audience.program_ids:
        allowed |= Q(visibility=Visibility.PROGRAM) & Q(
            **{f"{program_field}_id__in": sorted(audience.program_ids)}
        )
    return allowed
