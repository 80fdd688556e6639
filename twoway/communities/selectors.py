"""Reads of Communities, each from the viewer's ``SpaceAccess`` (or membership): hidden topics
and posts only for moderators, and authors shown by name only — in the runners space as
"Display name (Organisation)", never an email or anything from the directory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from twoway.communities.access import SpaceAccess, runners_eligible
from twoway.communities.models import Post, Report, Space, Topic
from twoway.communities.services import (
    space_ensure_organisation,
    space_ensure_program,
    space_ensure_runners,
)
from twoway.core.models import Membership
from twoway.programs.models import Program
from twoway.programs.selectors import program_list_managed
from twoway.threads.audience import audience_of

TOPICS_PER_PAGE = 20
POSTS_PER_PAGE = 20
BEST_PRACTICE_PREVIEW = 5
RUNNER_FALLBACK = "A program runner"
MEMBER_FALLBACK = "A member"


def author_label(*, space: Space, author: Any, organisation: Any) -> str:
    """How an author is shown in ``space``."""
    if space.kind == Space.Kind.RUNNERS:
        return f"{author.display_name or RUNNER_FALLBACK} ({organisation.name})"
    return author.display_name or MEMBER_FALLBACK


def label_authors(space: Space, rows: Iterable[Topic | Post]) -> None:
    for row in rows:
        row.author_label = author_label(  # type: ignore[union-attr]
            space=space, author=row.author, organisation=row.author_organisation
        )


def space_list_for_member(*, membership: Membership) -> list[Space]:
    """The spaces the viewer may enter, made on first use: the organisation's, those of the
    programs they take part in or manage, and the runners space if eligible."""
    spaces = [space_ensure_organisation(organisation=membership.organisation)]
    program_ids = set(audience_of(membership=membership).program_ids)
    program_ids |= set(program_list_managed(membership=membership).values_list("pk", flat=True))
    existing = {
        space.program_id: space
        for space in Space.objects.filter(
            kind=Space.Kind.PROGRAM,
            organisation_id=membership.organisation_id,
            program_id__in=program_ids,
        ).select_related("program")
    }
    missing = program_ids - set(existing)
    for program in Program.objects.for_organisation(membership.organisation).filter(pk__in=missing):
        existing[program.pk] = space_ensure_program(program=program)
    spaces += sorted(existing.values(), key=lambda space: (space.title.lower(), space.pk))
    if runners_eligible(membership):
        spaces.append(space_ensure_runners())
    return spaces


def _topics(access: SpaceAccess) -> QuerySet[Topic]:
    topics = Topic.objects.filter(space=access.space).select_related(
        "author", "author_organisation"
    )
    if not access.is_moderator:
        topics = topics.filter(is_hidden=False)
    return topics


def topic_list(*, access: SpaceAccess, search: str = "") -> QuerySet[Topic]:
    """Newest activity first; ``search`` narrows by title."""
    topics = _topics(access).order_by("-last_post_at", "-id")
    search = " ".join(search.split())
    if search:
        topics = topics.filter(title__icontains=search)
    return topics


def best_practice_list(*, access: SpaceAccess) -> QuerySet[Topic]:
    return _topics(access).filter(is_pinned=True).order_by("title", "id")


def post_list(*, access: SpaceAccess, topic: Topic) -> QuerySet[Post]:
    posts = Post.objects.filter(topic=topic).select_related("author", "author_organisation")
    if not access.is_moderator:
        posts = posts.filter(is_hidden=False)
    return posts.order_by("id")


def report_queue(*, access: SpaceAccess) -> QuerySet[Report]:
    """Open reports of the space, oldest first, with their post (moderators only: the caller
    has checked)."""
    return (
        Report.objects.filter(post__topic__space=access.space, status=Report.Status.OPEN)
        .select_related("post__topic", "post__author", "post__author_organisation", "reporter")
        .order_by("id")
    )


def search_visible(*, membership: Membership, spaces: list[Space], query: str) -> QuerySet[Topic]:
    """Visible topics of ``spaces`` (those ``space_list_for_member`` gave the viewer) whose
    title or a visible post matches ``query``. Hidden topics and posts never match, whoever
    searches."""
    query = " ".join(query.split())
    readable = [space.pk for space in spaces]
    matching_post = Post.objects.filter(
        topic=OuterRef("pk"), is_hidden=False, body__icontains=query
    )
    return (
        Topic.objects.filter(space_id__in=readable, is_hidden=False)
        .filter(Q(title__icontains=query) | Exists(matching_post))
        .select_related("space", "author", "author_organisation")
        .order_by("-last_post_at", "-id")
    )
