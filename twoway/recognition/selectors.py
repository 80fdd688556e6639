"""Reads of recognition.

Who may read a kudos is the audience rule of ``threads.audience`` (the receiver reads it too);
stories are read by their author while drafts and by every member of the organisation once
published — program managers see no drafts (confidentiality rule 1). Whatever a viewer may not
read answers 404, exactly like something that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from twoway.core.models import Membership
from twoway.enrolment.models import Application
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.recognition.models import Celebration, Kudos, Story
from twoway.rooms.access import Seat
from twoway.rooms.models import Session
from twoway.threads.audience import PARTNER_STATUSES, Audience, audience_of, visible_filter

FEED_SIZE = 5
ROOM_KUDOS_SIZE = 10


# --- Who takes part in what ----------------------------------------------------------------------


def _participant_filter(program_ids: Iterable[int]) -> Q:
    """People taking part in any of ``program_ids``: the same rule as ``audience_of`` (an
    approved application, or a mentorship that did not end early)."""
    ids = sorted(program_ids)
    return Q(
        mentorship_roles__mentorship__program_id__in=ids,
        mentorship_roles__mentorship__status__in=PARTNER_STATUSES,
    ) | Q(applications__program_id__in=ids, applications__status=Application.Status.APPROVED)


def _eligible(audience: Audience) -> QuerySet[Person]:
    organisation = audience.membership.organisation
    people = Person.objects.for_organisation(organisation).filter(is_active=True)
    if audience.person is None:
        return people.none()
    allowed = Q(pk__in=sorted(audience.partner_ids))
    if audience.program_ids:
        allowed |= _participant_filter(audience.program_ids)
    return people.filter(allowed).exclude(pk=audience.person.pk)


def person_ids_eligible_for_kudos(*, audience: Audience, person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` the viewer may thank."""
    return set(
        _eligible(audience).filter(pk__in=list(person_ids)).values_list("pk", flat=True).distinct()
    )


def kudos_receivers(*, audience: Audience) -> list[Person]:
    """Everyone the viewer may thank, by name (one query)."""
    ids = _eligible(audience).values("pk")
    return list(Person.objects.filter(pk__in=ids).order_by("first_name", "last_name", "id"))


def kudos_shared_programs(*, audience: Audience, receiver: Person) -> set[int]:
    """Programs both the viewer and ``receiver`` take part in."""
    if not audience.program_ids:
        return set()
    programs = Program.objects.for_organisation(audience.membership.organisation).filter(
        pk__in=sorted(audience.program_ids)
    )
    taking_part = Q(
        mentorships__members__person=receiver,
        mentorships__status__in=PARTNER_STATUSES,
    ) | Q(
        applications__person=receiver,
        applications__status=Application.Status.APPROVED,
    )
    return set(programs.filter(taking_part).values_list("pk", flat=True).distinct())


def kudos_shares_mentorship(*, mentorship: Mentorship, giver: Person, receiver: Person) -> bool:
    members = set(
        MentorshipMember.objects.filter(
            mentorship=mentorship, person_id__in=[giver.pk, receiver.pk]
        ).values_list("person_id", flat=True)
    )
    return members == {giver.pk, receiver.pk}


def programs_taken_part_in(*, audience: Audience) -> list[Program]:
    return list(
        Program.objects.for_organisation(audience.membership.organisation)
        .filter(pk__in=sorted(audience.program_ids))
        .order_by("name", "id")
    )


# --- Kudos ---------------------------------------------------------------------------------------


def kudos_list_visible(*, audience: Audience, program: Program | None = None) -> QuerySet[Kudos]:
    """Kudos the viewer may read, newest first (of ``program`` when given)."""
    kudos = (
        Kudos.objects.for_organisation(audience.membership.organisation)
        .filter(visible_filter(audience, author_field="giver", receiver_field="receiver"))
        .select_related("giver", "receiver", "program")
        .order_by("-id")
    )
    if program is not None:
        kudos = kudos.filter(program=program)
    return kudos


def kudos_received(*, audience: Audience) -> QuerySet[Kudos]:
    if audience.person is None:
        return Kudos.objects.none()
    return kudos_list_visible(audience=audience).filter(receiver=audience.person)


def kudos_given(*, audience: Audience) -> QuerySet[Kudos]:
    if audience.person is None:
        return Kudos.objects.none()
    return kudos_list_visible(audience=audience).filter(giver=audience.person)


def kudos_shared_with(*, audience: Audience) -> QuerySet[Kudos]:
    """Kudos between other people that their givers let the viewer read."""
    kudos = kudos_list_visible(audience=audience)
    if audience.person is None:
        return kudos
    return kudos.exclude(giver=audience.person).exclude(receiver=audience.person)


def kudos_get_for_giver(*, audience: Audience, kudos_id: int) -> Kudos:
    """A kudos the viewer gave, else 404 (also for one they may only read)."""
    if audience.person is None:
        raise Http404
    kudos = (
        Kudos.objects.for_organisation(audience.membership.organisation)
        .filter(pk=kudos_id, giver=audience.person)
        .first()
    )
    if kudos is None:
        raise Http404
    return kudos


# --- Stories -------------------------------------------------------------------------------------


