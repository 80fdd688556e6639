"""Every page of Communities through the one authorization helper."""

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
from tests.core.factories import MembershipFactory
from twoway.communities import services
from twoway.communities.models import Report, RunnersOptIn
from twoway.core.models import Role

pytestmark = pytest.mark.django_db

EVERYONE = {"participant", "program_manager", "admin"}
RUNNERS = {"program_manager", "admin"}


def url(name: str, **kwargs: object) -> str:
    return reverse(f"communities:{name}", kwargs={"org_slug": "acme", **kwargs})


def test_home_lists_the_spaces_each_may_enter(client: Client, actors: Actors) -> None:
    # Given a program the participant takes part in and a runners space Acme opted into
    program_space = make_program_space(actors)
    opt_in_runners(actors.organisation)
    # When everyone opens the home
    responses = assert_access(client, actors, url("home"), allowed=EVERYONE)
    # Then the participant sees the organisation and program spaces, not the runners space
    participant = responses["participant"].content.decode()
    assert program_space.title in participant
    assert "Program runners" not in participant
    assert "Program runners" in responses["program_manager"].content.decode()


def test_organisation_space_pages(client: Client, actors: Actors) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    post = topic.posts.get()
    for page in (
        url("space", space_id=space.pk),
        url("best_practice", space_id=space.pk),
        url("topic_create", space_id=space.pk),
        url("topic", topic_id=topic.pk),
        url("post_report", post_id=post.pk),
    ):
        assert_access(client, actors, page, allowed=EVERYONE)
    assert_access(client, actors, url("post_edit", post_id=post.pk), allowed={"participant"})
    assert_access(client, actors, url("moderation", space_id=space.pk), allowed={"admin"})


def test_program_space_pages(client: Client, actors: Actors) -> None:
    # Given a program space; a participant of another program of Acme must not get in
    space = make_program_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    for page in (
        url("program_space", program_id=space.program_id),
        url("space", space_id=space.pk),
        url("topic", topic_id=topic.pk),
    ):
        assert_access(client, actors, page, allowed=EVERYONE)
    assert_access(client, actors, url("moderation", space_id=space.pk), allowed=RUNNERS)
    stranger = MembershipFactory(organisation=actors.organisation, role=Role.PARTICIPANT).user
    client.force_login(stranger)
    assert client.get(url("space", space_id=space.pk)).status_code == 404
    assert client.get(url("program_space", program_id=space.program_id)).status_code == 404
    assert client.get(url("topic", topic_id=topic.pk)).status_code == 404


def test_runners_space_pages(client: Client, actors: Actors) -> None:
    space = opt_in_runners(actors.organisation, actors.other_organisation)
    topic = make_topic(space, actors.outsider, actors.other_organisation)
    for page in (url("space", space_id=space.pk), url("topic", topic_id=topic.pk)):
        # The outsider is an admin of Globex: reached from Acme's pages they are no member, 404
        assert_access(client, actors, page, allowed=RUNNERS)
    # Staff only moderate the runners space
    assert_access(client, actors, url("moderation", space_id=space.pk), allowed=set())


def test_runners_space_is_closed_to_an_organisation_that_did_not_opt_in(
    client: Client, actors: Actors
) -> None:
    space = opt_in_runners(actors.other_organisation)
    assert_access(client, actors, url("space", space_id=space.pk), allowed=set())
    # And reached from Globex's own pages, its admin gets in
    client.force_login(actors.outsider)
    other = reverse("communities:space", kwargs={"org_slug": "globex", "space_id": space.pk})
    assert client.get(other).status_code == 200


def test_runners_settings_opt_in_and_out(client: Client, actors: Actors) -> None:
    responses = assert_access(client, actors, url("runners_settings"), allowed={"admin"})
    assert "display name" in responses["admin"].content.decode()
    client.force_login(actors.admin)
    client.post(url("runners_settings"), {"action": "opt_in"})
    assert RunnersOptIn.objects.filter(organisation=actors.organisation).exists()
    client.post(url("runners_settings"), {"action": "opt_out"})
    assert not RunnersOptIn.objects.filter(organisation=actors.organisation).exists()


def test_moderation_actions_are_for_moderators_only(client: Client, actors: Actors) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    post = topic.posts.get()
    report = services.report_create(
        access=access_of(actors.participant, actors.organisation, space), post=post, reason="Rude"
    )
    for page, data in (
        (url("topic_moderate", topic_id=topic.pk), {"action": "pin"}),
        (url("post_moderate", post_id=post.pk), {"action": "unhide"}),
        (url("report_act", report_id=report.pk), {"action": "dismiss"}),
    ):
        assert_access(
            client, actors, page, method="post", data=data, allowed={"admin"}, ok_status=302
        )
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED


def test_reply_through_the_page_and_bad_input_next_to_the_field(
    client: Client, actors: Actors
) -> None:
    space = org_space(actors)
    topic = make_topic(space, actors.participant, actors.organisation)
    client.force_login(actors.program_manager)
    response = client.post(url("topic", topic_id=topic.pk), {"body": "  "})
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    response = client.post(url("topic", topic_id=topic.pk), {"body": "Good idea"})
    assert response.status_code == 302
    assert topic.posts.count() == 2
