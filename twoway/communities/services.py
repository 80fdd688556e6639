"""Writes of Communities. Every service takes the writer's ``SpaceAccess`` (fetched and
authorised by ``access``), checks its own rules, and refuses with ``ApplicationError``; nothing
is saved when it refuses.

Spaces are made on first use: the organisation space and a program's space when someone first
opens the communities home or the program's space (``space_ensure_*``), the one runners space
likewise. Making a row on a GET is deliberate: the rows carry no content and a missing space is
never a reason to refuse a reader.
"""

from __future__ import annotations

import html
import re

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from twoway.accounts.models import User
from twoway.communities.access import SpaceAccess, reader_membership, require_moderator
from twoway.communities.models import (
    POST_MAX_CHARS,
    Mention,
    Post,
    Report,
    RunnersOptIn,
    Space,
    Topic,
)
from twoway.core.errors import ApplicationError
from twoway.core.markdown import render_markdown
from twoway.core.models import Membership, Organisation, Role
from twoway.programs.models import Program

TITLE_MAX_CHARS = 200
REASON_MAX_CHARS = 2_000
RUNNERS_TITLE = "Program runners"


# --- Spaces ----------------------------------------------------------------------------------


def _get_or_create(lookup: dict, defaults: dict) -> Space:
    """Two first visitors at once both try to create the row; the loser reads the winner's."""
    try:
        with transaction.atomic():
            space, _ = Space.objects.get_or_create(**lookup, defaults=defaults)
    except IntegrityError:
        space = Space.objects.get(**lookup)
    return space


def space_ensure_organisation(*, organisation: Organisation) -> Space:
    return _get_or_create(
        {"kind": Space.Kind.ORGANISATION, "organisation": organisation},
        {"title": organisation.name, "description": "Everyone in the organisation."},
    )


def space_ensure_program(*, program: Program) -> Space:
    return _get_or_create(
        {"kind": Space.Kind.PROGRAM, "program": program},
        {
            "organisation_id": program.organisation_id,
            "title": program.name,
            "description": "The program's participants and managers.",
        },
    )


def space_ensure_runners() -> Space:
    return _get_or_create(
        {"kind": Space.Kind.RUNNERS},
        {
            "title": RUNNERS_TITLE,
            "description": "Program managers and admins of every organisation that opted in.",
        },
    )


@transaction.atomic
def runners_opt_in(*, actor: Membership) -> RunnersOptIn:
    if not actor.has_role(Role.ADMIN):
        raise ApplicationError("Only organisation admins may opt in to the runners space.")
    opt_in, _ = RunnersOptIn.objects.get_or_create(
        organisation=actor.organisation, defaults={"opted_in_by": actor.user}
    )
    return opt_in


@transaction.atomic
def runners_opt_out(*, actor: Membership) -> None:
    if not actor.has_role(Role.ADMIN):
        raise ApplicationError("Only organisation admins may opt out of the runners space.")
    RunnersOptIn.objects.filter(organisation=actor.organisation).delete()


# --- Writing ---------------------------------------------------------------------------------


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ApplicationError("Give the topic a title.", extra={"field": "title"})
    if len(title) > TITLE_MAX_CHARS:
        raise ApplicationError(
            f"The title is too long: {len(title):,} characters; at most {TITLE_MAX_CHARS}.",
            extra={"field": "title"},
        )
    return title


def _check_body(body: str) -> str:
    if not body.strip():
        raise ApplicationError("Write something before posting.", extra={"field": "body"})
    if len(body) > POST_MAX_CHARS:
        raise ApplicationError(
            f"The post is too long: {len(body):,} characters; at most {POST_MAX_CHARS:,}.",
            extra={"field": "body"},
        )
    return body


def _require_open(topic: Topic) -> None:
    if topic.is_locked:
        raise ApplicationError("This topic is locked; no new replies.", extra={"field": "body"})


_NAME_START = re.compile(r"@(\w[\w'.-]*)")


def mentions_resolve(*, space: Space, body: str) -> dict[str, User]:
    """The ``@Display Name`` mentions in ``body``: at each ``@``, the longest display name of a
    user who can read ``space``. Only people who can read it are candidates, and names are never
    looked up outside the space's organisation (the runners space: its opted-in organisations).
    Returns the name as matched, mapped to its user."""
    found: dict[str, User] = {}
    for match in _NAME_START.finditer(body):
        following = body[match.start() + 1 : match.start() + 1 + 200]
        candidates = User.objects.filter(
            display_name__istartswith=match.group(1), is_active=True
        ).only("id", "display_name")
        if space.kind == Space.Kind.RUNNERS:
            candidates = candidates.filter(
                memberships__is_active=True,
                memberships__role__in=[Role.PROGRAM_MANAGER, Role.ADMIN],
                memberships__organisation__in=RunnersOptIn.objects.values("organisation_id"),
            )
        else:
            candidates = candidates.filter(
                memberships__is_active=True, memberships__organisation=space.organisation
            )
        best: User | None = None
        for user in candidates.distinct():
            name = user.display_name
            if not following.lower().startswith(name.lower()):
                continue
            rest = following[len(name) : len(name) + 1]
            if rest and (rest.isalnum() or rest == "_"):
                continue  # "@Ana" must not match inside "@Anabel"
            if best is not None and len(best.display_name) >= len(name):
                continue
            if reader_membership(user_id=user.pk, space=space) is not None:
                best = user
        if best is not None:
            found[following[: len(best.display_name)]] = best
    return found


