"""Writes of Growth Threads: entries, comments and reactions.

Every write starts from the viewer's membership and their audience (``threads.audience``): the
author of anything written here is the viewer's directory person, and a comment or a reaction is
only possible on an entry the viewer may read (anything else is the same 404 as a missing one).
The only email sent is to an entry's author when someone else comments; it carries a link and
nothing anyone wrote (confidentiality rule 7).
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django_tasks import task

from twoway.core.errors import ApplicationError
from twoway.core.markdown import render_markdown
from twoway.core.models import Membership
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.roadmaps.models import RoadmapAssignment, RoadmapStep
from twoway.rooms.models import Goal, Session
from twoway.threads import selectors
from twoway.threads.audience import Audience, audience_of
from twoway.threads.models import (
    COMMENT_MAX_CHARS,
    ENTRY_MAX_CHARS,
    Comment,
    Entry,
    Reaction,
    Visibility,
)
from twoway.threads.prompts import PROMPTS

TITLE_MAX_CHARS = 200
COMMENT_EMAIL_SUBJECT = "New comment on your Growth Thread entry"
NO_PERSON = (
    "You are not in this organisation's people directory yet, so you cannot write in Growth "
    "Threads. Ask an organisation admin to add you."
)
_UNSET: Any = object()


def _refuse(message: str, field: str | None = None) -> ApplicationError:
    return ApplicationError(message, extra={"field": field} if field else None)


def _writer(audience: Audience) -> Person:
    if audience.person is None:
        raise _refuse(NO_PERSON)
    return audience.person


# --- Entries -----------------------------------------------------------------------------------


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title = title.strip()
    if not title:
        raise _refuse("Give the entry a title.", "title")
    if len(title) > TITLE_MAX_CHARS:
        raise _refuse(
            f"The title is at most {TITLE_MAX_CHARS} characters; it has {len(title)}.", "title"
        )
    if len(body) > ENTRY_MAX_CHARS:
        raise _refuse(
            f"The entry is at most {ENTRY_MAX_CHARS:,} characters; it has {len(body):,}.", "body"
        )
    return title, body


def _program(audience: Audience, program_id: int | None, visibility: str) -> Program | None:
    if visibility not in Visibility.values:
        raise _refuse(
            "Choose who can read the entry: " + ", ".join(Visibility.values) + ".", "visibility"
        )
    if program_id is None:
        if visibility == Visibility.PROGRAM:
            raise _refuse(
                "Choose the program to share the entry with: one you take part in.", "program"
            )
        return None
    # A manager's or admin's programs are not theirs to write in: only taking part counts.
    if program_id not in audience.program_ids:
        raise _refuse("Choose a program you take part in.", "program")
    program = (
        Program.objects.for_organisation(audience.membership.organisation)
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise _refuse("Choose a program you take part in.", "program")
    return program


def _goal(audience: Audience, person: Person, goal_id: int | None) -> Goal | None:
    if goal_id is None:
        return None
    goal = (
        Goal.objects.for_organisation(audience.membership.organisation)
        .filter(pk=goal_id, mentorship__members__person=person)
        .first()
    )
    if goal is None:
        raise _refuse("Link a goal of one of your own mentorships.", "goal")
    return goal


def _session(audience: Audience, person: Person, session_id: int | None) -> Session | None:
    if session_id is None:
        return None
    session = (
        Session.objects.for_organisation(audience.membership.organisation)
        .filter(pk=session_id, mentorship__members__person=person)
        .first()
    )
    if session is None:
        raise _refuse("Link a session of one of your own mentorships.", "session")
    return session


def _step(audience: Audience, person: Person, step_id: int | None) -> RoadmapStep | None:
    if step_id is None:
        return None
    organisation = audience.membership.organisation
    versions = (
        RoadmapAssignment.objects.for_organisation(organisation)
        .filter(mentorship__members__person=person)
        .values("version_id")
    )
    step = (
        RoadmapStep.objects.for_organisation(organisation)
        .filter(pk=step_id, version_id__in=versions)
        .first()
    )
    if step is None:
        raise _refuse(
            "Link a step of a roadmap assigned to one of your own mentorships.", "roadmap_step"
        )
    return step


def _prompt(key: str) -> str:
    if key and key not in PROMPTS:
        raise _refuse("That writing prompt does not exist; write without it.", "prompt")
    return key


@transaction.atomic
def entry_create(
    *,
    membership: Membership,
    title: str,
    body: str = "",
    visibility: str = Visibility.PRIVATE,
    program_id: int | None = None,
    goal_id: int | None = None,
    session_id: int | None = None,
    roadmap_step_id: int | None = None,
    prompt: str = "",
) -> Entry:
    """A new entry in the viewer's own Growth Thread, private unless they choose otherwise."""
    audience = audience_of(membership=membership)
    person = _writer(audience)
    title, body = _clean_text(title, body)
    entry = Entry(
        organisation=membership.organisation,
        author=person,
        title=title,
        body=body,
        body_html=render_markdown(body),
        visibility=visibility,
        program=_program(audience, program_id, visibility),
        goal=_goal(audience, person, goal_id),
        session=_session(audience, person, session_id),
        roadmap_step=_step(audience, person, roadmap_step_id),
        prompt=_prompt(prompt),
    )
    entry.full_clean()
    entry.save()
    return entry


def _own_entry(audience: Audience, entry_id: int) -> Entry:
    person = _writer(audience)
    entry = (
        Entry.objects.for_organisation(audience.membership.organisation)
        .filter(pk=entry_id, author=person)
        .first()
    )
    if entry is None:  # someone else's entry answers like a missing one
        raise Http404
    return entry


