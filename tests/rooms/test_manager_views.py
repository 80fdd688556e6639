"""The managers' metadata views: a program's mentorships and one mentorship's overview show
who, when, statuses and counts — never a word a member wrote."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.authz import Actors, assert_access
from tests.rooms.factories import Room, make_room
from twoway.mentorships.models import Mentorship
from twoway.mentorships.services import mentorship_end_early
from twoway.rooms.access import Seat
from twoway.rooms.models import Goal, GoalUpdate, Note, Pulse, Session
from twoway.rooms.services.agreement import agreement_update

SECRETS = [
    "tok-statement-learn",
    "tok-statement-offer",
    "tok-note",
    "tok-goal-title",
    "tok-goal-text",
    "tok-goal-update",
    "tok-pulse",
    "tok-ending",
]


def seat_of(room: Room, user: object) -> Seat:
    member = room.mentorship.members.select_related("mentorship__program").get(person__user=user)
    return Seat(mentorship=member.mentorship, member=member)


def plant_secrets(room: Room) -> None:
    """Content in every place a member can write, each a unique token."""
    org = room.program.organisation
    mentee = seat_of(room, room.mentee)
    agreement_update(seat=mentee, wants_to_learn=SECRETS[0], offers=SECRETS[1])
    session = Session.objects.create(
        organisation=org,
        mentorship=room.mentorship,
        duration_minutes=45,
        uid="t@twoway",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    for visibility in ("shared", "private"):
        Note.objects.create(
            organisation=org,
            mentorship=room.mentorship,
            author=mentee.member,
            visibility=visibility,
            body=SECRETS[2],
            body_html=SECRETS[2],
        )
    goal = Goal.objects.create(
        organisation=org,
        mentorship=room.mentorship,
        member=mentee.member,
        title=SECRETS[3],
        description=SECRETS[4],
    )
    GoalUpdate.objects.create(
        organisation=org,
        goal=goal,
        author=mentee.member,
        percent=10,
        status="on_track",
        note=SECRETS[5],
    )
    Pulse.objects.create(
        organisation=org, session=session, member=mentee.member, rating=4, reflection=SECRETS[6]
    )
    mentorship_end_early(seat=mentee, reason=SECRETS[7], rematch=True)


def program_url(room: Room) -> str:
    return reverse("rooms:program", kwargs={"org_slug": "acme", "program_id": room.program.pk})


def overview_url(room: Room) -> str:
    return reverse(
        "rooms:overview", kwargs={"org_slug": "acme", "mentorship_id": room.mentorship.pk}
    )


def test_manager_pages_are_for_the_programs_managers_and_admins(
    client: Client, actors: Actors
) -> None:
    room = make_room(actors)
    for page_url in (program_url(room), overview_url(room)):
        assert_access(client, actors, page_url, allowed={"program_manager", "admin"})
    until = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    assert_access(
        client,
        actors,
        reverse("rooms:extend", kwargs={"org_slug": "acme", "mentorship_id": room.mentorship.pk}),
        method="post",
        data={"until": until},
        allowed={"program_manager", "admin"},
        ok_status={200, 302},
    )


def test_manager_pages_never_show_what_members_wrote(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    plant_secrets(room)
    for user in (actors.program_manager, actors.admin):
        client.force_login(user)
        for page_url in (program_url(room), overview_url(room), program_url(room) + "?q=tok"):
            page = client.get(page_url).content.decode()
            assert [s for s in SECRETS if s in page] == []
        # Metadata is there: the status and who asked to be matched again
        page = client.get(overview_url(room)).content.decode()
        assert "Ended early" in page
        name = room.mentorship.members.get(person__user=room.mentee).person.full_name
        assert f"{name} asked to be matched again" in page
        assert "<strong>1</strong> held" in page


def test_the_program_list_filters_and_costs_the_same_whatever_its_length(
    client: Client, actors: Actors
) -> None:
    room = make_room(actors)
    client.force_login(actors.program_manager)
    client.get(program_url(room))
    with CaptureQueriesContext(connection) as few:
        client.get(program_url(room))
    from tests.programs.factories import person_for
    from tests.rooms.factories import new_participant
    from twoway.mentorships.services import mentorship_create

    for _ in range(4):
        a, b = new_participant(actors), new_participant(actors)
        mentorship_create(
            program=room.program,
            kind="pair",
            origin="matching",
            members=[
                (person_for(a, actors.organisation), a, "mentor"),
                (person_for(b, actors.organisation), b, "mentee"),
            ],
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(program_url(room)).content.decode()
    assert "5 mentorships" in page
    assert len(many) == len(few)

    name = room.mentorship.members.get(person__user=room.mentee).person
    page = client.get(program_url(room) + f"?q={name.first_name}+{name.last_name}").content.decode()
    assert "1 mentorship" in page
    Mentorship.objects.filter(pk=room.mentorship.pk).update(status="completed")
    page = client.get(program_url(room) + "?status=completed").content.decode()
    assert "1 mentorship" in page


def test_extending_validates_the_date(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    client.force_login(actors.program_manager)
    extend = reverse(
        "rooms:extend", kwargs={"org_slug": "acme", "mentorship_id": room.mentorship.pk}
    )
    response = client.post(extend, {"until": timezone.localdate().isoformat()})
    assert "must be after today" in response.content.decode()
    assert 'id="id_until_error"' in response.content.decode()
    later = timezone.localdate() + dt.timedelta(days=500)
    assert client.post(extend, {"until": later.isoformat()}).status_code == 302
    room.mentorship.refresh_from_db()
    assert room.mentorship.ends_on == later
