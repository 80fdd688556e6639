"""Forms of the enrolment pages. They parse and shape input; the rules live in the services."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

from twoway.enrolment import availability, tipi
from twoway.enrolment.models import CustomQuestion, DiversityResponse, MeetingMode, Role
from twoway.enrolment.services import DiversityInput
from twoway.people.models import Person, Topic

TIPI_CHOICES = [(str(value), f"{value} — {label}") for value, label in tipi.SCALE]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _set_choices(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class TopicChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ApplicationForm(forms.Form):
    """The questionnaire. Field names group into fieldsets in the template."""

    role = forms.ChoiceField(
        label="I would like to take part as",
        choices=Role.choices,
        widget=forms.RadioSelect,
    )
    shares = TopicChoices(
        label="Skills and topics I can share", queryset=Topic.objects.none(), required=False
    )
    shares_other = forms.CharField(
        label="Other skills I can share",
        required=False,
        help_text="Separate several with commas.",
    )
    learns = TopicChoices(
        label="Topics I want to learn", queryset=Topic.objects.none(), required=False
    )
    learns_other = forms.CharField(
        label="Other topics I want to learn", required=False, help_text="Separate with commas."
    )
    interests = TopicChoices(
        label="Interests beyond work", queryset=Topic.objects.none(), required=False
    )
    interests_other = forms.CharField(
        label="Other interests", required=False, help_text="Separate with commas."
    )
    goals = forms.CharField(
        label="What do you hope to get out of this program?",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In your own words. Your match will read this.",
    )
    time_zone = forms.ChoiceField(label="My time zone", choices=())
    availability = forms.MultipleChoiceField(
        label="When I can usually meet",
        required=False,
        choices=[
            (f"{day}-{hour}", f"{availability.DAYS[day]} {hour:02d}:00")
            for day in range(7)
            for hour in range(24)
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    meeting_mode = forms.ChoiceField(
        label="I prefer to meet by", choices=MeetingMode.choices, widget=forms.RadioSelect
    )
    languages = forms.CharField(
        label="Languages I can mentor in",
        required=False,
        help_text="Language codes or names, separated by commas (for example: en, fr).",
    )
    # Diversity: optional, with a consent per purpose.
    erg_memberships = forms.CharField(
        label="Employee resource groups I belong to",
        required=False,
        help_text="Separate with commas.",
    )
    gender = forms.CharField(label="Gender (in your own words)", required=False, max_length=100)
    age_band = forms.ChoiceField(
        label="Age band",
        required=False,
        choices=[("", "Prefer not to say"), *DiversityResponse.AgeBand.choices],
    )
    ethnicity = forms.CharField(
        label="Ethnicity (in your own words)", required=False, max_length=200
    )
    consent_matching = forms.BooleanField(
        label="Use my answers in this section to help find a match for me", required=False
    )
    consent_reporting = forms.BooleanField(
        label="Count my answers in anonymous reports about the program "
        "(groups of at least 5 people)",
        required=False,
    )

    TOPIC_FIELDS = ("shares", "learns", "interests")

    def __init__(
        self,
        *args: Any,
        person: Person,
        questions: list[CustomQuestion],
        skills: Any,
        interests: Any,
        today: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.questions = questions
        self.today = today
        self.fields["shares"].queryset = skills  # type: ignore[attr-defined]
        self.fields["learns"].queryset = skills  # type: ignore[attr-defined]
        self.fields["interests"].queryset = interests  # type: ignore[attr-defined]
        zones = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
        _set_choices(
            self.fields["time_zone"],
            [(zone, zone.replace("_", " ")) for zone in zones if "/" in zone or zone == "UTC"],
        )
        for number, item in enumerate(tipi.ITEMS, start=1):
            self.fields[f"tipi_{number}"] = forms.ChoiceField(
                label=f"{tipi.STEM} {item}",
                choices=TIPI_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Please answer statement {number}."},
            )
        for question in questions:
            self.fields[f"q_{question.pk}"] = self._question_field(question)

    @staticmethod
    def _question_field(question: CustomQuestion) -> forms.Field:
        common: dict[str, Any] = {
            "label": question.text,
            "required": question.required,
            "help_text": question.help_text,
        }
        kind = CustomQuestion.Kind
        if question.kind == kind.SINGLE:
            return forms.ChoiceField(
                choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
            )
        if question.kind == kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in question.choices],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if question.kind == kind.SCALE:
            return forms.TypedChoiceField(
                choices=[
                    (str(n), str(n)) for n in range(question.scale_min, question.scale_max + 1)
                ],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)

    @property
    def tipi_fields(self) -> list[forms.BoundField]:
        return [self[f"tipi_{n}"] for n in range(1, len(tipi.ITEMS) + 1)]

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.pk}"] for q in self.questions]

    def availability_rows(self) -> list[tuple[int, list[tuple[str, str, bool]]]]:
        """The grid for the template: one row per hour, one (value, label, checked) per day."""
        chosen = set(self["availability"].value() or [])
        return [
            (
                hour,
                [
                    (
                        f"{day}-{hour}",
                        f"{availability.DAYS[day]} {hour:02d}:00",
                        f"{day}-{hour}" in chosen,
                    )
                    for day in range(7)
                ],
            )
            for hour in range(24)
        ]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data, shaped for ``application_submit``."""
        data = self.cleaned_data
        slots = []
        for value in data["availability"]:
            day, hour = value.split("-")
            slots.append((int(day), int(hour)))
        answers: dict[int, Any] = {}
        for question in self.questions:
            value = data.get(f"q_{question.pk}")
            if value not in (None, "", []):
                answers[question.pk] = value
        return {
            "role": data["role"],
            "goals": data["goals"],
            "shares": [*data["shares"], *_split(data["shares_other"])],
            "learns": [*data["learns"], *_split(data["learns_other"])],
            "interests": [*data["interests"], *_split(data["interests_other"])],
            "tipi_answers": [int(data[f"tipi_{n}"]) for n in range(1, len(tipi.ITEMS) + 1)],
            "availability_slots": slots,
            "time_zone": data["time_zone"],
            "meeting_mode": data["meeting_mode"],
            "languages": _split(data["languages"]),
            "answers": answers,
            "diversity": DiversityInput(
                erg_memberships=_split(data["erg_memberships"]),
                gender=data["gender"],
                age_band=data["age_band"],
                ethnicity=data["ethnicity"],
                consent_matching=data["consent_matching"],
                consent_reporting=data["consent_reporting"],
            ),
        }


