"""The program's nudge settings form: each rule on or off, and its number."""

from __future__ import annotations

from typing import Any

from django import forms

from twoway.nudges.services import LIMITS

LABELS = {
    "quiet_enabled": "Nudge pairs with no session within their rhythm",
    "quiet_grace_days": "Days of grace after the agreed rhythm",
    "agreement_enabled": "Nudge members who have not accepted their agreement",
    "agreement_days": "Days after the mentorship starts",
    "overdue_actions_enabled": "Nudge about overdue action items",
    "overdue_actions_days": "Days past the due date",
    "request_expiring_enabled": "Nudge mentors about a match request about to expire",
    "request_expiring_hours": "Hours before the request expires",
    "unfinished_application_enabled": "Nudge invitees who have not finished their application",
    "unfinished_application_days": "Days after the invitation",
    "circle_notes_enabled": "Nudge circle mentors to add notes after a session",
    "circle_notes_days": "Days after the session",
    "repeat_days": "Days before the same reminder may be sent again",
}


class NudgeSettingsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in LABELS.items():
            if name in LIMITS:
                low, high, unit = LIMITS[name]
                self.fields[name] = forms.IntegerField(
                    label=label,
                    min_value=low,
                    max_value=high,
                    help_text=f"{low} to {high} {unit}.",
                    error_messages={
                        "required": f"Enter a number of {unit}.",
                        "invalid": f"Enter a whole number of {unit}.",
                        "min_value": f"Choose at least {low} {unit}.",
                        "max_value": f"Choose at most {high} {unit}.",
                    },
                )
            else:
                self.fields[name] = forms.BooleanField(label=label, required=False)

    def add_error(self, field: str | None, error: Any) -> None:
        """Ties each error to its input (``aria-describedby``), also a service's refusal."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                ids = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    ids.append(f"id_{name}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)
                self.fields[name].widget.attrs["aria-invalid"] = "true"
