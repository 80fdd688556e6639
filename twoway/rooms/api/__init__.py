"""REST endpoints of the room. Each part's endpoints build on ``RoomAPIView``: the room is
fetched through the viewer's own membership of it (404 otherwise), and a refused write answers
400 with the reason in ``detail`` (``core.api.refusal``)."""

from __future__ import annotations

from twoway.core.api import OrganisationAPIView
from twoway.rooms.access import Seat, room_get_for_member


class RoomAPIView(OrganisationAPIView):
    def seat(self, mentorship_id: int) -> Seat:
        return room_get_for_member(membership=self.membership, mentorship_id=mentorship_id)
