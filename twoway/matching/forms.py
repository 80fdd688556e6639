"""Forms of the manager's matching pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from twoway.enrolment.models import Application
from twoway.matching.engine import Criterion, Weight
from twoway.matching.models import MatchingSettings, Proposal

WEIGHT_CHOICES = [
    (Weight.MUST.value, "Must — a pair without it is not allowed"),
    (Weight.HIGH.value, "High"),
    (Weight.MEDIUM.value, "Medium"),
    (Weight.LOW.value, "Low"),
    (Weight.OFF.value, "Off — not considered"),
]

CRITERIA: dict[str, tuple[str, str]] = {
    Criterion.TEACH_LEARN: (
        "Can teach what the mentee wants to learn",
        "How many of the mentee's topics the mentor says they can share.",
    ),
    Criterion.INTERESTS: ("Shared interests", "Interests beyond work they have in common."),
    Criterion.WORKING_STYLE: (
        "Similar working style",
        "How alike their answers to the working-style questions are.",
    ),
    Criterion.AVAILABILITY: (
        "Free hours in common",
        "Hours a week both are usually free; six or more counts as a full fit.",
    ),
    Criterion.TIME_ZONE: ("Close time zones", "Fewer hours apart on the clock is better."),
    Criterion.DIVERSITY: (
        "Different perspectives",
        "Different department, generation or location.",
    ),
    Criterion.CUSTOM: (
        "Same answers to the program's matching questions",
        "Only questions marked “used for matching” count.",
    ),
    "location": (
        "Same location",
        "Both work in the same place; for programs that meet in person.",
    ),
}


def criterion_label(criterion: str) -> tuple[str, str]:
    """(label, help text) of a criterion, also for one the engine added since."""
    return CRITERIA.get(str(criterion), (str(criterion).replace("_", " ").capitalize(), ""))


class MatchingSettingsForm(forms.Form):
    min_shared_hours = forms.IntegerField(
        label="Free hours in common, at least",
        min_value=0,
        max_value=40,
        help_text="A pair with fewer shared free hours a week is never proposed.",
    )
    load_spreading = forms.BooleanField(
        label="Spread mentees across mentors",
        required=False,
        help_text="Prefer giving every mentor one mentee before anyone gets a second.",
    )
    self_service = forms.BooleanField(
        label="Let participants find a mentor themselves",
        required=False,
        help_text="Mentees see their best suggestions and ask a mentor, who accepts or declines.",
    )
    request_days = forms.IntegerField(
        label="Days a mentor has to answer a request", min_value=1, max_value=60
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            label, help_text = criterion_label(criterion)
            self.fields[f"weight_{criterion}"] = forms.ChoiceField(
                label=label, help_text=help_text, choices=WEIGHT_CHOICES
            )

    @classmethod
    def initial_for(cls, settings: MatchingSettings, weights: dict[str, str]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "min_shared_hours": settings.min_shared_hours,
            "load_spreading": settings.load_spreading,
            "self_service": settings.self_service,
            "request_days": settings.request_days,
        }
        initial.update({f"weight_{c}": w for c, w in weights.items()})
        return initial

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{c}"] for c in Criterion]

    def weights(self) -> dict[str, str]:
        return {str(c): self.cleaned_data[f"weight_{c}"] for c in Criterion}


def _set_choices(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def proposal_label(proposal: Proposal) -> str:
    members = sorted(proposal.members.all(), key=lambda m: m.role)
    names = " with ".join(
        f"{m.application.person.full_name} ({m.get_role_display().lower()})" for m in members
    )
    return names or f"Proposal {proposal.pk}"


def application_label(application: Application) -> str:
    return f"{application.person.full_name} ({application.get_role_display().split(' ')[0]})"


class SwapForm(forms.Form):
    first = forms.TypedChoiceField(label="First pair", coerce=int)
    second = forms.TypedChoiceField(label="Second pair", coerce=int)

    def __init__(self, *args: Any, proposals: list[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a pair")] + [(p.pk, proposal_label(p)) for p in proposals]
        _set_choices(self.fields["first"], choices)
        _set_choices(self.fields["second"], choices)


class AddPairForm(forms.Form):
    mentor = forms.TypedChoiceField(label="Mentor", coerce=int)
    mentee = forms.TypedChoiceField(label="Mentee", coerce=int)
    confirm_warning = forms.BooleanField(
        label="I have read the warning and want to add this pair anyway", required=False
    )

    def __init__(
        self,
        *args: Any,
        mentors: list[Application],
        mentees: list[Application],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self.fields["mentor"],
            [("", "Choose a mentor"), *[(a.pk, application_label(a)) for a in mentors]],
        )
        _set_choices(
            self.fields["mentee"],
            [("", "Choose a mentee"), *[(a.pk, application_label(a)) for a in mentees]],
        )


class CompareForm(forms.Form):
    mentee = forms.TypedChoiceField(label="Mentee", coerce=int)
    mentor_a = forms.TypedChoiceField(label="First mentor", coerce=int)
    mentor_b = forms.TypedChoiceField(label="Second mentor", coerce=int)

    def __init__(
        self,
        *args: Any,
        mentors: list[Application],
        mentees: list[Application],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        mentee_choices = [(a.pk, application_label(a)) for a in mentees]
        mentor_choices = [(a.pk, application_label(a)) for a in mentors]
        _set_choices(self.fields["mentee"], [("", "Choose a mentee"), *mentee_choices])
        _set_choices(self.fields["mentor_a"], [("", "Choose a mentor"), *mentor_choices])
        _set_choices(self.fields["mentor_b"], [("", "Choose a mentor"), *mentor_choices])


class SearchForm(forms.Form):
    q = forms.CharField(label="Find a person", required=False, max_length=100)
