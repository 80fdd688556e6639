"""Organisation-scoped REST endpoints resolve the organisation from the URL before the handler
runs (the same rule as ``organisation_view``: a foreign organisation is a 404)."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.request import Request
from rest_framework.views import APIView

from twoway.core.access import membership_get_for_user
from twoway.core.models import Membership, Organisation, Role


class OrganisationAPIView(APIView):
    required_role: ClassVar[Role] = Role.PARTICIPANT
    organisation: Organisation
    membership: Membership

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticates and checks IsAuthenticated
        self.membership = membership_get_for_user(
            user=request.user, organisation_slug=kwargs["org_slug"], role=self.required_role
        )
        self.organisation = self.membership.organisation
