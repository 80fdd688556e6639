"""Every Communities endpoint through the one authorization helper, and its refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.communities.factories import (
    access_of,
    make_program_space,
    make_topic,
    opt_in_runners,
    org_space,
)
from twoway.communities import services

pytestmark = pytest.mark.django_db

EVERYONE = {"participant", "program_manager", "admin"}


def api(name: str, **kwargs: object) -> str:
    return reverse(f"communities_api:{name}", kwargs={"org_slug": "acme", **kwargs})


def test_spaces_list(client: Client, actors: Actors) -> None:
    assert_access(client, actors, api("spaces"), allowed=EVERYONE, api=True)


@pytest.mark.parametrize("kind", ["organisation", "program", "runners"])
def test_reading_endpoints_by_kind_of_space(client: Client, actors: Actors, kind: str) -> None:
    if kind == "organisation":
        space, allowed = org_space(actors), EVERYONE
    elif kind == "program":
        space, allowed = make_program_space(actors), EVERYONE
    else:
        space, allowed = opt_in_runners(actors.organisation), {"program_manager", "admin"}
    topic = make_topic(space, actors.admin, actors.organisation)
    post = topic.posts.get()
    assert_access(client, actors, api("topics", space_id=space.pk), allowed=allowed, api=True)
    assert_access(client, actors, api("topic", topic_id=topic.pk), allowed=allowed, api=True)
    assert_access(
        client,
        actors,
        api("reply", topic_id=topic.pk),
        method="post",
        data={"body": "Thanks"},
        allowed=allowed,
        api=True,
        ok_status=201,
    )
    responses = assert_access(
        client,
        actors,
        api("report", post_id=post.pk),
        method="post",
        data={"reason": "Off topic"},
        allowed=allowed,
        api=True,
        ok_status=201,
    )
    assert all(responses[name].json()["status"] == "open" for name in allowed)


def test_moderation_endpoints(client: Client, actors: Actors) -> None:
    space = make_program_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    post = topic.posts.get()
    report = services.report_create(
        access=access_of(actors.participant, actors.organisation, space), post=post, reason="No"
    )
    moderators = {"program_manager", "admin"}
    assert_access(client, actors, api("reports", space_id=space.pk), allowed=moderators, api=True)
    for url, action in (
        (api("topic_moderation", topic_id=topic.pk), "pin"),
        (api("post_moderation", post_id=post.pk), "unhide"),
    ):
        assert_access(
            client,
            actors,
            url,
            method="post",
            data={"action": action},
            allowed=moderators,
            api=True,
        )
    responses = assert_access(
        client,
        actors,
        api("report_moderation", report_id=report.pk),
        method="post",
        data={"action": "dismiss"},
        allowed=moderators,
        api=True,
        ok_status={200, 400},
    )
    # The first moderator dismisses it; the second is told it is already dealt with
    assert responses["admin"].json() == {"detail": "This report has already been dealt with."}


def test_refusals_answer_400_with_the_reason(client: Client, actors: Actors) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    client.force_login(actors.participant)
    response = client.post(
        api("topics", space_id=space.pk),
        {"title": "", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Give the topic a title."}
    services.topic_lock(access=access_of(actors.admin, actors.organisation, space), topic=topic)
    response = client.post(
        api("reply", topic_id=topic.pk), {"body": "More"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "This topic is locked; no new replies."}
    assert topic.posts.count() == 1
