"""The rules of Communities: locked topics, hiding, reports, mentions, notifications, XSS, the
runners space showing only display name and organisation, pinned query counts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors
from tests.communities.factories import (
    access_of,
    make_program_space,
    make_topic,
    opt_in_runners,
    org_space,
)
from tests.core.factories import MembershipFactory
from twoway.accounts.models import User
from twoway.communities import services
from twoway.communities.models import POST_MAX_CHARS, Mention, Report
from twoway.core.errors import ApplicationError
from twoway.core.models import Role

pytestmark = pytest.mark.django_db


def url(name: str, org: str = "acme", **kwargs: object) -> str:
    return reverse(f"communities:{name}", kwargs={"org_slug": org, **kwargs})


def test_a_locked_topic_refuses_replies_with_the_reason(actors: Actors) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    services.topic_lock(access=access_of(actors.admin, actors.organisation, space), topic=topic)
    with pytest.raises(ApplicationError, match=r"This topic is locked; no new replies\."):
        services.post_reply(
            access=access_of(actors.program_manager, actors.organisation, space),
            topic=topic,
            body="Me too",
        )
    assert topic.posts.count() == 1


def test_a_too_long_post_is_refused_with_the_count(actors: Actors) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    with pytest.raises(ApplicationError, match=f"{POST_MAX_CHARS + 1:,} characters"):
        services.post_reply(
            access=access_of(actors.admin, actors.organisation, space),
            topic=topic,
            body="x" * (POST_MAX_CHARS + 1),
        )


def test_hidden_post_invisible_to_readers_but_not_moderators(
    client: Client, actors: Actors
) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.program_manager, actors.organisation)
    bad = services.post_reply(
        access=access_of(actors.participant, actors.organisation, space),
        topic=topic,
        body="Something unkind",
    )
    services.post_hide(access=access_of(actors.admin, actors.organisation, space), post=bad)
    client.force_login(actors.program_manager)
    assert "Something unkind" not in client.get(url("topic", topic_id=topic.pk)).content.decode()
    assert client.get(url("post_report", post_id=bad.pk)).status_code == 404
    client.force_login(actors.admin)
    page = client.get(url("topic", topic_id=topic.pk)).content.decode()
    assert "Something unkind" in page and "hidden by a moderator" in page
    # A hidden topic is a 404 to readers
    services.topic_hide(access=access_of(actors.admin, actors.organisation, space), topic=topic)
    client.force_login(actors.program_manager)
    assert client.get(url("topic", topic_id=topic.pk)).status_code == 404


def test_report_queue_and_hide_resolves(client: Client, actors: Actors) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.program_manager, actors.organisation, body="Spam spam")
    post = topic.posts.get()
    reader = access_of(actors.participant, actors.organisation, space)
    report = services.report_create(access=reader, post=post, reason="It is spam")
    with pytest.raises(ApplicationError, match="already reported"):
        services.report_create(access=reader, post=post, reason="Again")
    with pytest.raises(ApplicationError, match="what is wrong"):
        services.report_create(
            access=access_of(actors.admin, actors.organisation, space), post=post, reason=" "
        )
    client.force_login(actors.admin)
    queue = client.get(url("moderation", space_id=space.pk)).content.decode()
    assert "It is spam" in queue and "Spam spam" in queue
    client.post(url("report_act", report_id=report.pk), {"action": "hide"})
    report.refresh_from_db()
    post.refresh_from_db()
    assert report.status == Report.Status.RESOLVED and post.is_hidden
    assert "It is spam" not in client.get(url("moderation", space_id=space.pk)).content.decode()


def test_script_in_a_post_is_inert(client: Client, actors: Actors) -> None:
    space = org_space(actors)
    topic = make_topic(
        space,
        actors.participant,
        actors.organisation,
        title="<script>alert(1)</script>",
        body='<script>alert("x")</script><img src=x onerror=alert(1)> [a](javascript:alert(1))',
    )
    client.force_login(actors.admin)
    page = client.get(url("topic", topic_id=topic.pk)).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page and 'href="javascript:' not in page
    body_html = topic.posts.get().body_html
    assert "<script" not in body_html and "<img" not in body_html  # escaped, shown as text


def test_mentions_resolve_within_readers_only_and_notify_them(
    actors: Actors, django_capture_on_commit_callbacks: object
) -> None:
    # Given a program space; Ana takes part, Ana Lopez is in Acme but not the program,
    # and Ana Lopez Garcia is in Globex
    space = make_program_space(actors)
    User.objects.filter(pk=actors.participant.pk).update(display_name="Ana Lopez")
    outsider_in_org = MembershipFactory(organisation=actors.organisation, role=Role.PARTICIPANT)
    User.objects.filter(pk=outsider_in_org.user_id).update(display_name="Ana Lopez Garcia")
    other_org = MembershipFactory(organisation=actors.other_organisation, role=Role.ADMIN)
    User.objects.filter(pk=other_org.user_id).update(display_name="Ana Lopez Garcia Two")
    mail.outbox.clear()
    # When the manager mentions "@Ana Lopez Garcia Two"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        topic = make_topic(
            space,
            actors.program_manager,
            actors.organisation,
            body="Ask @Ana Lopez Garcia Two about it",
        )
    # Then only Ana Lopez (who reads the space) is resolved, and notified by link only
    post = topic.posts.get()
    assert list(Mention.objects.filter(post=post).values_list("user_id", flat=True)) == [
        actors.participant.pk
    ]
    assert '<strong class="mention">@Ana Lopez</strong>' in post.body_html
    assert [message.to for message in mail.outbox] == [[actors.participant.email]]
    message = mail.outbox[0]
    assert topic.title not in message.subject + message.body
    assert "Ask" not in message.body and f"/topics/{topic.pk}/" in message.body


def test_reply_notifies_earlier_posters_by_link_only(
    actors: Actors, django_capture_on_commit_callbacks: object
) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation, title="Secret plan")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.post_reply(
            access=access_of(actors.admin, actors.organisation, space),
            topic=topic,
            body="Private words",
        )
    assert [message.to for message in mail.outbox] == [[actors.participant.email]]
    text = mail.outbox[0].subject + mail.outbox[0].body
    assert "Secret plan" not in text and "Private words" not in text
    assert actors.admin.email not in text


def test_reply_is_not_emailed_to_someone_who_lost_access(
    actors: Actors, django_capture_on_commit_callbacks: object
) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    actors.participant.memberships.update(is_active=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.post_reply(
            access=access_of(actors.admin, actors.organisation, space), topic=topic, body="Hi"
        )
    assert mail.outbox == []


def test_runners_space_shows_display_name_and_organisation_only(
    client: Client, actors: Actors
) -> None:
    space = opt_in_runners(actors.organisation, actors.other_organisation)
    User.objects.filter(pk=actors.outsider.pk).update(display_name="Grace")
    topic = make_topic(space, actors.outsider, actors.other_organisation, title="Kick-offs")
    nameless = MembershipFactory(organisation=actors.other_organisation, role=Role.PROGRAM_MANAGER)
    User.objects.filter(pk=nameless.user_id).update(display_name="")
    nameless.user.refresh_from_db()
    services.post_reply(
        access=access_of(nameless.user, actors.other_organisation, space), topic=topic, body="Yes"
    )
    client.force_login(actors.program_manager)
    pages = [
        client.get(url("space", space_id=space.pk)).content.decode(),
        client.get(url("topic", topic_id=topic.pk)).content.decode(),
        client.get(url("home") + "?q=Kick").content.decode(),
        client.get(
            reverse("communities_api:topic", kwargs={"org_slug": "acme", "topic_id": topic.pk})
        ).content.decode(),
        client.get(
            reverse("communities_api:topics", kwargs={"org_slug": "acme", "space_id": space.pk})
        ).content.decode(),
    ]
    for page in pages:
        assert actors.outsider.email not in page
        assert nameless.user.email not in page
    assert "Grace (Globex)" in pages[1] and "A program runner (Globex)" in pages[1]


@pytest.mark.parametrize("page", ["space", "topic"])
def test_query_counts_do_not_grow_with_rows(client: Client, actors: Actors, page: str) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    client.force_login(actors.admin)
    target = url("space", space_id=space.pk) if page == "space" else url("topic", topic_id=topic.pk)
    client.get(target)  # warm up: sessions, content types
    with CaptureQueriesContext(connection) as one:
        client.get(target)
    for n in range(4):
        author = MembershipFactory(organisation=actors.organisation).user
        if page == "space":
            make_topic(space, author, actors.organisation, title=f"Topic {n}")
        else:
            services.post_reply(
                access=access_of(author, actors.organisation, space), topic=topic, body=f"R {n}"
            )
    with CaptureQueriesContext(connection) as many:
        client.get(target)
    assert len(many) == len(one)
