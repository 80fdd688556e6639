"""Views of the room; their forms share ``RoomForm``."""

from __future__ import annotations

from typing import Any

from django import forms


class RoomForm(forms.Form):
    """Labels without Django's trailing colon, as on the other pages of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
