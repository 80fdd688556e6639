"""Views of the room; their forms share ``RoomForm``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from twoway.rooms.access import Seat, room_get_for_member


class RoomForm(forms.Form):
    """Labels without Django's trailing colon, as on the other pages of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def seat_of_request(request: HttpRequest, mentorship_id: int) -> Seat:
    """The viewer's seat in the room (``organisation_view`` has set their membership), or 404."""
    return room_get_for_member(
        membership=request.membership,  # type: ignore[attr-defined]
        mentorship_id=mentorship_id,
    )
