from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from twoway.core.models import Membership


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    """The organisations a user can switch between."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
