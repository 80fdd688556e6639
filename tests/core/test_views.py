from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz import Actors, assert_access
from tests.core.factories import MembershipFactory, OrganisationFactory
from twoway.core.models import Role

pytestmark = pytest.mark.django_db


def switcher_links(html: str) -> list[tuple[str, str, bool]]:
    """(href, name, is current) for each link of the organisation switcher."""
    start = html.index('<details class="switcher">')
    switcher = html[start : html.index("</details>", start)]
    return [
        (href, name, bool(current))
        for href, current, name in re.findall(
            r'<a href="([^"]+)"( aria-current="true")?>([^<]+)</a>', switcher
        )
    ]


def test_the_switcher_lists_every_organisation_and_marks_the_current_one(
    client: Client, actors: Actors
) -> None:
    MembershipFactory(
        user=actors.participant, organisation=actors.other_organisation, role=Role.PARTICIPANT
    )
    third = OrganisationFactory(name="Initech", slug="initech")
    MembershipFactory(user=actors.participant, organisation=third)
    MembershipFactory(organisation=OrganisationFactory(name="Umbrella"))  # not theirs
    client.force_login(actors.participant)

    html = client.get(reverse("organisation_home", args=["globex"])).content.decode()

    assert switcher_links(html) == [
        ("/o/acme/", "Acme", False),
        ("/o/globex/", "Globex", True),
        ("/o/initech/", "Initech", False),
    ]
    assert "Umbrella" not in html


def test_a_member_of_one_organisation_sees_no_switcher(client: Client, actors: Actors) -> None:
    client.force_login(actors.participant)

    html = client.get(reverse("organisation_home", args=["acme"])).content.decode()

    assert '<details class="switcher">' not in html
    assert '<span class="org-name">Acme</span>' in html


def test_organisation_home_is_for_its_members_only(client: Client, actors: Actors) -> None:
    assert_access(
        client,
        actors,
        reverse("organisation_home", args=["acme"]),
        allowed={"participant", "program_manager", "admin"},
    )


def test_another_organisations_home_is_404_like_a_missing_one(
    client: Client, actors: Actors
) -> None:
    client.force_login(actors.admin)

    assert client.get(reverse("organisation_home", args=["globex"])).status_code == 404
    assert client.get(reverse("organisation_home", args=["no-such-org"])).status_code == 404


def test_an_inactive_membership_or_organisation_is_404(client: Client, actors: Actors) -> None:
    membership = MembershipFactory(organisation=OrganisationFactory(slug="gone"))
    client.force_login(membership.user)
    assert client.get(reverse("organisation_home", args=["gone"])).status_code == 200

    membership.is_active = False
    membership.save()
    assert client.get(reverse("organisation_home", args=["gone"])).status_code == 404

    membership.is_active = True
    membership.save()
    membership.organisation.is_active = False
    membership.organisation.save()
    assert client.get(reverse("organisation_home", args=["gone"])).status_code == 404
