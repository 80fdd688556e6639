"""The demo shows rooms: published pairs and circles, each with a room that works."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from twoway.accounts.models import User
from twoway.demo.rooms import PILOT
from twoway.demo.services import DemoResult
from twoway.mentorships.models import Mentorship
from twoway.programs.models import Program
from twoway.rooms.models import ActionItem, Attendance, Goal, Note, Pulse, Session

pytestmark = pytest.mark.django_db


def _member(mentorship: Mentorship) -> User:
    member = mentorship.members.select_related("person__user").filter(person__user__isnull=False)
    user = member.first().person.user  # type: ignore[union-attr]
    assert user is not None
    return user


def test_the_participant_works_in_a_furnished_pair(demo: DemoResult) -> None:
    participant = User.objects.get(email="participant@acme.example")
    mine = Mentorship.objects.get(program__name=PILOT, members__person__user=participant)
    assert mine.kind == Mentorship.Kind.PAIR
    assert mine.status == Mentorship.Status.ACTIVE  # both accepted the agreement
    sessions = Session.objects.filter(mentorship=mine)
    assert sessions.count() == 6
    assert Note.objects.filter(mentorship=mine, visibility="shared").count() == 2
    assert Note.objects.filter(mentorship=mine, visibility="private").count() == 1
    assert ActionItem.objects.filter(mentorship=mine).count() == 3
    assert Goal.objects.filter(mentorship=mine).count() == 2
    assert Pulse.objects.filter(session__mentorship=mine).count() == 4  # two held, two members

    client = Client()
    client.force_login(participant)
    response = client.get(reverse("rooms:room", args=["acme", mine.pk]))
    assert response.status_code == 200
    assert "Kickoff." in response.content.decode()
    assert any(step.login == participant.email and str(mine.pk) in step.path for step in demo.steps)


def test_every_published_pair_and_circle_has_a_room_its_members_open(demo: DemoResult) -> None:
    mentorships = list(Mentorship.objects.filter(organisation__slug="acme"))
    kinds = {m.kind for m in mentorships}
    assert kinds == {Mentorship.Kind.PAIR, Mentorship.Kind.CIRCLE}
    circle = next(m for m in mentorships if m.kind == Mentorship.Kind.CIRCLE)
    assert Attendance.objects.filter(session__mentorship__program=circle.program).exists()
    client = Client()
    for mentorship in mentorships:
        client.force_login(_member(mentorship))
        response = client.get(reverse("rooms:room", args=["acme", mentorship.pk]))
        assert response.status_code == 200, mentorship


def test_the_manager_sees_the_running_programs_without_their_content(demo: DemoResult) -> None:
    manager = User.objects.get(email="manager@acme.example")
    client = Client()
    client.force_login(manager)
    running = Program.objects.filter(organisation__slug="acme", status=Program.Status.RUNNING)
    assert running.count() == 2
    for program in running:
        page = client.get(reverse("rooms:program", args=["acme", program.pk])).content.decode()
        assert "Kickoff." not in page and "For me only" not in page
        assert "On track" in page or "Behind" in page or "No goals" in page
