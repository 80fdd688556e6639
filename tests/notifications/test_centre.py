"""The notification centre: my notifications only, newest first, paginated, unread marked in
words, opening one marks it read and only ever goes to a path on this site, mark one or all
read, the header badge, dates in my time zone, and a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory
from tests.notifications.factories import notify
from twoway.accounts.models import User
from twoway.notifications.models import Notification

pytestmark = pytest.mark.django_db

SLUG = "acme"


def page(name: str, *args: int, slug: str = SLUG) -> str:
    return reverse(f"notifications:{name}", args=[slug, *args])


def test_every_member_reaches_their_own_centre_and_badge(client: Client, actors: Actors) -> None:
    everyone = {"participant", "program_manager", "admin"}
    assert_access(client, actors, page("centre"), allowed=everyone)
    assert_access(client, actors, page("badge"), allowed=everyone)


def test_the_centre_lists_my_notifications_newest_first_and_marks_unread_in_words(
    client: Client, actors: Actors
) -> None:
    older, newer = (
        notify(actors.organisation, actors.participant, title=title)[0]
        for title in ("Older notice", "Newer notice")
    )
    Notification.objects.filter(pk=older.pk).update(read_at=datetime(2026, 1, 1, tzinfo=UTC))
    client.force_login(actors.participant)
    html = client.get(page("centre")).content.decode()
    assert html.index("Newer notice") < html.index("Older notice")
    assert html.count(">Unread</strong>") == 1  # the newer one only; not colour alone
    assert page("open", newer.pk) in html
    assert page("read", newer.pk) in html and page("read", older.pk) not in html
    assert "You have 1 unread notification." in html


def test_others_notifications_and_other_organisations_are_invisible(
    client: Client, actors: Actors
) -> None:
    notify(actors.organisation, actors.program_manager, title="canary-manager")
    MembershipFactory(organisation=actors.other_organisation, user=actors.participant)
    notify(actors.other_organisation, actors.participant, title="canary-globex")
    mine = notify(actors.organisation, actors.participant, title="mine")[0]
    client.force_login(actors.participant)
    html = client.get(page("centre")).content.decode()
    assert "mine" in html and "canary-manager" not in html and "canary-globex" not in html
    assert "1<span" in client.get(page("badge")).content.decode()
    # The same notification through another organisation's URL is missing.
    assert client.get(page("open", mine.pk, slug="globex")).status_code == 404
    assert client.post(page("read", mine.pk, slug="globex")).status_code == 404
    Notification.objects.filter(pk=mine.pk).update(read_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert client.get(page("badge")).content == b""  # the manager's and Globex's do not count


def test_another_users_notification_is_404_to_open_and_to_mark_read(
    client: Client, actors: Actors
) -> None:
    theirs = notify(actors.organisation, actors.program_manager)[0]
    for method, url in (("get", page("open", theirs.pk)), ("post", page("read", theirs.pk))):
        assert_access(
            client, actors, url, allowed={"program_manager"}, method=method, ok_status=302
        )
    theirs.refresh_from_db()
    assert theirs.read_at is not None  # read by its owner only, above
    Notification.objects.filter(pk=theirs.pk).update(read_at=None)
    client.force_login(actors.admin)
    client.post(page("read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_redirects_to_the_stored_path(
    client: Client, actors: Actors
) -> None:
    notification = notify(actors.organisation, actors.participant, url="/o/acme/threads/?x=1")[0]
    client.force_login(actors.participant)
    response = client.get(page("open", notification.pk))
    assert response.status_code == 302 and response["Location"] == "/o/acme/threads/?x=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_opening_never_leaves_the_site(client: Client, actors: Actors, url: str) -> None:
    # notifications_send refuses such links; a row written another way still cannot redirect out.
    notification = Notification.objects.create(
        organisation=actors.organisation, user=actors.participant, kind="system", title="t", url=url
    )
    client.force_login(actors.participant)
    response = client.get(page("open", notification.pk))
    assert response.status_code == 302
    assert response["Location"] == page("centre")


def test_notifications_send_refuses_links_off_the_site(actors: Actors) -> None:
    with pytest.raises(ValueError, match="path on this site"):
        notify(actors.organisation, actors.participant, url="https://evil.example/")
    assert not Notification.objects.exists()


def test_mark_one_then_all_as_read(client: Client, actors: Actors) -> None:
    first, *rest = notify(actors.organisation, actors.participant, count=3)
    client.force_login(actors.participant)
    assert client.get(page("read", first.pk)).status_code == 405  # POST only
    response = client.post(page("read", first.pk), {"page": "1"})
    assert response["Location"] == page("centre") + "?page=1"
    assert list(Notification.objects.filter(read_at__isnull=True)) == sorted(
        rest, key=lambda n: -n.pk
    )
    response = client.post(page("read_all"), follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert client.get(page("badge")).content == b""


def test_dates_are_shown_in_my_time_zone(client: Client, actors: Actors) -> None:
    User.objects.filter(pk=actors.participant.pk).update(time_zone="Asia/Tokyo")
    notification = notify(actors.organisation, actors.participant)[0]
    Notification.objects.filter(pk=notification.pk).update(
        created_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    )
    client.force_login(actors.participant)
    html = client.get(page("centre")).content.decode()
    assert "3 Mar 2026, 08:30" in html


def test_the_centre_paginates_20_a_page(client: Client, actors: Actors) -> None:
    notify(actors.organisation, actors.participant, title="n", count=25)
    client.force_login(actors.participant)
    first = client.get(page("centre")).content.decode()
    second = client.get(page("centre") + "?page=2").content.decode()
    assert (
        first.count('<li class="notification') == 20
        and second.count('<li class="notification') == 5
    )
    assert "n #24" in first and "n #0<" in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_centre_and_badge_run_a_constant_number_of_queries(
    client: Client, actors: Actors
) -> None:
    client.force_login(actors.participant)
    counts = []
    for total in (1, 30):
        Notification.objects.all().delete()
        notify(actors.organisation, actors.participant, count=total)
        with CaptureQueriesContext(connection) as centre:
            assert client.get(page("centre")).status_code == 200
        with CaptureQueriesContext(connection) as badge:
            assert client.get(page("badge")).status_code == 200
        counts.append((len(centre), len(badge)))
    assert counts[0] == counts[1], counts
