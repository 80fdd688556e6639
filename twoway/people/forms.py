"""Forms of the people directory's pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from twoway.people.columns import COLUMNS, REQUIRED_COLUMNS

COLUMN_LABELS = {
    "employee_id": "Employee id",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "job_title": "Job title",
    "level": "Level (number)",
    "department": "Department",
    "team": "Team",
    "manager_employee_id": "Manager's employee id",
    "location": "Location",
    "time_zone": "Time zone",
    "hire_date": "Hire date",
    "languages": "Languages",
    "skills": "Skills they can share",
    "learning_topics": "Topics they want to learn",
    "interests": "Interests",
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="HRIS export (CSV or XLSX)",
        help_text="One row per person; the first row holds the column names.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.tsv,.txt"}),
    )


class ImportMappingForm(forms.Form):
    """Which column of the file feeds each directory column."""

    deactivate_missing = forms.BooleanField(
        required=False,
        label="Full sync: deactivate people who are not in this file",
    )

    def __init__(self, *args: Any, headers: Sequence[str], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —"), *((h, h) for h in headers if h)]
        for column in COLUMNS:
            self.fields[f"map_{column}"] = forms.ChoiceField(
                label=COLUMN_LABELS[column],
                choices=choices,
                required=column in REQUIRED_COLUMNS,
            )
        self.order_fields([*(f"map_{c}" for c in COLUMNS), "deactivate_missing"])

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"map_{column}"]
            for column in COLUMNS
            if self.cleaned_data.get(f"map_{column}")
        }

    @staticmethod
    def initial_for(mapping: dict[str, str], deactivate_missing: bool) -> dict[str, Any]:
        return {
            **{f"map_{c}": h for c, h in mapping.items()},
            "deactivate_missing": deactivate_missing,
        }