class InviteByFiltersForm(forms.Form):
    q = forms.CharField(label="Name, email or job title", required=False)
    department = forms.TypedChoiceField(
        label="Department", required=False, coerce=int, empty_value=None, choices=()
    )
    team = forms.TypedChoiceField(
        label="Team", required=False, coerce=int, empty_value=None, choices=()
    )
    level = forms.TypedChoiceField(
        label="Level", required=False, coerce=int, empty_value=None, choices=()
    )
    topic = forms.TypedChoiceField(
        label="Skill or topic", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(
        self, *args: Any, departments: Any, teams: Any, levels: Any, topics: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self.fields["department"],
            [
                ("", "Any department"),
                *((d.pk, d.name) for d in departments),
            ],
        )
        _set_choices(self.fields["team"], [("", "Any team"), *((t.pk, t.name) for t in teams)])
        _set_choices(
            self.fields["level"],
            [
                ("", "Any level"),
                *((lv.number, f"{lv.number} — {lv.label}") for lv in levels),
            ],
        )
        _set_choices(
            self.fields["topic"],
            [
                ("", "Any skill or topic"),
                *((t.pk, t.name) for t in topics),
            ],
        )

    def has_filter(self) -> bool:
        return any(
            self.cleaned_data.get(name) for name in ("q", "department", "team", "level", "topic")
        )


class InviteByCsvForm(forms.Form):
    file = forms.FileField(
        label="CSV of email addresses",
        help_text="One address per row, in a column named “email” or the first column.",
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    help_text = forms.CharField(label="Help text", max_length=300, required=False)
    kind = forms.ChoiceField(label="Kind of answer", choices=CustomQuestion.Kind.choices)
    choices = forms.CharField(
        label="Options (choice questions)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One option per line.",
    )
    scale_min = forms.IntegerField(label="Scale from", initial=1)
    scale_max = forms.IntegerField(label="Scale to", initial=5)
    required = forms.BooleanField(label="An answer is required", required=False)
    used_for_matching = forms.BooleanField(label="Use the answers in matching", required=False)
    weight = forms.ChoiceField(
        label="Weight in matching", choices=CustomQuestion.Weight.choices, initial="off"
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [line.strip() for line in data["choices"].splitlines() if line.strip()]
        return data
