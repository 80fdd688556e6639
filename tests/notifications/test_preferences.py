"""Preferences: email at once, in the weekly digest or not at all, chat on or off and muted
kinds decide what notifications_send delivers (the centre always lists everything); refused
choices save nothing; a bounced address is shown with a way to say it works again."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.notifications.factories import notify
from twoway.core.errors import ApplicationError
from twoway.notifications.models import (
    BouncedAddress,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from twoway.notifications.services import notification_preference_update

pytestmark = pytest.mark.django_db

SLUG = "acme"
URL = reverse("notifications:preferences", args=[SLUG])


def prefer(actors: Actors, *, email: str = "immediate", muted: list[str] | None = None) -> None:
    notification_preference_update(
        actor=actors.participant,
        organisation=actors.organisation,
        email=email,
        chat=True,
        muted_kinds=muted or [],
    )


def test_every_member_reaches_their_own_preferences(client: Client, actors: Actors) -> None:
    everyone = {"participant", "program_manager", "admin"}
    assert_access(client, actors, URL, allowed=everyone)
    assert_access(
        client,
        actors,
        reverse("notifications:bounce_clear", args=[SLUG]),
        allowed=everyone,
        method="post",
        ok_status=302,
    )


def test_the_page_saves_my_choices_for_this_organisation_only(
    client: Client, actors: Actors
) -> None:
    client.force_login(actors.participant)
    html = client.get(URL).content.decode()
    checked = re.findall(r'<input type="radio" name="email" value="(\w+)"[^>]*checked', html)
    assert checked == ["immediate"]  # the default until I change it
    response = client.post(
        URL, {"email": "digest", "muted_kinds": [Kind.SURVEY, Kind.NUDGE]}, follow=True
    )
    assert "Your notification preferences are saved." in response.content.decode()
    preference = NotificationPreference.objects.get()
    assert (preference.organisation, preference.user) == (actors.organisation, actors.participant)
    assert (preference.email, preference.chat) == ("digest", False)  # unticked box
    assert preference.muted_kinds == [Kind.NUDGE, Kind.SURVEY]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "hourly"}, "email", "Choose one of the options listed."),
        ({}, "email", "Choose how you want to be emailed."),
        ({"email": "off", "muted_kinds": ["gossip"]}, "muted_kinds", "Choose kinds from the list."),
    ],
)
def test_bad_choices_are_refused_on_their_field_and_nothing_is_saved(
    client: Client, actors: Actors, data: dict[str, Any], field: str, message: str
) -> None:
    client.force_login(actors.participant)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not NotificationPreference.objects.exists()


def test_the_service_refuses_unknown_choices_naming_the_field(actors: Actors) -> None:
    with pytest.raises(ApplicationError, match="Email: choose one of") as refused:
        prefer(actors, email="sometimes")
    assert refused.value.extra == {"field": "email"}
    with pytest.raises(ApplicationError, match="Muted kinds: gossip is not a kind") as refused:
        prefer(actors, muted=["gossip"])
    assert refused.value.extra == {"field": "muted_kinds"}
    assert not NotificationPreference.objects.exists()


def test_immediate_is_the_default_and_emails_after_commit(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(actors.organisation, actors.participant, title="At once")
    assert [m.subject for m in mail.outbox] == ["At once"]


def test_off_sends_no_email_but_the_centre_has_it(
    client: Client, actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    prefer(actors, email="off")
    with django_capture_on_commit_callbacks(execute=True):
        notify(actors.organisation, actors.participant, title="Quietly")
    assert mail.outbox == [] and not Delivery.objects.exists()
    client.force_login(actors.participant)
    assert "Quietly" in client.get(reverse("notifications:centre", args=[SLUG])).content.decode()


def test_a_muted_kind_gets_no_email_but_other_kinds_do(
    client: Client, actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    prefer(actors, muted=[Kind.SURVEY])
    with django_capture_on_commit_callbacks(execute=True):
        notify(actors.organisation, actors.participant, title="A survey", kind=Kind.SURVEY)
        notify(actors.organisation, actors.participant, title="A nudge", kind=Kind.NUDGE)
    assert [m.subject for m in mail.outbox] == ["A nudge"]
    assert Notification.objects.count() == 2
    client.force_login(actors.participant)
    assert "A survey" in client.get(reverse("notifications:centre", args=[SLUG])).content.decode()


def test_digest_waits_for_the_weekly_digest(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    prefer(actors, email="digest")
    with django_capture_on_commit_callbacks(execute=True):
        notify(actors.organisation, actors.participant)
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.DIGEST


def test_my_preferences_in_one_organisation_do_not_change_another(
    actors: Actors, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from tests.core.factories import MembershipFactory

    MembershipFactory(organisation=actors.other_organisation, user=actors.participant)
    prefer(actors, email="off")
    with django_capture_on_commit_callbacks(execute=True):
        notify(actors.other_organisation, actors.participant, title="From Globex")
    assert [m.subject for m in mail.outbox] == ["From Globex"]


def test_a_bounced_address_is_shown_and_can_be_declared_working(
    client: Client, actors: Actors
) -> None:
    client.force_login(actors.participant)
    assert "Emails to your address bounce" not in client.get(URL).content.decode()
    BouncedAddress.objects.create(email=actors.participant.email, reason="SMTP 550")
    BouncedAddress.objects.create(email=actors.admin.email, reason="SMTP 550")
    html = client.get(URL).content.decode()
    assert "Emails to your address bounce" in html and "My address works again" in html
    response = client.post(reverse("notifications:bounce_clear", args=[SLUG]))
    assert response["Location"] == URL
    assert list(BouncedAddress.objects.values_list("email", flat=True)) == [actors.admin.email]
