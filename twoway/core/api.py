"""Organisation-scoped REST endpoints resolve the organisation from the URL before the handler
runs (the same rule as ``organisation_view``: a foreign organisation is a 404)."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from twoway.core.access import membership_get_for_user
from twoway.core.errors import ApplicationError
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


def refusal(error: ApplicationError) -> Response:
    """A refused write: 400 with the service's reason in ``detail``."""
    return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
