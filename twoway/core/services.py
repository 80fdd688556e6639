"""Writes for organisations and memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Organisation, Role


@transaction.atomic
def organisation_create(
    *, name: str, slug: str = "", default_time_zone: str = "UTC", admin: Any = None
) -> Organisation:
    slug = slug or slugify(name)
    if Organisation.objects.filter(slug=slug).exists():
        raise ApplicationError(f"An organisation with the address {slug!r} already exists.")
    organisation = Organisation(name=name, slug=slug, default_time_zone=default_time_zone)
    organisation.full_clean()
    organisation.save()
    # The directory's defaults (levels, starter taxonomy) belong to the people app; every new
    # organisation needs them, so creation and setup are one step.
    from twoway.people.services import directory_setup

    directory_setup(organisation=organisation)
    if admin is not None:
        membership_set(organisation=organisation, user=admin, role=Role.ADMIN)
    return organisation


def membership_set(*, organisation: Organisation, user: Any, role: Role) -> Membership:
    """Give ``user`` the ``role`` in ``organisation`` (creating the membership if needed)."""
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    return membership
