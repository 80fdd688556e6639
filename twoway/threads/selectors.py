"""Reads of Growth Threads.

Every read of entries goes through ``visible_filter(audience)`` (``threads.audience``), after
scoping to the organisation, so the entry page, the feeds, search, the API and the journal all
answer the same question. Feeds page by keyset on ``id`` (newest first): a page costs the same
few queries on page 1 and page 5,000, and no COUNT(*) runs over the feed.

Program managers get counts (``program_activity``), never a title, a text or an author's name
(confidentiality rule 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from twoway.core.models import Organisation
from twoway.programs.models import Program
from twoway.roadmaps.models import RoadmapAssignment, RoadmapStep
from twoway.rooms.access import Seat
from twoway.rooms.models import Goal, Session
from twoway.threads.audience import Audience, visible_filter
from twoway.threads.models import Comment, Entry, Reaction, Visibility
from twoway.threads.prompts import PROMPTS

PAGE_SIZE = 20
SEARCH_MAX_CHARS = 100
COMMENTS_SHOWN = 200
COUNT_WEEKS = 8
LINK_CHOICES = 50


def _count_of(model: type[Comment] | type[Reaction]) -> Coalesce:
    """A correlated count per entry: one query for the page, without the row multiplication
    two joined COUNTs would cause."""
    counts = (
        model.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _readable(audience: Audience) -> QuerySet[Entry]:
    entries: QuerySet[Entry] = Entry.objects.for_organisation(
        audience.membership.organisation
    ).filter(visible_filter(audience))
    return entries


def entry_get_for_reader(*, audience: Audience, entry_id: int) -> Entry:
    """An entry the viewer may read, or 404 exactly as for a missing one."""
    entry = (
        _readable(audience)
        .select_related("author", "program", "goal", "session", "roadmap_step")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def entry_get_for_author(*, audience: Audience, entry_id: int) -> Entry:
    """The viewer's own entry (to edit or delete), or 404."""
    if audience.person is None:
        raise Http404
    entry = (
        Entry.objects.for_organisation(audience.membership.organisation)
        .filter(pk=entry_id, author=audience.person)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


# --- Feeds -------------------------------------------------------------------------------------


@dataclass
class FeedPage:
    entries: Sequence[Entry]
    before: int | None  # the ``before`` of this page (None: the newest)
    older: int | None  # the ``before`` of the next, older page; None on the last page


def search_terms(raw: str | None) -> str:
    return (raw or "").strip()[:SEARCH_MAX_CHARS]


def entry_feed(
    *,
    audience: Audience,
    program: Program | None = None,
    before: int | None = None,
    q: str = "",
    mine: bool = False,
) -> FeedPage:
    """One page of the entries the viewer may read, newest first: of ``program`` when given,
    older than entry ``before`` when given, matching ``q`` in title or text, or only the
    viewer's own (``mine``). Two queries whatever the page (one with no rows)."""
    entries = _readable(audience)
    if mine:
        if audience.person is None:
            return FeedPage(entries=[], before=before, older=None)
        entries = entries.filter(author=audience.person)
    if program is not None:
        entries = entries.filter(program=program)
    if before is not None:
        entries = entries.filter(id__lt=before)
    if q:
        entries = entries.filter(Q(title__icontains=q) | Q(body__icontains=q))
    rows = list(
        entries.select_related("author", "program")
        .annotate(comment_count=_count_of(Comment), reaction_count=_count_of(Reaction))
        .order_by("-id")[: PAGE_SIZE + 1]
    )
    older = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
    return FeedPage(entries=rows[:PAGE_SIZE], before=before, older=older)


def parse_before(raw: Any) -> int | None:
    """``?before=`` as given, or None for anything that is not a positive id (the first page)."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def program_in_organisation(*, organisation: Organisation, program_id: int) -> Program:
    program = Program.objects.for_organisation(organisation).filter(pk=program_id).first()
    if program is None:
        raise Http404
    return program


# --- One entry ---------------------------------------------------------------------------------


@dataclass
class ReactionCount:
    kind: str
    label: str
    count: int
    pressed: bool


@dataclass
class EntryDetail:
    entry: Entry
    comments: list[Comment]
    reactions: list[ReactionCount]
    is_author: bool
    deletable_ids: set[int] = field(default_factory=set)  # comments the viewer may delete
    links: dict[str, Any] = field(default_factory=dict)


def entry_detail(*, audience: Audience, entry: Entry) -> EntryDetail:
    """What the entry page shows: comments, reaction counts (and the viewer's own), and the
    linked goal, session and roadmap step to the author only (others may not see them)."""
    comments = list(
        Comment.objects.for_organisation(audience.membership.organisation)
        .filter(entry=entry)
        .select_related("author")
        .order_by("id")[:COMMENTS_SHOWN]
    )
    counts = dict(
        Reaction.objects.filter(entry=entry)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    mine: set[str] = set()
    if audience.person is not None:
        mine = set(
            Reaction.objects.filter(entry=entry, person=audience.person).values_list(
                "kind", flat=True
            )
        )
    is_author = audience.person is not None and entry.author_id == audience.person.pk
    links: dict[str, Any] = {}
    if is_author:
        links = {
            key: value
            for key, value in (
                ("goal", entry.goal),
                ("session", entry.session),
                ("roadmap_step", entry.roadmap_step),
            )
            if value is not None
        }
    return EntryDetail(
        entry=entry,
        comments=comments,
        reactions=[
            ReactionCount(
                kind=kind, label=str(label), count=counts.get(kind, 0), pressed=kind in mine
            )
            for kind, label in Reaction.Kind.choices
        ],
        is_author=is_author,
        deletable_ids={
            c.pk
            for c in comments
            if is_author or (audience.person is not None and c.author_id == audience.person.pk)
        },
        links=links,
    )


def visibility_words(entry: Entry) -> str:
    """Who can read the entry, said to any reader."""
    if entry.visibility == Visibility.PRIVATE:
        return "Private: only the author can read it"
    if entry.visibility == Visibility.MENTORSHIPS:
        return "Shared with the author's mentorship"
    if entry.visibility == Visibility.PROGRAM:
        name = entry.program.name if entry.program is not None else "the program"
        return f"Shared with the participants of {name}"
    return "Shared with everyone in the organisation"


# --- Writing: choices offered to the author ----------------------------------------------------


def programs_taken_part_in(*, audience: Audience) -> list[tuple[int, str]]:
    """(id, name) of the programs the viewer takes part in (managing one is not taking part)."""
    if not audience.program_ids:
        return []
    return list(
        Program.objects.for_organisation(audience.membership.organisation)
        .filter(pk__in=sorted(audience.program_ids))
        .order_by("name")
        .values_list("pk", "name")
    )


def link_choices(*, audience: Audience) -> dict[str, list[tuple[int, str]]]:
    """Programs, goals, sessions and roadmap steps the author may link an entry to: their own."""
    organisation = audience.membership.organisation
    person = audience.person
    choices: dict[str, list[tuple[int, str]]] = {
        "program": [],
        "goal": [],
        "session": [],
        "roadmap_step": [],
    }
    if person is None:
        return choices
    choices["program"] = programs_taken_part_in(audience=audience)
    choices["goal"] = list(
        Goal.objects.for_organisation(organisation)
        .filter(mentorship__members__person=person)
        .order_by("-id")
        .values_list("pk", "title")[:LINK_CHOICES]
    )
    sessions = (
        Session.objects.for_organisation(organisation)
        .filter(mentorship__members__person=person, status=Session.Status.SCHEDULED)
        .select_related("mentorship__program")
        .order_by("-starts_at")[:LINK_CHOICES]
    )
    zone = timezone.get_current_timezone()
    choices["session"] = [
        (
            s.pk,
            f"{s.starts_at.astimezone(zone):%d %b %Y %H:%M} · {s.mentorship.program.name}",
        )
        for s in sessions
    ]
    versions = (
        RoadmapAssignment.objects.for_organisation(organisation)
        .filter(mentorship__members__person=person)
        .values("version_id")
    )
    choices["roadmap_step"] = list(
        RoadmapStep.objects.for_organisation(organisation)
        .filter(version_id__in=versions)
        .order_by("version_id", "id")
        .values_list("pk", "title")[:LINK_CHOICES]
    )
    return choices


# --- Prompts -----------------------------------------------------------------------------------


def _prompt_links(session: Session, program_id: int) -> list[dict[str, str]]:
    return [
        {
            "key": key,
            "question": question,
            "query": urlencode({"prompt": key, "session": session.pk, "program": program_id}),
        }
        for key, question in PROMPTS.items()
    ]


def prompts_for_session(*, seat: Seat, session: Session, now: dt.datetime) -> dict[str, Any]:
    """Writing prompts offered on a session's page once it has started (not when cancelled).
    Each carries the query string of ``threads:entry_new`` prefilled with it, the session and
    the program; the template adds the address (it knows the organisation)."""
    if session.status == Session.Status.CANCELLED or session.starts_at > now:
        return {}
    return {"writing_prompts": _prompt_links(session, seat.mentorship.program_id)}


def prompts_after_latest_session(*, audience: Audience, now: dt.datetime) -> dict[str, Any]:
    """For the journal: the prompts after the viewer's latest session that has started."""
    if audience.person is None:
        return {}
    session = (
        Session.objects.for_organisation(audience.membership.organisation)
        .filter(
            mentorship__members__person=audience.person,
            status=Session.Status.SCHEDULED,
            starts_at__lte=now,
        )
        .select_related("mentorship__program")
        .order_by("-starts_at")
        .first()
    )
    if session is None:
        return {}
    return {
        "prompt_session": session,
        "writing_prompts": _prompt_links(session, session.mentorship.program_id),
    }


# --- Counts for managers -----------------------------------------------------------------------


AUDIENCE_WORDS = {
    Visibility.PRIVATE.value: "Private (the author only)",
    Visibility.MENTORSHIPS.value: "Shared with their mentorship",
    Visibility.PROGRAM.value: "Shared with the program",
    Visibility.ORGANISATION.value: "Shared with the organisation",
}


@dataclass
class ProgramActivity:
    by_visibility: list[tuple[str, str, int]]  # (visibility, in words, entries)
    total: int
    authors: int
    weeks: list[tuple[dt.date, int]]
    comments: int
    reactions: int


def program_activity(*, program: Program, now: dt.datetime) -> ProgramActivity:
    """Counts of the program's entries for its managers: never a title, a text or a name."""
    entries = Entry.objects.for_organisation(program.organisation).filter(program=program)
    per_visibility = dict(
        entries.order_by()
        .values("visibility")
        .annotate(n=Count("pk"))
        .values_list("visibility", "n")
    )
    by_visibility = [
        (value, AUDIENCE_WORDS[value], per_visibility.get(value, 0)) for value in Visibility.values
    ]
    today = timezone.localdate(now)
    this_monday = today - dt.timedelta(days=today.weekday())
    first_monday = this_monday - dt.timedelta(weeks=COUNT_WEEKS - 1)
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(first_monday, dt.time.min, tzinfo=zone)
    # Bucketed in Python from the creation dates of at most eight weeks of one program's
    # entries: the same code on SQLite and PostgreSQL, in the viewer's zone.
    per_week: dict[dt.date, int] = {}
    for created in entries.filter(created_at__gte=since).values_list("created_at", flat=True):
        day = timezone.localtime(created, zone).date()
        monday = day - dt.timedelta(days=day.weekday())
        per_week[monday] = per_week.get(monday, 0) + 1
    weeks = [
        (monday, per_week.get(monday, 0))
        for monday in (first_monday + dt.timedelta(weeks=i) for i in range(COUNT_WEEKS))
    ]
    return ProgramActivity(
        by_visibility=by_visibility,
        total=sum(per_visibility.values()),
        authors=entries.order_by().values("author_id").distinct().count(),
        weeks=weeks,
        comments=Comment.objects.filter(entry__in=entries).count(),
        reactions=Reaction.objects.filter(entry__in=entries).count(),
    )
