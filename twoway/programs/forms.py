"""Forms of the program design pages. They only parse input; the services validate the rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from twoway.accounts.models import User
from twoway.core.models import Organisation
from twoway.people.models import Department, Person, Topic
from twoway.programs import selectors
from twoway.programs.models import Format, Program


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgramListFilterForm(forms.Form):
    """The managers' program list: a search on the name, a status and a format ("any" when
    empty). An unknown value is dropped rather than refused: it is only a filter."""

    q = forms.CharField(label="Search by name", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Program.Status.choices]
    )
    format = forms.ChoiceField(
        label="Format", required=False, choices=[("", "Any format"), *Format.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filters(self) -> dict[str, str]:
        """The valid filters, as keyword arguments of the program selectors."""
        self.is_valid()
        return {
            "search": self.cleaned_data.get("q") or "",
            "status": self.cleaned_data.get("status") or "",
            "format": self.cleaned_data.get("format") or "",
        }


class ProgramNameForm(forms.Form):
    name = forms.CharField(label="Program name", max_length=200)


class PlaybookSaveForm(forms.Form):
    name = forms.CharField(
        label="Playbook name",
        max_length=200,
        help_text="Your organisation's managers will see it when they create a program.",
    )


class ProgramDesignForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    format = forms.ChoiceField(label="Format", choices=Format.choices)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    goals = forms.CharField(
        label="Goals",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One goal per line.",
    )
    key_areas = forms.ModelMultipleChoiceField(queryset=Topic.objects.none(), required=False)

    application_opens = forms.DateField(
        label="Applications open", required=False, widget=DateInput()
    )
    application_closes = forms.DateField(
        label="Applications close", required=False, widget=DateInput()
    )
    matching_date = forms.DateField(label="Matching", required=False, widget=DateInput())
    kickoff_date = forms.DateField(label="Kickoff", required=False, widget=DateInput())
    end_date = forms.DateField(label="End", required=False, widget=DateInput())

    cadence_weeks = forms.IntegerField(label="A session every … weeks", min_value=1, max_value=12)
    session_minutes = forms.IntegerField(
        label="Session length (minutes)", min_value=15, max_value=480
    )
    confidentiality_guidelines = forms.CharField(
        label="Confidentiality guidelines",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Both sides accept these at kickoff.",
    )

    mentees_per_mentor = forms.IntegerField(
        label="Mentees per mentor", min_value=1, help_text="For one-to-one formats."
    )
    circle_min_size = forms.IntegerField(
        label="Smallest circle", min_value=2, required=False, help_text="For circles."
    )
    circle_max_size = forms.IntegerField(
        label="Largest circle", min_value=2, required=False, help_text="For circles."
    )
    max_participants = forms.IntegerField(
        label="Participant cap",
        min_value=2,
        required=False,
        help_text="Applicants beyond it are waitlisted. Leave empty for no cap.",
    )
    min_level_gap = forms.IntegerField(
        label="Minimum level gap",
        min_value=0,
        max_value=20,
        help_text="Reverse mentoring: the mentor is at least this many levels below the mentee.",
    )

    enrolment_mode = forms.ChoiceField(
        label="Enrolment", choices=Program.EnrolmentMode.choices, widget=forms.RadioSelect
    )
    requires_approval = forms.BooleanField(
        label="Managers approve each application", required=False
    )
    notify_applicant_manager = forms.BooleanField(
        label="Tell an applicant's line manager that they applied (never what they wrote)",
        required=False,
    )
    managers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label="Program managers",
        widget=forms.CheckboxSelectMultiple,
    )

    SECTIONS = {
        "basics": ("name", "format", "description", "goals"),
        "timeline": (
            "application_opens",
            "application_closes",
            "matching_date",
            "kickoff_date",
            "end_date",
        ),
        "expectations": ("cadence_weeks", "session_minutes", "confidentiality_guidelines"),
        "capacity": (
            "mentees_per_mentor",
            "circle_min_size",
            "circle_max_size",
            "max_participants",
            "min_level_gap",
        ),
        "enrolment": ("enrolment_mode", "requires_approval", "notify_applicant_manager"),
    }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        key_areas = self.fields["key_areas"]
        managers = self.fields["managers"]
        assert isinstance(key_areas, forms.ModelMultipleChoiceField)
        assert isinstance(managers, forms.ModelMultipleChoiceField)
        key_areas.queryset = selectors.key_area_choices(organisation=organisation)
        managers.queryset = selectors.manager_candidates(organisation=organisation)

    @classmethod
    def initial_for(cls, program: Program) -> dict[str, Any]:
        fields = [f for section in cls.SECTIONS.values() for f in section]
        initial: dict[str, Any] = {f: getattr(program, f) for f in fields}
        initial["key_areas"] = [t.pk for t in program.key_areas.all()]
        initial["managers"] = [u.pk for u in program.managers.all()]
        return initial

    def section(self, name: str) -> list[forms.BoundField]:
        return [self[f] for f in self.SECTIONS[name]]

    def key_area_groups(self) -> list[tuple[str, list[tuple[int, str, bool]]]]:
        """Key-area checkboxes by taxonomy category: (category, [(id, name, checked)])."""
        if self.is_bound:
            chosen = {str(v) for v in self.data.getlist("key_areas")}  # type: ignore[attr-defined]
        else:
            chosen = {str(v) for v in self.initial.get("key_areas", [])}
        groups: dict[str, list[tuple[int, str, bool]]] = {}
        field = self.fields["key_areas"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        assert field.queryset is not None
        for topic in field.queryset:
            groups.setdefault(topic.category or "Other", []).append(
                (topic.pk, topic.name, str(topic.pk) in chosen)
            )
        return list(groups.items())

    # Templates cannot pass arguments: one property per fieldset.
    @property
    def section_basics(self) -> list[forms.BoundField]:
        return self.section("basics")

    @property
    def section_timeline(self) -> list[forms.BoundField]:
        return self.section("timeline")

    @property
    def section_expectations(self) -> list[forms.BoundField]:
        return self.section("expectations")

    @property
    def section_capacity(self) -> list[forms.BoundField]:
        return self.section("capacity")

    @property
    def section_enrolment(self) -> list[forms.BoundField]:
        return self.section("enrolment")


def _employee_ids(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", value) if part]


class EligibilityForm(forms.Form):
    min_level = forms.TypedChoiceField(
        label="Lowest level", coerce=int, required=False, empty_value=None
    )
    max_level = forms.TypedChoiceField(
        label="Highest level", coerce=int, required=False, empty_value=None
    )
    min_tenure_months = forms.IntegerField(
        label="Minimum tenure (months)", min_value=0, max_value=600, required=False
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(),
        label="Departments",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked means every department.",
    )
    included = forms.CharField(
        label="Always eligible (employee ids)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Separated by commas or new lines; eligible whatever the rest says.",
    )
    excluded = forms.CharField(
        label="Never eligible (employee ids)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Separated by commas or new lines.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        levels = [("", "No limit")] + [
            (str(level.number), f"{level.number} — {level.label}")
            for level in selectors.level_list(organisation=organisation)
        ]
        for name in ("min_level", "max_level"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = levels
        departments = self.fields["departments"]
        assert isinstance(departments, forms.ModelMultipleChoiceField)
        departments.queryset = selectors.department_list(organisation=organisation)

    def _people(self, name: str) -> list[Person]:
        ids = _employee_ids(self.cleaned_data.get(name, ""))
        people = list(Person.objects.filter(organisation=self.organisation, employee_id__in=ids))
        missing = sorted(set(ids) - {p.employee_id for p in people})
        if missing:
            raise forms.ValidationError(
                "No one in the directory has the employee id " + ", ".join(missing) + "."
            )
        return people

    def clean_included(self) -> list[Person]:
        return self._people("included")

    def clean_excluded(self) -> list[Person]:
        return self._people("excluded")

    @staticmethod
    def initial_for(rule: Any) -> dict[str, Any]:
        if rule is None:
            return {}
        return {
            "min_level": rule.min_level,
            "max_level": rule.max_level,
            "min_tenure_months": rule.min_tenure_months,
            "departments": [d.pk for d in rule.departments.all()],
            "included": ", ".join(p.employee_id for p in rule.included.all()),
            "excluded": ", ".join(p.employee_id for p in rule.excluded.all()),
        }