def _render(body: str, mentions: dict[str, User]) -> str:
    rendered = render_markdown(body)
    for written in sorted(mentions, key=len, reverse=True):
        escaped = html.escape("@" + written, quote=False)
        rendered = rendered.replace(escaped, f'<strong class="mention">{escaped}</strong>')
    return rendered


def _save_post(
    *, access: SpaceAccess, topic: Topic, body: str, base_url: str, notify: bool
) -> Post:
    mentions = mentions_resolve(space=access.space, body=body)
    post = Post(
        topic=topic,
        author=access.membership.user,
        author_organisation=access.membership.organisation,
        body=body,
        body_html=_render(body, mentions),
    )
    post.full_clean()
    post.save()
    Mention.objects.bulk_create(
        [Mention(post=post, user=user) for user in {u.pk: u for u in mentions.values()}.values()]
    )
    Topic.objects.filter(pk=topic.pk).update(
        last_post_at=post.created_at, post_count=F("post_count") + 1
    )
    if notify:
        post_id = post.pk
        transaction.on_commit(lambda: send_post_emails.enqueue(post_id, base_url))
    return post


@transaction.atomic
def topic_create(*, access: SpaceAccess, title: str, body: str, base_url: str = "") -> Topic:
    """Open a topic with its first post (mentions in it are notified)."""
    title = _check_title(title)
    body = _check_body(body)
    topic = Topic(
        space=access.space,
        author=access.membership.user,
        author_organisation=access.membership.organisation,
        title=title,
        last_post_at=timezone.now(),
    )
    topic.full_clean()
    topic.save()
    _save_post(access=access, topic=topic, body=body, base_url=base_url, notify=True)
    topic.refresh_from_db()
    return topic


@transaction.atomic
def post_reply(*, access: SpaceAccess, topic: Topic, body: str, base_url: str = "") -> Post:
    """Reply in an open topic; the topic's earlier posters and the mentioned are notified."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _require_open(topic)
    if topic.is_hidden:
        raise ApplicationError("This topic is hidden; no new replies.", extra={"field": "body"})
    body = _check_body(body)
    return _save_post(access=access, topic=topic, body=body, base_url=base_url, notify=True)


@transaction.atomic
def post_edit(*, access: SpaceAccess, post: Post, body: str) -> Post:
    """The author edits their post while the topic is open and the post not hidden. New
    mentions are recorded but not notified again (an edit must not become a way to ping)."""
    if post.author_id != access.membership.user_id:
        raise ApplicationError("Only the author may edit this post.")
    _require_open(post.topic)
    if post.is_hidden:
        raise ApplicationError("A moderator hid this post; it can no longer be edited.")
    body = _check_body(body)
    mentions = mentions_resolve(space=access.space, body=body)
    post.body = body
    post.body_html = _render(body, mentions)
    post.full_clean()
    post.save(update_fields=["body", "body_html", "updated_at"])
    Mention.objects.filter(post=post).exclude(user__in=[u.pk for u in mentions.values()]).delete()
    Mention.objects.bulk_create(
        [Mention(post=post, user=user) for user in mentions.values()], ignore_conflicts=True
    )
    return post


# --- Moderation ------------------------------------------------------------------------------


def _set_post_hidden(*, access: SpaceAccess, post: Post, hidden: bool) -> Post:
    require_moderator(access)
    if post.is_hidden == hidden:
        return post
    post.is_hidden = hidden
    post.hidden_by = access.membership.user if hidden else None
    post.save(update_fields=["is_hidden", "hidden_by", "updated_at"])
    Topic.objects.filter(pk=post.topic_id).update(
        post_count=F("post_count") + (-1 if hidden else 1)
    )
    return post


@transaction.atomic
def post_hide(*, access: SpaceAccess, post: Post) -> Post:
    """Hide a post from readers; its open reports are resolved by it."""
    _set_post_hidden(access=access, post=post, hidden=True)
    Report.objects.filter(post=post, status=Report.Status.OPEN).update(
        status=Report.Status.RESOLVED,
        resolved_by=access.membership.user,
        resolved_at=timezone.now(),
    )
    return post


@transaction.atomic
def post_unhide(*, access: SpaceAccess, post: Post) -> Post:
    return _set_post_hidden(access=access, post=post, hidden=False)


def _set_topic(access: SpaceAccess, topic: Topic, **values: bool) -> Topic:
    require_moderator(access)
    for name, value in values.items():
        setattr(topic, name, value)
    topic.save(update_fields=[*values, "updated_at"])
    return topic


@transaction.atomic
def topic_hide(*, access: SpaceAccess, topic: Topic) -> Topic:
    return _set_topic(access, topic, is_hidden=True)


@transaction.atomic
def topic_unhide(*, access: SpaceAccess, topic: Topic) -> Topic:
    return _set_topic(access, topic, is_hidden=False)


@transaction.atomic
def topic_lock(*, access: SpaceAccess, topic: Topic) -> Topic:
    return _set_topic(access, topic, is_locked=True)


@transaction.atomic
def topic_unlock(*, access: SpaceAccess, topic: Topic) -> Topic:
    return _set_topic(access, topic, is_locked=False)


@transaction.atomic
def topic_pin(*, access: SpaceAccess, topic: Topic) -> Topic:
    """Put the topic in the space's best-practice library."""
    return _set_topic(access, topic, is_pinned=True)


