"""Forms of the survey pages. They only parse: every rule (what a valid question or answer is)
lives in ``services``, whose refusals are shown on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms

from twoway.core.errors import ApplicationError
from twoway.core.forms import add_refusal
from twoway.surveys.builtins import TEMPLATE_CHOICES
from twoway.surveys.models import Question, Survey


class SurveyForm(forms.Form):
    """Labels without Django's trailing colon, as on the other pages of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class NewSurveyForm(SurveyForm):
    template = forms.ChoiceField(
        label="Start from",
        choices=TEMPLATE_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose one of the templates offered."},
    )
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Required for a blank survey; a template brings its own title.",
    )


class SettingsForm(SurveyForm):
    title = forms.CharField(label="Title", max_length=200, required=False)
    intro = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown above the questions.",
    )
    is_anonymous = forms.BooleanField(
        label="Anonymous",
        required=False,
        help_text="Answers are stored without any link to the person who gave them. "
        "In a named survey they are linked, and managers still never read anyone's free text.",
    )
    audience = forms.ChoiceField(
        label="Who answers",
        choices=Survey.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who answers from the list."},
    )


class QuestionForm(SurveyForm):
    kind = forms.ChoiceField(
        label="Kind of question",
        choices=Question.Kind.choices,
        error_messages={"invalid_choice": "Choose a scale, a choice or free text."},
    )
    text = forms.CharField(label="Question", max_length=300, required=False)
    help = forms.CharField(label="Help (optional)", max_length=300, required=False)
    choices = forms.CharField(
        label="Options (choice questions)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One option a line, from 2 to 10.",
    )
    scale_min = forms.IntegerField(
        label="Lowest number (scale questions)",
        required=False,
        min_value=0,
        max_value=10,
        initial=1,
    )
    scale_max = forms.IntegerField(
        label="Highest number (scale questions)",
        required=False,
        min_value=0,
        max_value=10,
        initial=5,
    )
    required = forms.BooleanField(label="People must answer it", required=False, initial=True)

    @classmethod
    def for_question(cls, question: Question) -> QuestionForm:
        return cls(
            initial={
                "kind": question.kind,
                "text": question.text,
                "help": question.help,
                "choices": "\n".join(question.choices),
                "scale_min": question.scale_min,
                "scale_max": question.scale_max,
                "required": question.required,
            },
            auto_id="id_edit_%s",
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "help": data["help"],
            "choices": data["choices"].splitlines(),
            "scale_min": data["scale_min"],
            "scale_max": data["scale_max"],
            "required": data["required"],
        }


class AnswerForm(SurveyForm):
    """One field per question. The fields accept anything: ``response_submit`` decides what is
    a valid answer, and its refusals land on the questions they name."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            label = question.text + ("" if question.required else " (optional)")
            widget: forms.Widget
            if question.kind == Question.Kind.SCALE:
                widget = forms.RadioSelect(choices=[(v, str(v)) for v in question.scale_values])
            elif question.kind == Question.Kind.CHOICE:
                widget = forms.RadioSelect(choices=[(c, c) for c in question.choices])
            else:
                widget = forms.Textarea(attrs={"rows": 4})
            self.fields[question.field_name] = forms.CharField(
                label=label,
                help_text=question.help,
                required=False,
                strip=False,
                widget=widget,
            )

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}

    def add_refusal(self, error: ApplicationError) -> None:
        errors = error.extra.get("errors")
        if not errors:
            add_refusal(self, error)
            return
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
