"""Tenancy primitives: the organisation (tenant), memberships with roles, and the base class
every tenant-owned model inherits so that it carries its organisation."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organisation(TimeStampedModel):
    """The tenant. Every tenant-owned row points here."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    default_time_zone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationScopedQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Organisation) -> OrganisationScopedQuerySet:
        return self.filter(organisation=organisation)


class OrganisationScopedModel(TimeStampedModel):
    """Base for tenant-owned rows. Reads go through ``for_organisation`` in selectors."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[OrganisationScopedQuerySet] = OrganisationScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True


class Role(models.TextChoices):
    # Ordered from least to most powerful; ``Membership.has_role`` relies on this order.
    PARTICIPANT = "participant", "Participant"
    PROGRAM_MANAGER = "program_manager", "Program manager"
    ADMIN = "admin", "Organisation admin"


ROLE_RANK = {role: rank for rank, role in enumerate(Role)}


class Membership(TimeStampedModel):
    """A user's place in an organisation. A user may belong to several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PARTICIPANT)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} as {self.get_role_display()}"

    def has_role(self, role: Role) -> bool:
        """True when this membership's role is ``role`` or a more powerful one."""
        return self.is_active and ROLE_RANK[Role(self.role)] >= ROLE_RANK[role]


class PeriodicSlot(models.Model):
    """One run of a periodic job (``twoway.core.periodic``): the worker that inserts the row
    for a job's time slot runs it; every other worker's insert fails on the unique constraint,
    so a job runs once per slot however many workers there are."""

    name = models.CharField(max_length=64)
    slot = models.BigIntegerField()  # floor(epoch seconds / the job's interval)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="periodic_slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.slot}"
