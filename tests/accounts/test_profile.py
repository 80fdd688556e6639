"""The profile page: a signed-in user edits their display name and time zone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import UserFactory
from twoway.accounts.models import User
from twoway.accounts.services import time_zone_choices, user_update_profile
from twoway.core.errors import ApplicationError

URL = "/me/"


def test_the_profile_url_is_named_profile() -> None:
    assert reverse("profile") == URL


def test_every_signed_in_user_reaches_their_profile_and_anonymous_must_log_in(
    client: Client, actors: Actors
) -> None:
    responses = assert_access(
        client,
        actors,
        URL,
        allowed={"participant", "program_manager", "admin", "outsider"},
    )
    # Each sees their own account, never someone else's
    assert actors.admin.email in responses["admin"].content.decode()
    assert actors.participant.email not in responses["admin"].content.decode()


def test_a_user_changes_their_display_name_and_time_zone(client: Client, actors: Actors) -> None:
    user = actors.participant
    client.force_login(user)

    page = client.get(URL).content.decode()
    assert '<option value="Pacific/Auckland"' in page
    assert '<label for="id_time_zone"' in page

    response = client.post(URL, {"display_name": "  Ana Souza ", "time_zone": "Asia/Tokyo"})

    assert response.status_code == 302
    assert response["Location"] == URL
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Ana Souza", "Asia/Tokyo")
    # ...and their pages are now shown in that zone
    assert "Times shown in Asia/Tokyo" in client.get(URL).content.decode()


def test_an_unknown_time_zone_is_refused_with_a_clear_error_and_changes_nothing(
    client: Client, actors: Actors
) -> None:
    user = actors.participant
    before = (user.display_name, user.time_zone)
    client.force_login(user)

    response = client.post(URL, {"display_name": "Changed", "time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.content.decode()
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == before


def test_time_zones_are_sorted_and_complete() -> None:
    choices = time_zone_choices()
    assert list(choices) == sorted(choices)
    assert {"UTC", "Europe/London", "America/Sao_Paulo"} <= set(choices)


@pytest.mark.django_db
def test_the_service_refuses_an_unknown_time_zone_by_name() -> None:
    user = UserFactory(display_name="Before", time_zone="UTC")

    with pytest.raises(ApplicationError, match="'Moon/Base' is not a time zone we know"):
        user_update_profile(user=user, display_name="After", time_zone="Moon/Base")

    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Before", "UTC")


@pytest.mark.django_db
def test_the_service_saves_the_profile() -> None:
    user = UserFactory(time_zone="UTC")

    user_update_profile(user=user, display_name="Bo Chen", time_zone="America/Chicago")

    saved = User.objects.get(pk=user.pk)
    assert (saved.display_name, saved.time_zone) == ("Bo Chen", "America/Chicago")


def test_the_time_zone_list_offers_region_city_names_not_legacy_aliases():
    from twoway.accounts.services import time_zone_choices

    choices = time_zone_choices()
    assert {"UTC", "Europe/London", "Asia/Kolkata", "America/Sao_Paulo"} <= set(choices)
    assert not {"US/Eastern", "Etc/GMT+3", "Factory", "localtime"} & set(choices)
    assert list(choices) == sorted(choices)
