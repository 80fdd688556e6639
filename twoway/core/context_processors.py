from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from twoway.core.selectors import membership_list_for_user


def organisations(request: HttpRequest) -> dict[str, Any]:
    """The organisation switcher and the current organisation, for the page header."""
    return {
        "memberships": membership_list_for_user(user=request.user),
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
    }
