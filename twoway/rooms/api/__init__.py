"""REST endpoints of the room. Each part's endpoints build on ``RoomAPIView``: the room is
fetched through the viewer's own membership of it (404 otherwise), and a refused write answers
400 with the reason in ``detail``."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView
from twoway.core.errors import ApplicationError
from twoway.rooms.access import Seat, room_get_for_member


def refusal(error: ApplicationError) -> Response:
    return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)


class RoomAPIView(OrganisationAPIView):
    def seat(self, mentorship_id: int) -> Seat:
        return room_get_for_member(membership=self.membership, mentorship_id=mentorship_id)