def program_get_for_showcase(*, membership: Membership, program_id: int) -> Program:
    program = (
        Program.objects.for_organisation(membership.organisation).filter(pk=program_id).first()
    )
    if program is None:
        raise Http404
    return program


def story_list_published(*, program: Program, search: str = "") -> QuerySet[Story]:
    stories = (
        Story.objects.for_organisation(program.organisation)
        .filter(program=program, status=Story.Status.PUBLISHED)
        .select_related("author")
        .order_by("-published_at", "-id")
    )
    if search:
        stories = stories.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return stories


def story_list_mine(*, audience: Audience) -> QuerySet[Story]:
    if audience.person is None:
        return Story.objects.none()
    return (
        Story.objects.for_organisation(audience.membership.organisation)
        .filter(author=audience.person)
        .select_related("program")
        .order_by("-id")
    )


def story_get_readable(*, membership: Membership, story_id: int) -> Story:
    """A published story, or the viewer's own draft; anything else is 404."""
    story = (
        Story.objects.for_organisation(membership.organisation)
        .select_related("author", "program")
        .filter(pk=story_id)
        .first()
    )
    if story is None:
        raise Http404
    if story.status != Story.Status.PUBLISHED and story.author.user_id != membership.user_id:
        raise Http404
    return story


def story_get_for_author(*, membership: Membership, story_id: int) -> Story:
    story = (
        Story.objects.for_organisation(membership.organisation)
        .select_related("author", "program")
        .filter(pk=story_id, author__user=membership.user)
        .first()
    )
    if story is None:
        raise Http404
    return story


# --- Certificates --------------------------------------------------------------------------------


def certificates_mine(*, audience: Audience) -> list[Mentorship]:
    """Completed mentorships of the viewer: each has a certificate."""
    if audience.person is None:
        return []
    return list(
        Mentorship.objects.for_organisation(audience.membership.organisation)
        .filter(members__person=audience.person, status=Mentorship.Status.COMPLETED)
        .select_related("program")
        .order_by("-ended_at", "-id")
    )


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate states: no goals, notes or anything a member wrote."""

    full_name: str
    role: str
    program: str
    organisation: str
    started_at: Any
    ended_at: Any
    sessions_held: int


def certificate_facts(*, membership: Membership, mentorship_id: int) -> CertificateFacts:
    """The viewer's certificate for a completed mentorship they were a member of, else 404
    (program managers and admins included: it is the member's own document)."""
    member = (
        MentorshipMember.objects.for_organisation(membership.organisation)
        .select_related("mentorship__program", "person", "organisation")
        .filter(
            mentorship_id=mentorship_id,
            person__user=membership.user,
            mentorship__status=Mentorship.Status.COMPLETED,
        )
        .first()
    )
    if member is None:
        raise Http404
    mentorship = member.mentorship
    ended_at = mentorship.ended_at or timezone.now()
    held = (
        Session.objects.for_organisation(membership.organisation)
        .filter(mentorship=mentorship, status=Session.Status.SCHEDULED, starts_at__lte=ended_at)
        .count()
    )
    return CertificateFacts(
        full_name=member.person.full_name,
        role=member.get_role_display(),
        program=mentorship.program.name,
        organisation=member.organisation.name,
        started_at=mentorship.started_at,
        ended_at=ended_at,
        sessions_held=held,
    )


# --- Celebrations --------------------------------------------------------------------------------


def celebrations_of_mentorship(*, seat: Seat) -> QuerySet[Celebration]:
    return (
        Celebration.objects.for_organisation(seat.mentorship.organisation)
        .filter(mentorship=seat.mentorship)
        .order_by("-created_at", "-id")
    )


def celebrations_for_room(*, seat: Seat) -> dict[str, Any]:
    """The mentorship's celebrations and kudos its members may see, for the room page."""
    audience = audience_of(membership=_membership_of(seat))
    member_ids = list(seat.mentorship.members.values_list("person_id", flat=True))
    kudos = kudos_list_visible(audience=audience).filter(
        giver_id__in=member_ids, receiver_id__in=member_ids
    )[:ROOM_KUDOS_SIZE]
    return {
        "room_celebrations": list(celebrations_of_mentorship(seat=seat)),
        "room_kudos": list(kudos),
        "room_kudos_receivers": [
            person_id for person_id in member_ids if person_id != seat.member.person_id
        ],
    }


def _membership_of(seat: Seat) -> Membership:
    """The room's member's membership of its organisation (the room page has it as the
    viewer's; a seat alone does not carry it)."""
    return Membership(organisation=seat.mentorship.organisation, user=seat.member.person.user)


def recognition_for_feed(*, audience: Audience, program: Program | None = None) -> dict[str, Any]:
    """Recent celebrations of the viewer's mentorships and kudos the viewer may see (of
    ``program`` when given), for the Growth Threads feed pages. Two queries."""
    celebrations: list[Celebration] = []
    if audience.person is not None:
        celebrations = list(
            Celebration.objects.for_organisation(audience.membership.organisation)
            .filter(mentorship__members__person=audience.person)
            .select_related("mentorship__program")
            .order_by("-id")[:FEED_SIZE]
        )
    kudos = list(kudos_list_visible(audience=audience, program=program)[:FEED_SIZE])
    return {"feed_celebrations": celebrations, "feed_kudos": kudos}
