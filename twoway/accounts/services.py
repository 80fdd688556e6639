from __future__ import annotations

from typing import Any

from django.db import transaction

from twoway.core.models import Membership, Role
from twoway.people.models import Person


@transaction.atomic
def account_link_directory(*, user: Any, email: str) -> list[Person]:
    """After ``email`` is verified for ``user``, link the unclaimed directory entries with that
    address and make the user a participant of those organisations.

    Only a verified address links: a person cannot claim an organisation by typing an email.
    """
    people = list(
        Person.objects.select_for_update().filter(
            email__iexact=email, user__isnull=True, is_active=True
        )
    )
    for person in people:
        if Person.objects.filter(organisation_id=person.organisation_id, user=user).exists():
            continue
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        Membership.objects.get_or_create(
            user=user,
            organisation_id=person.organisation_id,
            defaults={"role": Role.PARTICIPANT},
        )
    return people