@transaction.atomic
def topic_unpin(*, access: SpaceAccess, topic: Topic) -> Topic:
    return _set_topic(access, topic, is_pinned=False)


@transaction.atomic
def report_create(*, access: SpaceAccess, post: Post, reason: str) -> Report:
    """Any reader reports a post into the moderators' queue, once while it is open."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            "Say briefly what is wrong with this post.", extra={"field": "reason"}
        )
    if len(reason) > REASON_MAX_CHARS:
        raise ApplicationError(
            f"The reason is too long: {len(reason):,} characters; at most {REASON_MAX_CHARS:,}.",
            extra={"field": "reason"},
        )
    reporter = access.membership.user
    if Report.objects.filter(post=post, reporter=reporter, status=Report.Status.OPEN).exists():
        raise ApplicationError(
            "You have already reported this post; the moderators will look at it."
        )
    report = Report(post=post, reporter=reporter, reason=reason)
    report.full_clean(validate_constraints=False)
    report.save()
    return report


def _close(access: SpaceAccess, report: Report, status: str) -> Report:
    require_moderator(access)
    if report.status != Report.Status.OPEN:
        raise ApplicationError("This report has already been dealt with.")
    report.status = status
    report.resolved_by = access.membership.user
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    return report


@transaction.atomic
def report_resolve(*, access: SpaceAccess, report: Report, action: str) -> Report:
    """The moderator acts on a report: ``hide`` the post or ``lock`` its topic."""
    if action == "hide":
        _close(access, report, Report.Status.RESOLVED)
        post_hide(access=access, post=report.post)
    elif action == "lock":
        _close(access, report, Report.Status.RESOLVED)
        topic_lock(access=access, topic=report.post.topic)
    else:
        raise ApplicationError(f"Unknown action {action!r}: choose hide or lock.")
    report.refresh_from_db()
    return report


@transaction.atomic
def report_dismiss(*, access: SpaceAccess, report: Report) -> Report:
    return _close(access, report, Report.Status.DISMISSED)


# --- Emails ----------------------------------------------------------------------------------

REPLY_SUBJECT = "New reply in a community topic you joined"
MENTION_SUBJECT = "You were mentioned in a community post"


def email_body(*, mentioned: bool, link: str) -> str:
    """A link and nothing else: no title, no text, no author (confidentiality rule 7)."""
    what = (
        "Someone mentioned you in a community post."
        if mentioned
        else "There is a new reply in a community topic you posted in."
    )
    return f"Hello,\n\n{what}\n\nOpen it: {link}\n\nYou will be asked to sign in first.\n"


@task()
def send_post_emails(post_id: int, base_url: str) -> int:
    """Email the topic's earlier posters and the mentioned, except the writer, who can still
    read the space — each with a link through their own organisation. Returns how many."""
    from twoway.matching.self_service import site_url

    post = Post.objects.select_related("topic__space").filter(pk=post_id).first()
    if post is None or post.is_hidden or post.topic.is_hidden:
        return 0
    space = post.topic.space
    mentioned = set(Mention.objects.filter(post=post).values_list("user_id", flat=True))
    earlier = set(
        Post.objects.filter(topic_id=post.topic_id, id__lt=post.pk).values_list(
            "author_id", flat=True
        )
    )
    base = site_url(base_url)
    sent = 0
    for user_id in sorted((mentioned | earlier) - {post.author_id}):
        membership = reader_membership(user_id=user_id, space=space)
        if membership is None or not membership.user.email:
            continue
        path = reverse(
            "communities:topic",
            kwargs={"org_slug": membership.organisation.slug, "topic_id": post.topic_id},
        )
        is_mention = user_id in mentioned
        EmailMessage(
            subject=MENTION_SUBJECT if is_mention else REPLY_SUBJECT,
            body=email_body(mentioned=is_mention, link=f"{base}{path}#post-{post.pk}"),
            to=[membership.user.email],
        ).send()
        sent += 1
    return sent
