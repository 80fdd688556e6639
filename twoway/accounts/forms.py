"""Forms for the signed-in user's own account pages (allauth owns the sign-in forms)."""

from __future__ import annotations

from django import forms

from twoway.accounts.services import time_zone_choices


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=200,
        required=False,
        help_text="How other people see you. Leave empty to show your email address.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Dates and times are shown to you in this zone.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Built per form, not at import: the list comes from the system's tz database.
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_choices()]  # type: ignore[attr-defined]
