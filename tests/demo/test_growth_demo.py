"""The demo shows issue 6 alive: journals at every audience, a roadmap in progress, communities
(with the runners space across two organisations), kudos, stories and a certificate."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from twoway.accounts.models import User
from twoway.communities.models import RunnersOptIn, Space, Topic
from twoway.demo.growth import SPRING
from twoway.demo.rooms import PILOT
from twoway.demo.services import DemoResult
from twoway.mentorships.models import Mentorship
from twoway.recognition.models import Celebration, Kudos, Story
from twoway.roadmaps.models import RoadmapAssignment, StepProgress
from twoway.threads.models import Entry, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant() -> User:
    return User.objects.get(email="participant@acme.example")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_participant_has_an_entry_at_every_audience(
    demo: DemoResult, participant: User
) -> None:
    mine = Entry.objects.filter(author__user=participant)
    assert set(mine.values_list("visibility", flat=True)) == set(Visibility.values)
    others = Entry.objects.exclude(author__user=participant)
    assert others.exists() and others.filter(comments__isnull=False).exists()

    page = signed_in(participant).get(reverse("threads:feed", args=["acme"]))
    assert page.status_code == 200
    body = page.content.decode()
    public = others.filter(visibility=Visibility.ORGANISATION).first()
    assert public is not None and public.title in body


def test_the_pilot_pair_follows_a_roadmap(demo: DemoResult, participant: User) -> None:
    mine = Mentorship.objects.get(program__name=PILOT, members__person__user=participant)
    assignment = RoadmapAssignment.objects.get(mentorship=mine)
    assert StepProgress.objects.filter(assignment=assignment).count() == 3
    room = signed_in(participant).get(reverse("rooms:room", args=["acme", mine.pk]))
    assert assignment.roadmap.title in room.content.decode()


def test_communities_are_alive_across_both_organisations(demo: DemoResult) -> None:
    organisation_space = Space.objects.get(kind=Space.Kind.ORGANISATION, organisation__slug="acme")
    assert Topic.objects.filter(space=organisation_space, is_pinned=True).exists()
    assert RunnersOptIn.objects.filter(organisation__slug__in=["acme", "globex"]).count() == 2
    runners = Space.objects.get(kind=Space.Kind.RUNNERS)
    topic = Topic.objects.get(space=runners)
    manager = User.objects.get(email="manager@acme.example")
    page = signed_in(manager).get(reverse("communities:topic", args=["acme", topic.pk]))
    assert page.status_code == 200
    assert "Globex" in page.content.decode()
    assert "runner@globex.example" not in page.content.decode()


def test_recognition_kudos_stories_and_a_certificate(demo: DemoResult, participant: User) -> None:
    assert Kudos.objects.filter(receiver__user=participant).exists()
    assert Story.objects.filter(status=Story.Status.PUBLISHED).exists()
    spring = Mentorship.objects.get(program__name=SPRING, members__person__user=participant)
    assert spring.status == Mentorship.Status.COMPLETED
    assert Celebration.objects.filter(
        mentorship=spring, kind=Celebration.Kind.PROGRAM_COMPLETED
    ).exists()
    pdf = signed_in(participant).get(reverse("recognition:certificate", args=["acme", spring.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")


def test_the_guide_points_at_each_feature(demo: DemoResult) -> None:
    paths = " ".join(step.path for step in demo.steps)
    for part in ("/threads/", "/roadmaps/", "/communities/", "/recognition/"):
        assert part in paths
