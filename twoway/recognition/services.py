"""Writes of recognition: kudos, milestone celebrations and the stories of a program's showcase.

Kudos and stories are content a member writes, so who may read them is decided by the one
audience rule (``threads.audience``) and by the author's choice to publish. Celebrations are
milestones without anyone's words; each is recorded once (the unique constraint on mentorship,
kind and subject), whichever of the hooks, the sweep or a retry gets there first.

Emails carry a link, never the kudos' text, and leave after commit (confidentiality rule 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from twoway.core.errors import ApplicationError
from twoway.core.markdown import render_markdown
from twoway.core.models import Membership
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.recognition.models import (
    KUDOS_MAX_CHARS,
    STORY_MAX_CHARS,
    Celebration,
    Kudos,
    Story,
)
from twoway.recognition.selectors import (
    kudos_shared_programs,
    kudos_shares_mentorship,
    person_ids_eligible_for_kudos,
)
from twoway.rooms.models import Session
from twoway.threads.audience import Audience, audience_of
from twoway.threads.models import Visibility

TITLE_MAX_CHARS = 200


# --- Celebrations ------------------------------------------------------------------------------


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


def celebrations_record_many(
    *, mentorships: Iterable[tuple[int, int]], kind: Celebration.Kind
) -> int:
    """Celebrate ``kind`` for many mentorships (pairs of mentorship id and organisation id) in
    one insert; those already celebrated are skipped. Returns how many rows were offered."""
    rows = [
        Celebration(organisation_id=organisation_id, mentorship_id=mentorship_id, kind=kind)
        for mentorship_id, organisation_id in mentorships
    ]
    Celebration.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def celebrations_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Record the milestones the hooks may have missed (sessions held without a pulse, data
    imported, mentorships completed before recognition existed). Idempotent."""
    # A session held before an early ending still counts as held.
    first_session = (
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__lte=now)
        .values_list("mentorship_id", "organisation_id")
        .distinct()
    )
    completed = Mentorship.objects.filter(status=Mentorship.Status.COMPLETED).values_list(
        "pk", "organisation_id"
    )
    before = Celebration.objects.count()
    celebrations_record_many(mentorships=list(first_session), kind=Celebration.Kind.FIRST_SESSION)
    middle = Celebration.objects.count()
    celebrations_record_many(mentorships=list(completed), kind=Celebration.Kind.PROGRAM_COMPLETED)
    after = Celebration.objects.count()
    return {"first_session": middle - before, "program_completed": after - middle}


# --- Kudos -------------------------------------------------------------------------------------


def _giver(audience: Audience) -> Person:
    if audience.person is None:
        raise ApplicationError(
            "You are not in this organisation's people directory yet, so you cannot give kudos."
        )
    return audience.person


def _check_message(message: str) -> str:
    message = message.strip()
    if not message:
        raise ApplicationError(
            "Message: write what you are thanking them for.", extra={"field": "message"}
        )
    if len(message) > KUDOS_MAX_CHARS:
        raise ApplicationError(
            f"Message: kudos can be at most {KUDOS_MAX_CHARS:,} characters; "
            f"this one has {len(message):,}.",
            extra={"field": "message"},
        )
    return message


@transaction.atomic
def kudos_give(
    *,
    membership: Membership,
    receiver: Person,
    message: str,
    visibility: str,
    mentorship: Mentorship | None = None,
    program: Program | None = None,
    base_url: str = "",
) -> Kudos:
    """Thank someone the giver shares a mentorship or a program with; the receiver is told by
    email (a link, not the message)."""
    organisation = membership.organisation
    audience = audience_of(membership=membership)
    giver = _giver(audience)
    if receiver.organisation_id != organisation.pk:
        raise ApplicationError(
            "Receiver: choose someone from the list.", extra={"field": "receiver"}
        )
    if receiver.pk == giver.pk:
        raise ApplicationError(
            "Receiver: kudos go to someone else; choose another person.",
            extra={"field": "receiver"},
        )
    if receiver.pk not in person_ids_eligible_for_kudos(
        audience=audience, person_ids=[receiver.pk]
    ):
        raise ApplicationError(
            "Receiver: you can give kudos only to people you share a mentorship or a program with.",
            extra={"field": "receiver"},
        )
    message = _check_message(message)
    if visibility not in Visibility.values:
        raise ApplicationError(
            f"Who can read it: {visibility!r} is not a choice; pick one of "
            + ", ".join(Visibility.values)
            + ".",
            extra={"field": "visibility"},
        )
    if mentorship is not None and not kudos_shares_mentorship(
        mentorship=mentorship, giver=giver, receiver=receiver
    ):
        raise ApplicationError(
            "Mentorship: it must be one you and the receiver are both members of.",
            extra={"field": "mentorship"},
        )
    shared = kudos_shared_programs(audience=audience, receiver=receiver)
    if program is not None and program.pk not in shared:
        raise ApplicationError(
            "Program: it must be a program you and the receiver both take part in.",
            extra={"field": "program"},
        )
    if program is None and mentorship is not None:
        program = mentorship.program
    if program is None and len(shared) == 1:
        program = Program.objects.get(pk=next(iter(shared)))
    if visibility == Visibility.PROGRAM and (program is None or program.pk not in shared):
        raise ApplicationError(
            "Program: to show kudos to a program, choose a program you and the receiver both "
            "take part in.",
            extra={"field": "program"},
        )
    kudos = Kudos(
        organisation=organisation,
        giver=giver,
        receiver=receiver,
        mentorship=mentorship,
        program=program,
        message=message,
        visibility=visibility,
    )
    kudos.full_clean()
    kudos.save()
    kudos_id = kudos.pk
    transaction.on_commit(lambda: send_kudos_email.enqueue(kudos_id, base_url))
    return kudos


