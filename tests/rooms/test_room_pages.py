"""The room's shell and the members' lifecycle pages: who gets in, what they see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.rooms.factories import make_room
from twoway.mentorships.models import Mentorship, MentorshipEnding
from twoway.rooms.models import Agreement, MemberStatement, Session


def url(name: str, room_or_id: object, **kwargs: object) -> str:
    pk = getattr(getattr(room_or_id, "mentorship", None), "pk", room_or_id)
    return reverse(name, kwargs={"org_slug": "acme", "mentorship_id": pk, **kwargs})


def test_room_pages_are_for_members_only(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    for name in ("rooms:room", "rooms:agreement_edit", "rooms:end"):
        assert_access(client, actors, url(name, room), allowed={"participant"})
    assert_access(
        client,
        actors,
        reverse("rooms:mine", kwargs={"org_slug": "acme"}),
        allowed={"participant", "program_manager", "admin"},
    )


def test_posts_are_refused_to_non_members(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    assert_access(
        client,
        actors,
        url("rooms:agreement_accept", room),
        method="post",
        allowed={"participant"},
        ok_status=302,
    )
    # A bystander of the same program gets the same 404 as for a missing room.
    client.force_login(room.bystander)
    assert client.get(url("rooms:room", room)).status_code == 404
    assert client.post(url("rooms:end", room), {"reason": "x"}).status_code == 404
    room.mentorship.refresh_from_db()
    assert room.mentorship.status == Mentorship.Status.AGREEMENT_PENDING


def test_the_room_shows_members_agreement_and_the_form_until_accepted(
    client: Client, actors: Actors
) -> None:
    room = make_room(actors)
    client.force_login(room.mentee)
    page = client.get(url("rooms:room", room)).content.decode()
    assert room.program.name in page
    assert "Our agreement" in page and "Save and accept" in page
    for template in ("_sessions", "_actions", "_goals", "_notes"):
        assert f"rooms/{template}.html" in [
            t.name for t in client.get(url("rooms:room", room)).templates
        ]

    # When the mentee fills their statement and accepts in one step
    response = client.post(
        url("rooms:agreement_edit", room),
        {
            "wants_to_learn": "Board politics",
            "offers": "TikTok",
            "rhythm_weeks": 2,
            "session_minutes": 45,
            "accept": "1",
        },
    )
    assert response.status_code == 302
    statement = MemberStatement.objects.get(member__person__user=room.mentee)
    assert statement.accepted_version == 1
    page = client.get(url("rooms:room", room)).content.decode()
    assert "Save and accept" not in page
    assert "Board politics" in page


def test_accepting_without_a_statement_says_what_is_missing(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    client.force_login(room.mentee)
    response = client.post(url("rooms:agreement_accept", room), follow=True)
    assert "fill in what you want to learn and what you offer" in response.content.decode()
    assert not MemberStatement.objects.filter(accepted_version__isnull=False).exists()


def test_an_agreement_field_error_is_tied_to_its_field(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    client.force_login(room.mentee)
    response = client.post(
        url("rooms:agreement_edit", room),
        {"wants_to_learn": "a", "offers": "b", "rhythm_weeks": 40, "session_minutes": 45},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_rhythm_weeks_helptext id_rhythm_weeks_error"' in page
    assert 'id="id_rhythm_weeks_error"' in page
    assert Agreement.objects.get(mentorship=room.mentorship).rhythm_weeks != 40


def test_ending_is_no_fault_for_the_other_member(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    future = Session.objects.create(
        organisation=actors.organisation,
        mentorship=room.mentorship,
        starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=45,
        uid="s1@twoway",
    )
    client.force_login(room.mentor)
    response = client.post(
        url("rooms:end", room), {"reason": "Zanzibar-reason-7731", "rematch": "on"}
    )
    assert response.status_code == 302

    room.mentorship.refresh_from_db()
    future.refresh_from_db()
    assert room.mentorship.status == Mentorship.Status.ENDED_EARLY
    assert (future.status, future.sequence) == (Session.Status.CANCELLED, 1)
    # The author reads their reason in the room
    assert "Zanzibar-reason-7731" in client.get(url("rooms:room", room)).content.decode()
    # The other member sees only "ended"
    client.force_login(room.mentee)
    for page_url in (url("rooms:room", room), reverse("rooms:mine", kwargs={"org_slug": "acme"})):
        page = client.get(page_url).content.decode()
        assert "Ended" in page
        assert "Zanzibar-reason-7731" not in page
        assert "Ended early" not in page and "You ended it" not in page
        assert "matched again" not in page


def test_an_ended_room_offers_no_forms(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    Mentorship.objects.filter(pk=room.mentorship.pk).update(status=Mentorship.Status.COMPLETED)
    client.force_login(room.mentee)
    page = client.get(url("rooms:room", room)).content.decode()
    assert "Save and accept" not in page and "End this mentorship" not in page
    assert client.post(url("rooms:end", room), {}).status_code == 200
    assert not MentorshipEnding.objects.exists()


def test_my_mentorships_lists_live_first_in_a_constant_number_of_queries(
    client: Client, actors: Actors
) -> None:
    first = make_room(actors)
    Mentorship.objects.filter(pk=first.mentorship.pk).update(status=Mentorship.Status.ENDED_EARLY)
    Session.objects.create(
        organisation=actors.organisation,
        mentorship=first.mentorship,
        starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=45,
        uid="a@twoway",
    )
    make_room(actors)
    client.force_login(actors.participant)
    mine = reverse("rooms:mine", kwargs={"org_slug": "acme"})
    client.get(mine)
    with CaptureQueriesContext(connection) as few:
        page = client.get(mine).content.decode()
    assert page.index("Agreement pending") < page.index("Ended")
    for _ in range(3):
        make_room(actors, kind="circle")
    with CaptureQueriesContext(connection) as many:
        page = client.get(mine).content.decode()
    assert page.count("card-title") == 5
    assert len(many) == len(few)


@pytest.mark.parametrize("kind", ["pair", "circle"])
def test_the_room_shell_costs_the_same_whatever_the_room_size(
    client: Client, actors: Actors, kind: str
) -> None:
    room = make_room(actors, kind=kind, circle_size=8)
    client.force_login(room.mentee)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("rooms:room", room)).status_code == 200
    small = make_room(actors, kind=kind, circle_size=3)
    with CaptureQueriesContext(connection) as fewer:
        client.get(url("rooms:room", small))
    assert len(queries) == len(fewer)
