"""Who may do what with a program. Fetching and authorising are one step (see ``selectors``);
these small rules are what both the selectors and the services ask.

- An organisation admin manages every program of the organisation.
- A program manager manages the programs they are a manager of — and no other: a manager of
  another program of the same organisation is treated like a stranger (404).
- Any member sees the programs that are enrolling with open applications.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from twoway.core.models import Membership, Organisation, Role
from twoway.programs.models import Program


def is_org_admin(membership: Membership) -> bool:
    return membership.has_role(Role.ADMIN)


def can_create_program(membership: Membership) -> bool:
    return membership.has_role(Role.PROGRAM_MANAGER)


def managed_filter(membership: Membership) -> Q:
    """The programs ``membership`` manages, as a filter on an organisation-scoped queryset."""
    if is_org_admin(membership):
        return Q()
    if membership.has_role(Role.PROGRAM_MANAGER):
        return Q(managers=membership.user_id)
    return Q(pk__in=[])


def open_for_applications_filter(organisation: Organisation) -> Q:
    """Enrolling, open applications, inside the application window (in the organisation's
    time zone; an unset end means "until matching starts")."""
    today = timezone.localdate(timezone=_zone(organisation))
    return (
        Q(status=Program.Status.ENROLLING, enrolment_mode=Program.EnrolmentMode.OPEN)
        & (Q(application_opens__isnull=True) | Q(application_opens__lte=today))
        & (Q(application_closes__isnull=True) | Q(application_closes__gte=today))
    )


def _zone(organisation: Organisation) -> Any:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(organisation.default_time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def membership_for(*, user: Any, organisation: Organisation) -> Membership | None:
    """The active membership of ``user`` in ``organisation`` (services check their actor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, organisation__is_active=True
    ).first()


def can_manage_program(*, user: Any, program: Program) -> bool:
    membership = membership_for(user=user, organisation=program.organisation)
    if membership is None:
        return False
    if is_org_admin(membership):
        return True
    return (
        membership.has_role(Role.PROGRAM_MANAGER)
        and program.managers.filter(pk=membership.user_id).exists()
    )


def require_manager(*, actor: Any, program: Program) -> None:
    """Services' own check (views and endpoints have already answered 404 to strangers)."""
    from twoway.core.errors import ApplicationError

    if not can_manage_program(user=actor, program=program):
        raise ApplicationError("Only the program's managers and organisation admins may do this.")


def require_creator(*, actor: Any, organisation: Organisation) -> Membership:
    from twoway.core.errors import ApplicationError

    membership = membership_for(user=actor, organisation=organisation)
    if membership is None or not can_create_program(membership):
        raise ApplicationError("Only program managers and organisation admins may create programs.")
    return membership