@transaction.atomic
def entry_update(
    *,
    membership: Membership,
    entry_id: int,
    title: str = _UNSET,
    body: str = _UNSET,
    visibility: str = _UNSET,
    program_id: int | None = _UNSET,
    goal_id: int | None = _UNSET,
    session_id: int | None = _UNSET,
    roadmap_step_id: int | None = _UNSET,
) -> Entry:
    """Change the author's own entry; arguments left out keep their value (404 for others)."""
    audience = audience_of(membership=membership)
    entry = _own_entry(audience, entry_id)
    person = entry.author
    new_title, new_body = _clean_text(
        entry.title if title is _UNSET else title, entry.body if body is _UNSET else body
    )
    new_visibility = entry.visibility if visibility is _UNSET else visibility
    # An untouched program is kept as is, even if the author has since left it: only a new
    # choice is checked against the programs they take part in now.
    changed_program = program_id is not _UNSET and program_id != entry.program_id
    newly_program = new_visibility == Visibility.PROGRAM and entry.visibility != Visibility.PROGRAM
    if changed_program or newly_program or new_visibility not in Visibility.values:
        new_program_id = entry.program_id if program_id is _UNSET else program_id
        entry.program = _program(audience, new_program_id, new_visibility)
    entry.title, entry.body, entry.visibility = new_title, new_body, new_visibility
    entry.body_html = render_markdown(new_body)
    if goal_id is not _UNSET:
        entry.goal = _goal(audience, person, goal_id)
    if session_id is not _UNSET:
        entry.session = _session(audience, person, session_id)
    if roadmap_step_id is not _UNSET:
        entry.roadmap_step = _step(audience, person, roadmap_step_id)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, membership: Membership, entry_id: int) -> None:
    """Delete the author's own entry with its comments and reactions (404 for others)."""
    entry = _own_entry(audience_of(membership=membership), entry_id)
    entry.delete()


# --- Comments and reactions --------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *, membership: Membership, entry_id: int, body: str, base_url: str = ""
) -> Comment:
    """A comment on an entry the viewer may read; its author is emailed a link after commit."""
    audience = audience_of(membership=membership)
    entry = selectors.entry_get_for_reader(audience=audience, entry_id=entry_id)
    person = _writer(audience)
    if not body.strip():
        raise _refuse("Write something in the comment before posting it.", "body")
    if len(body) > COMMENT_MAX_CHARS:
        raise _refuse(
            f"A comment is at most {COMMENT_MAX_CHARS:,} characters; it has {len(body):,}.",
            "body",
        )
    comment = Comment(
        organisation=membership.organisation,
        entry=entry,
        author=person,
        body=body,
        body_html=render_markdown(body),
    )
    comment.full_clean()
    comment.save()
    if entry.author_id != person.pk:
        entry_pk = entry.pk
        transaction.on_commit(lambda: send_comment_email.enqueue(entry_pk, base_url))
    return comment


@transaction.atomic
def comment_delete(*, membership: Membership, entry_id: int, comment_id: int) -> None:
    """The comment's author or the entry's author may delete it; anyone else gets 404."""
    audience = audience_of(membership=membership)
    entry = selectors.entry_get_for_reader(audience=audience, entry_id=entry_id)
    person = _writer(audience)
    comment = Comment.objects.for_organisation(membership.organisation).filter(
        pk=comment_id, entry=entry
    )
    if entry.author_id != person.pk:
        comment = comment.filter(author=person)
    if not comment.exists():
        raise Http404
    comment.delete()


@transaction.atomic
def reaction_toggle(*, membership: Membership, entry_id: int, kind: str) -> bool:
    """Add the viewer's reaction of ``kind`` to an entry they may read, or take it back.
    Returns whether the reaction is now on."""
    audience = audience_of(membership=membership)
    entry = selectors.entry_get_for_reader(audience=audience, entry_id=entry_id)
    person = _writer(audience)
    if kind not in Reaction.Kind.values:
        raise _refuse("Choose a reaction: " + ", ".join(Reaction.Kind.values) + ".", "kind")
    existing = Reaction.objects.for_organisation(membership.organisation).filter(
        entry=entry, person=person, kind=kind
    )
    if existing.exists():
        existing.delete()
        return False
    Reaction.objects.create(
        organisation=membership.organisation, entry=entry, person=person, kind=kind
    )
    return True


# --- Email -------------------------------------------------------------------------------------


def comment_email_body(link: str) -> str:
    """What the email says: that there is a comment, and where. No title, no text."""
    return (
        f"Hello,\n\n{COMMENT_EMAIL_SUBJECT}.\n\nRead it: {link}\n\n"
        "You will be asked to sign in first.\n"
    )


@task()
def send_comment_email(entry_id: int, base_url: str) -> int:
    """Email the entry's author a link to it. Returns how many emails were sent (0 or 1)."""
    from twoway.matching.self_service import site_url

    entry = Entry.objects.select_related("organisation", "author__user").filter(pk=entry_id).first()
    if entry is None:  # deleted before the task ran
        return 0
    author = entry.author
    address = (author.user.email if author.user is not None else "") or author.email
    if not address:
        return 0
    path = reverse(
        "threads:entry", kwargs={"org_slug": entry.organisation.slug, "entry_id": entry.pk}
    )
    EmailMessage(
        subject=COMMENT_EMAIL_SUBJECT,
        body=comment_email_body(site_url(base_url) + path),
        to=[address],
    ).send()
    return 1