@transaction.atomic
def kudos_delete(*, membership: Membership, kudos: Kudos) -> None:
    """The giver takes their kudos back."""
    audience = audience_of(membership=membership)
    if audience.person is None or kudos.giver_id != audience.person.pk:
        raise ApplicationError("Only the person who gave these kudos can delete them.")
    kudos.delete()


def kudos_email_body(*, link: str) -> str:
    """What the receiver's email says: that there are kudos and where. Never the message."""
    return (
        "Hello,\n\nSomeone you work with in a mentoring program sent you kudos.\n\n"
        f"Read them: {link}\n\nYou will be asked to sign in first.\n"
    )


@task()
def send_kudos_email(kudos_id: int, base_url: str) -> int:
    """Tell the receiver; returns 1 when an email left, 0 without an address."""
    from twoway.matching.self_service import site_url

    kudos = (
        Kudos.objects.filter(pk=kudos_id).select_related("organisation", "receiver__user").first()
    )
    if kudos is None:
        return 0
    receiver = kudos.receiver
    address = (receiver.user.email if receiver.user is not None else "") or receiver.email
    if not address:
        return 0
    link = site_url(base_url) + reverse(
        "recognition:home", kwargs={"org_slug": kudos.organisation.slug}
    )
    EmailMessage(
        subject="You received kudos", body=kudos_email_body(link=link), to=[address]
    ).send()
    return 1


# --- Stories -----------------------------------------------------------------------------------


def _check_story(*, title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise ApplicationError("Title: give your story a title.", extra={"field": "title"})
    if len(title) > TITLE_MAX_CHARS:
        raise ApplicationError(
            f"Title: at most {TITLE_MAX_CHARS} characters; this one has {len(title)}.",
            extra={"field": "title"},
        )
    if not body:
        raise ApplicationError("Story: write your story before saving it.", extra={"field": "body"})
    if len(body) > STORY_MAX_CHARS:
        raise ApplicationError(
            f"Story: at most {STORY_MAX_CHARS:,} characters; this one has {len(body):,}.",
            extra={"field": "body"},
        )
    return title, body


def _author(membership: Membership, story: Story) -> None:
    audience = audience_of(membership=membership)
    if audience.person is None or story.author_id != audience.person.pk:
        raise ApplicationError("Only the author of this story can change it.")


@transaction.atomic
def story_create(*, membership: Membership, program: Program, title: str, body: str) -> Story:
    """A draft story by a participant of ``program``; only its author reads it until published."""
    audience = audience_of(membership=membership)
    author = audience.person
    if (
        author is None
        or program.organisation_id != membership.organisation_id
        or program.pk not in audience.program_ids
    ):
        raise ApplicationError(
            "Program: you can write a story only for a program you take part in.",
            extra={"field": "program"},
        )
    title, body = _check_story(title=title, body=body)
    story = Story(
        organisation=membership.organisation,
        author=author,
        program=program,
        title=title,
        body=body,
        body_html=render_markdown(body),
    )
    story.full_clean()
    story.save()
    return story


@transaction.atomic
def story_update(*, membership: Membership, story: Story, title: str, body: str) -> Story:
    _author(membership, story)
    story.title, story.body = _check_story(title=title, body=body)
    story.body_html = render_markdown(story.body)
    story.full_clean()
    story.save(update_fields=["title", "body", "body_html", "updated_at"])
    return story


@transaction.atomic
def story_publish(*, membership: Membership, story: Story) -> Story:
    """Show the story on the program's showcase, to every member of the organisation."""
    _author(membership, story)
    if story.status != Story.Status.PUBLISHED:
        story.status = Story.Status.PUBLISHED
        story.published_at = timezone.now()
        story.save(update_fields=["status", "published_at", "updated_at"])
    return story


@transaction.atomic
def story_unpublish(*, membership: Membership, story: Story) -> Story:
    """Take the story back to a draft only its author reads."""
    _author(membership, story)
    if story.status != Story.Status.DRAFT:
        story.status = Story.Status.DRAFT
        story.published_at = None
        story.save(update_fields=["status", "published_at", "updated_at"])
    return story


@transaction.atomic
def story_delete(*, membership: Membership, story: Story) -> None:
    _author(membership, story)
    story.delete()
