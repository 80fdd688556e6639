"""Who may read and moderate a space, fetched and authorised in one step.

Every community page is reached from an organisation's pages (``/o/<org>/communities/...``),
so the viewer is their membership of that organisation. A space, topic, post or report the
viewer may not read answers 404, exactly like a missing one.

- ORGANISATION space: every active member of its organisation.
- PROGRAM space: the program's participants (the audience rule of ``threads.audience``), its
  managers and the organisation's admins.
- RUNNERS space: program managers and admins of an organisation that opted in
  (``RunnersOptIn``). Participants, and everyone in an organisation that did not opt in, get 404.

Moderators: the organisation's admins (organisation space); the program's managers and the
organisation's admins (program space); staff operators only (runners space), since no single
organisation owns it. Moderators also read hidden posts and topics; others never do.

``reader_membership`` answers the same question for someone other than the viewer (who is
mentioned, who is notified), so a notification never reaches someone who could not open it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from twoway.communities.models import Post, Report, RunnersOptIn, Space, Topic
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Role
from twoway.programs.models import Program
from twoway.threads.audience import audience_of


@dataclass(frozen=True)
class SpaceAccess:
    """The viewer's place in a space: the membership they came with and whether they moderate."""

    space: Space
    membership: Membership
    is_moderator: bool

    @property
    def is_runners(self) -> bool:
        return self.space.kind == Space.Kind.RUNNERS


def runners_eligible(membership: Membership) -> bool:
    """A program manager or admin of an organisation that opted into the runners space."""
    return (
        membership.has_role(Role.PROGRAM_MANAGER)
        and RunnersOptIn.objects.filter(organisation_id=membership.organisation_id).exists()
    )


def manages_program(membership: Membership, program: Program) -> bool:
    if membership.organisation_id != program.organisation_id:
        return False
    if membership.has_role(Role.ADMIN):
        return True
    return (
        membership.has_role(Role.PROGRAM_MANAGER)
        and program.managers.filter(pk=membership.user_id).exists()
    )


def can_read_space(membership: Membership, space: Space) -> bool:
    if not membership.is_active:
        return False
    if space.kind == Space.Kind.RUNNERS:
        return runners_eligible(membership)
    if space.organisation_id != membership.organisation_id:
        return False
    if space.kind == Space.Kind.ORGANISATION:
        return True
    program = space.program
    if program is None:
        return False
    if manages_program(membership, program):
        return True
    return program.pk in audience_of(membership=membership).program_ids


def is_moderator(membership: Membership, space: Space) -> bool:
    if space.kind == Space.Kind.RUNNERS:
        return bool(membership.user.is_staff)
    if space.kind == Space.Kind.ORGANISATION:
        return membership.has_role(Role.ADMIN)
    return space.program is not None and manages_program(membership, space.program)


def access_for(membership: Membership, space: Space) -> SpaceAccess:
    """The viewer's access to ``space`` or 404."""
    if not can_read_space(membership, space):
        raise Http404
    return SpaceAccess(
        space=space, membership=membership, is_moderator=is_moderator(membership, space)
    )


def _spaces_in_reach(membership: Membership) -> Q:
    """Rows the viewer could possibly read; the precise rule is ``can_read_space``."""
    return Q(organisation_id=membership.organisation_id) | Q(kind=Space.Kind.RUNNERS)


def space_get_for_member(*, membership: Membership, space_id: int) -> SpaceAccess:
    space = (
        Space.objects.filter(_spaces_in_reach(membership), pk=space_id)
        .select_related("program", "organisation")
        .first()
    )
    if space is None:
        raise Http404
    return access_for(membership, space)


def topic_get_for_member(*, membership: Membership, topic_id: int) -> tuple[SpaceAccess, Topic]:
    """A topic of a space the viewer reads; a hidden topic only for moderators."""
    topic = (
        Topic.objects.filter(
            Q(space__organisation_id=membership.organisation_id)
            | Q(space__kind=Space.Kind.RUNNERS),
            pk=topic_id,
        )
        .select_related("space__program", "space__organisation", "author", "author_organisation")
        .first()
    )
    if topic is None:
        raise Http404
    access = access_for(membership, topic.space)
    if topic.is_hidden and not access.is_moderator:
        raise Http404
    return access, topic


def post_get_for_member(*, membership: Membership, post_id: int) -> tuple[SpaceAccess, Post]:
    """A post the viewer may read: in a readable topic, not hidden unless they moderate."""
    post = (
        Post.objects.filter(
            Q(topic__space__organisation_id=membership.organisation_id)
            | Q(topic__space__kind=Space.Kind.RUNNERS),
            pk=post_id,
        )
        .select_related("topic__space__program", "topic__space__organisation", "author")
        .first()
    )
    if post is None:
        raise Http404
    access = access_for(membership, post.topic.space)
    if (post.is_hidden or post.topic.is_hidden) and not access.is_moderator:
        raise Http404
    return access, post


def report_get_for_moderator(
    *, membership: Membership, report_id: int
) -> tuple[SpaceAccess, Report]:
    """A report, for the moderators of its space only (anyone else: 404)."""
    report = (
        Report.objects.filter(
            Q(post__topic__space__organisation_id=membership.organisation_id)
            | Q(post__topic__space__kind=Space.Kind.RUNNERS),
            pk=report_id,
        )
        .select_related("post__topic__space__program", "post__topic__space__organisation")
        .first()
    )
    if report is None:
        raise Http404
    access = access_for(membership, report.post.topic.space)
    require_moderator_or_404(access)
    return access, report


def require_moderator_or_404(access: SpaceAccess) -> None:
    """Pages and endpoints: a reader who is not a moderator learns nothing of moderation."""
    if not access.is_moderator:
        raise Http404


def require_moderator(access: SpaceAccess) -> None:
    """Services' own check (pages and endpoints have already answered 404)."""
    if not access.is_moderator:
        raise ApplicationError("Only the moderators of this space may do this.")


def reader_membership(*, user_id: int, space: Space) -> Membership | None:
    """A membership through which ``user_id`` reads ``space`` now, or None."""
    memberships = Membership.objects.select_related("organisation", "user").filter(
        user_id=user_id, is_active=True, organisation__is_active=True
    )
    if space.kind == Space.Kind.RUNNERS:
        memberships = memberships.filter(
            role__in=[Role.PROGRAM_MANAGER, Role.ADMIN],
            organisation__in=RunnersOptIn.objects.values("organisation_id"),
        ).order_by("id")
    else:
        memberships = memberships.filter(organisation=space.organisation)
    for membership in memberships:
        if can_read_space(membership, space):
            return membership
    return None
