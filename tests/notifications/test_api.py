"""The notifications REST API: my own notifications only (list, unread filter, mark read, mark
all read) and my preferences (GET/PUT, refusals with their reason, nothing saved)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory
from tests.notifications.factories import notify
from twoway.notifications.models import BouncedAddress, Notification, NotificationPreference

pytestmark = pytest.mark.django_db

SLUG = "acme"
EVERYONE = {"participant", "program_manager", "admin"}


def api(name: str, *args: int, slug: str = SLUG) -> str:
    return reverse(f"notifications_api:{name}", args=[slug, *args])


def test_access_to_every_endpoint(client: Client, actors: Actors) -> None:
    assert_access(client, actors, api("list"), allowed=EVERYONE, api=True)
    assert_access(client, actors, api("read_all"), allowed=EVERYONE, method="post", api=True)
    assert_access(client, actors, api("preferences"), allowed=EVERYONE, api=True)
    body = {"email": "off", "chat": False, "muted_kinds": []}
    assert_access(
        client, actors, api("preferences"), allowed=EVERYONE, method="put", data=body, api=True
    )
    mine = notify(actors.organisation, actors.participant)[0]
    assert_access(
        client, actors, api("read", mine.pk), allowed={"participant"}, method="post", api=True
    )


def test_the_list_is_mine_only_newest_first_with_an_unread_filter(
    client: Client, actors: Actors
) -> None:
    read, unread = (
        notify(actors.organisation, actors.participant, title=title)[0]
        for title in ("read one", "unread one")
    )
    notify(actors.organisation, actors.admin, title="canary-admin")
    MembershipFactory(organisation=actors.other_organisation, user=actors.participant)
    notify(actors.other_organisation, actors.participant, title="canary-globex")
    client.force_login(actors.participant)
    client.post(api("read", read.pk))
    rows = client.get(api("list")).json()["results"]
    assert [row["title"] for row in rows] == ["unread one", "read one"]
    assert rows[0] == {
        "id": unread.pk,
        "kind": "nudge",
        "kind_label": "Reminders about my mentorships",
        "title": "unread one",
        "url": "/o/acme/mentorships/",
        "read_at": None,
        "created_at": rows[0]["created_at"],
    }
    assert rows[1]["read_at"] is not None
    assert [r["title"] for r in client.get(api("list") + "?unread=1").json()["results"]] == [
        "unread one"
    ]


def test_marking_read_someone_elses_or_another_organisations_is_404(
    client: Client, actors: Actors
) -> None:
    theirs = notify(actors.organisation, actors.admin)[0]
    MembershipFactory(organisation=actors.other_organisation, user=actors.participant)
    mine = notify(actors.organisation, actors.participant)[0]
    client.force_login(actors.participant)
    assert client.post(api("read", theirs.pk)).status_code == 404
    assert client.post(api("read", mine.pk, slug="globex")).status_code == 404
    assert client.post(api("read_all", slug="globex")).json() == {"marked": 0}
    assert Notification.objects.filter(read_at__isnull=False).count() == 0
    assert client.post(api("read_all")).json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_round_trip(client: Client, actors: Actors) -> None:
    client.force_login(actors.participant)
    assert client.get(api("preferences")).json() == {
        "email": "immediate",
        "chat": True,
        "muted_kinds": [],
        "email_bounced": False,
    }
    body = {"email": "digest", "chat": False, "muted_kinds": ["survey"]}
    response = client.put(api("preferences"), body, content_type="application/json")
    assert response.json() == {**body, "email_bounced": False}
    BouncedAddress.objects.create(email=actors.participant.email)
    assert client.get(api("preferences")).json()["email_bounced"] is True


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"email": "hourly", "chat": True, "muted_kinds": []}, "Email: choose one of"),
        (
            {"email": "off", "chat": True, "muted_kinds": ["gossip"]},
            "Muted kinds: gossip is not a kind",
        ),
    ],
)
def test_bad_preferences_are_refused_with_the_reason(
    client: Client, actors: Actors, body: dict[str, object], reason: str
) -> None:
    client.force_login(actors.participant)
    response = client.put(api("preferences"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(reason)
    assert not NotificationPreference.objects.exists()


def test_a_missing_field_is_a_400_naming_it(client: Client, actors: Actors) -> None:
    client.force_login(actors.participant)
    response = client.put(api("preferences"), {"email": "off"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"chat", "muted_kinds"}
    assert not NotificationPreference.objects.exists()


def test_the_list_runs_a_constant_number_of_queries(client: Client, actors: Actors) -> None:
    client.force_login(actors.participant)
    counts = []
    for total in (1, 30):
        Notification.objects.all().delete()
        notify(actors.organisation, actors.participant, count=total)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api("list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
