"""Fetching and authorising are one step.

Every organisation page lives under ``/o/<slug>/``. ``organisation_view`` resolves the
organisation from the URL and the viewer's membership in it; anyone who is not an active member
with the required role gets the same 404 as for an organisation that does not exist, so a URL
never tells an outsider what is behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase

from twoway.core.models import Membership, Organisation, Role


def membership_get_for_user(*, user: Any, organisation_slug: str, role: Role) -> Membership:
    """The active membership of ``user`` in the organisation, or 404 (also when the role is too
    low: a participant probing an admin page learns no more than a stranger)."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation")
        .filter(
            user=user,
            organisation__slug=organisation_slug,
            organisation__is_active=True,
            is_active=True,
        )
        .first()
    )
    if membership is None or not membership.has_role(role):
        raise Http404
    return membership


class OrganisationRequest(HttpRequest):
    organisation: Organisation
    membership: Membership


def organisation_view(
    role: Role = Role.PARTICIPANT,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorate a view taking ``org_slug``: sets ``request.organisation`` and
    ``request.membership`` or answers 404."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapped(
            request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            membership = membership_get_for_user(
                user=request.user, organisation_slug=org_slug, role=role
            )
            request.membership = membership  # type: ignore[attr-defined]
            request.organisation = membership.organisation  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
