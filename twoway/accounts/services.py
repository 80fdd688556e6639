"""Writes for accounts: the user's own profile, and linking a verified account to people."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction

from twoway.accounts.models import User
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Role
from twoway.people.models import Person


@cache
def time_zone_choices() -> tuple[str, ...]:
    """Every IANA time zone this system knows, sorted; what a user may choose from."""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if name == "UTC" or ("/" in name and not name.startswith(LEGACY_ZONE_PREFIXES))
        )
    )


# Backward-compatible aliases in the tz database ("US/Eastern", "Etc/GMT+3"…) that only clutter
# a list people choose from; their canonical Region/City names are all there.
LEGACY_ZONE_PREFIXES = ("US/", "Etc/", "SystemV/", "Canada/", "Brazil/", "Chile/", "Mexico/")


def user_update_profile(*, user: User, display_name: str, time_zone: str) -> User:
    """Change the name shown for ``user`` and the time zone their pages are rendered in."""
    display_name = display_name.strip()
    if time_zone not in time_zone_choices():
        raise ApplicationError(
            f"{time_zone!r} is not a time zone we know. Choose one from the list, "
            "for example Europe/Paris or America/New_York."
        )
    user.display_name = display_name
    user.time_zone = time_zone
    try:
        user.full_clean(validate_unique=False)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error
    user.save(update_fields=["display_name", "time_zone"])
    return user


@transaction.atomic
def account_link_directory(*, user: User, email: str) -> list[Person]:
    """After ``email`` is verified for ``user``, link the unclaimed directory entries with that
    address and make the user a participant of those organisations.

    Only a verified address links: a person cannot claim an organisation by typing an email.
    """
    people = list(
        Person.objects.select_for_update().filter(
            email__iexact=email, user__isnull=True, is_active=True
        )
    )
    linked = []
    for person in people:
        # One directory entry per user and organisation: a second entry with the same address
        # (a duplicate in the import) stays unclaimed for an admin to sort out.
        if Person.objects.filter(organisation_id=person.organisation_id, user=user).exists():
            continue
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        Membership.objects.get_or_create(
            user=user,
            organisation_id=person.organisation_id,
            defaults={"role": Role.PARTICIPANT},
        )
        linked.append(person)
    return linked
