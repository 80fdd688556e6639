"""The completion certificate: a PDF for the members of a completed mentorship only, with their
name, role and program, readable back with pypdf whatever letters the name has."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.authz import Actors, assert_access
from tests.programs.factories import person_for
from tests.rooms.factories import Room, make_room
from tests.rooms.test_notes import make_session
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.recognition.certificate import latin1_safe

pytestmark = pytest.mark.django_db

SLUG = "acme"


def url(room: Room) -> str:
    return reverse(
        "recognition:certificate",
        kwargs={"org_slug": SLUG, "mentorship_id": room.mentorship.pk},
    )


def complete(room: Room) -> None:
    Mentorship.objects.filter(pk=room.mentorship.pk).update(
        status=Mentorship.Status.COMPLETED, ended_at=timezone.now()
    )


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_member_of_a_completed_mentorship_downloads_a_certificate(
    client: Client, actors: Actors
) -> None:
    room = make_room(actors)
    make_session(room)
    make_session(room)
    Person.objects.filter(pk=person_for(actors.participant, actors.organisation).pk).update(
        first_name="Zoë", last_name="Ångström"
    )
    complete(room)
    responses = assert_access(client, actors, url(room), allowed={"participant"})
    response = responses["participant"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="certificate-reverse-mentoring.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = pdf_text(response.content)
    assert "Zoë Ångström" in text
    assert "Reverse mentoring" in text
    assert "Acme" in text
    assert "mentee" in text
    assert "2 sessions held" in text
    assert "Test pairing" not in text  # the match's reason is not the certificate's business


def test_names_outside_latin_1_do_not_break_the_certificate(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    Person.objects.filter(pk=person_for(actors.participant, actors.organisation).pk).update(
        first_name="Łukasz", last_name="Dvořák 李"
    )
    complete(room)
    client.force_login(actors.participant)
    response = client.get(url(room))
    assert response.status_code == 200
    assert "Lukasz Dvorák ?" in pdf_text(response.content)


def test_transliteration() -> None:
    assert latin1_safe("Zoë Ångström") == "Zoë Ångström"
    assert latin1_safe("Łukasz Œuvre — \u2018ok\u2019") == "Lukasz OEuvre - 'ok'"
    assert latin1_safe("Ştefan Đorđe 李") == "Stefan Dorde ?"


def test_no_certificate_before_the_mentorship_completes(client: Client, actors: Actors) -> None:
    room = make_room(actors)
    assert_access(client, actors, url(room), allowed=set())
    client.force_login(actors.participant)
    home = client.get(reverse("recognition:home", kwargs={"org_slug": SLUG}))
    assert url(room) not in home.content.decode()
    complete(room)
    home = client.get(reverse("recognition:home", kwargs={"org_slug": SLUG}))
    assert url(room) in home.content.decode()
