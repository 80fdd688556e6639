"""Pages of Growth Threads: the journal, an entry with its comments and reactions, the
organisation's and a program's feeds, and counts for the program's managers.

Views parse, call a selector or a service, and render. A refusal re-shows the form with the
message next to the field it concerns; an entry the viewer may not read is a 404 like a missing
one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.forms import add_refusal
from twoway.core.models import Role
from twoway.programs.models import Program
from twoway.programs.selectors import program_get_for_manager
from twoway.recognition.selectors import recognition_for_feed
from twoway.threads import selectors, services
from twoway.threads.audience import Audience, audience_of
from twoway.threads.models import COMMENT_MAX_CHARS, ENTRY_MAX_CHARS, Entry, Visibility
from twoway.threads.prompts import prompt_text

MARKDOWN_HINT = (
    "Markdown works: **bold**, *italic*, - a list, > a quote, [a link](https://example.org). "
    f"At most {ENTRY_MAX_CHARS:,} characters."
)
VISIBILITY_CHOICES = [
    (Visibility.PRIVATE.value, "Only me"),
    (Visibility.MENTORSHIPS.value, "My mentorship(s): the people I am in a mentorship with"),
    (Visibility.PROGRAM.value, "My program: its participants (choose the program below)"),
    (Visibility.ORGANISATION.value, "Everyone in the organisation"),
]


class ThreadForm(forms.Form):
    """Labels without Django's trailing colon; each field's error message is tied to its input
    (``aria-describedby``), also a service's refusal added after validation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                ids = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    ids.append(f"id_{name}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def _optional_choice(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)


class EntryForm(ThreadForm):
    title = forms.CharField(
        label="Title",
        max_length=services.TITLE_MAX_CHARS,
        error_messages={"required": "Give the entry a title."},
    )
    body = forms.CharField(
        label="Entry",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=MARKDOWN_HINT,
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=VISIBILITY_CHOICES,
        initial=Visibility.PRIVATE.value,
        widget=forms.RadioSelect,
    )
    program = _optional_choice("Program (optional; needed to share with a program)")
    goal = _optional_choice("Goal it is about (optional)")
    session = _optional_choice("Session it is about (optional)")
    roadmap_step = _optional_choice("Roadmap step it is about (optional)")
    prompt = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[int, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        empty = {
            "program": "No program",
            "goal": "No goal",
            "session": "No session",
            "roadmap_step": "No roadmap step",
        }
        for name, label in empty.items():
            self.fields[name].choices = [("", label), *choices[name]]  # type: ignore[attr-defined]


class CommentForm(ThreadForm):
    body = forms.CharField(
        label="Your comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Markdown works. At most {COMMENT_MAX_CHARS:,} characters.",
        error_messages={"required": "Write something in the comment before posting it."},
    )


# --- Helpers -----------------------------------------------------------------------------------


def _audience(request: HttpRequest) -> Audience:
    return audience_of(membership=request.membership)  # type: ignore[attr-defined]


def _slug(request: HttpRequest) -> str:
    return str(request.organisation.slug)  # type: ignore[attr-defined]


def _entry_url(request: HttpRequest, entry_id: int) -> str:
    return reverse("threads:entry", kwargs={"org_slug": _slug(request), "entry_id": entry_id})


def _int_or_none(raw: Any) -> int | None:
    return selectors.parse_before(raw)


def _feed_context(
    request: HttpRequest, audience: Audience, program: Program | None
) -> dict[str, Any]:
    q = selectors.search_terms(request.GET.get("q"))
    page = selectors.entry_feed(
        audience=audience,
        program=program,
        before=selectors.parse_before(request.GET.get("before")),
        q=q,
    )
    context: dict[str, Any] = {"page": page, "q": q, "program": program}
    context.update(recognition_for_feed(audience=audience, program=program))
    return context


# --- Journal and feeds -------------------------------------------------------------------------


@organisation_view()
def home(request: HttpRequest) -> HttpResponse:
    audience = _audience(request)
    page = selectors.entry_feed(
        audience=audience, before=selectors.parse_before(request.GET.get("before")), mine=True
    )
    context: dict[str, Any] = {
        "page": page,
        "can_write": audience.person is not None,
        "programs": selectors.programs_taken_part_in(audience=audience),
    }
    context.update(selectors.prompts_after_latest_session(audience=audience, now=timezone.now()))
    return render(request, "threads/home.html", context)


@organisation_view()
def feed(request: HttpRequest) -> HttpResponse:
    audience = _audience(request)
    return render(request, "threads/feed.html", _feed_context(request, audience, None))


@organisation_view()
def program_feed(request: HttpRequest, program_id: int) -> HttpResponse:
    audience = _audience(request)
    program = selectors.program_in_organisation(
        organisation=request.organisation,  # type: ignore[attr-defined]
        program_id=program_id,
    )
    return render(request, "threads/feed.html", _feed_context(request, audience, program))


@organisation_view(Role.PROGRAM_MANAGER)
def program_counts(request: HttpRequest, program_id: int) -> HttpResponse:
    program = program_get_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )
    activity = selectors.program_activity(program=program, now=timezone.now())
    return render(
        request, "threads/program_counts.html", {"program": program, "activity": activity}
    )


# --- One entry ---------------------------------------------------------------------------------


def _entry_page(
    request: HttpRequest, audience: Audience, entry: Entry, comment_form: CommentForm
) -> HttpResponse:
    detail = selectors.entry_detail(audience=audience, entry=entry)
    return render(
        request,
        "threads/entry.html",
        {
            "detail": detail,
            "entry": entry,
            "visibility_words": selectors.visibility_words(entry),
            "prompt_question": prompt_text(entry.prompt),
            "comment_form": comment_form,
            "can_write": audience.person is not None,
        },
        status=400 if comment_form.errors else 200,
    )


@organisation_view()
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    audience = _audience(request)
    found = selectors.entry_get_for_reader(audience=audience, entry_id=entry_id)
    return _entry_page(request, audience, found, CommentForm())


def _entry_form_page(
    request: HttpRequest, form: EntryForm, found: Entry | None, prompt: str
) -> HttpResponse:
    return render(
        request,
        "threads/entry_form.html",
        {"form": form, "entry": found, "prompt_question": prompt_text(prompt)},
        status=400 if form.errors else 200,
    )


def _links(form: EntryForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "visibility": data["visibility"],
        "program_id": data["program"],
        "goal_id": data["goal"],
        "session_id": data["session"],
        "roadmap_step_id": data["roadmap_step"],
    }


@organisation_view()
def entry_new(request: HttpRequest) -> HttpResponse:
    audience = _audience(request)
    choices = selectors.link_choices(audience=audience)
    if request.method == "POST":
        form = EntryForm(request.POST, choices=choices)
        prompt = request.POST.get("prompt", "")
        if form.is_valid():
            try:
                created = services.entry_create(
                    membership=request.membership,  # type: ignore[attr-defined]
                    prompt=form.cleaned_data["prompt"],
                    **_links(form),
                )
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "Your entry is saved.")
                return redirect(_entry_url(request, created.pk))
        return _entry_form_page(request, form, None, prompt)
    # Prefilled from a writing prompt after a session; only choices the author may pick are kept.
    prompt = request.GET.get("prompt", "")
    prompt = prompt if prompt_text(prompt) else ""
    initial: dict[str, Any] = {"prompt": prompt, "title": prompt_text(prompt)}
    for name in ("session", "program"):
        wanted = _int_or_none(request.GET.get(name))
        if wanted is not None and wanted in {pk for pk, _ in choices[name]}:
            initial[name] = wanted
    if audience.person is None:
        messages.error(request, services.NO_PERSON)
    return _entry_form_page(request, EntryForm(initial=initial, choices=choices), None, prompt)


@organisation_view()
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    audience = _audience(request)
    found = selectors.entry_get_for_author(audience=audience, entry_id=entry_id)
    choices = selectors.link_choices(audience=audience)
    if found.program is not None and found.program_id not in {pk for pk, _ in choices["program"]}:
        choices["program"].append((found.program.pk, found.program.name))
    if request.method == "POST":
        form = EntryForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                services.entry_update(
                    membership=request.membership,  # type: ignore[attr-defined]
                    entry_id=found.pk,
                    **_links(form),
                )
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "Your changes are saved.")
                return redirect(_entry_url(request, found.pk))
        return _entry_form_page(request, form, found, found.prompt)
    form = EntryForm(
        initial={
            "title": found.title,
            "body": found.body,
            "visibility": found.visibility,
            "program": found.program_id,
            "goal": found.goal_id,
            "session": found.session_id,
            "roadmap_step": found.roadmap_step_id,
            "prompt": found.prompt,
        },
        choices=choices,
    )
    return _entry_form_page(request, form, found, found.prompt)


@organisation_view()
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    audience = _audience(request)
    found = selectors.entry_get_for_author(audience=audience, entry_id=entry_id)
    if request.method == "POST":
        services.entry_delete(
            membership=request.membership,  # type: ignore[attr-defined]
            entry_id=found.pk,
        )
        messages.success(request, "The entry is deleted.")
        return redirect("threads:home", org_slug=_slug(request))
    return render(request, "threads/entry_delete.html", {"entry": found})


# --- Comments and reactions --------------------------------------------------------------------


@require_POST
@organisation_view()
def comment_new(request: HttpRequest, entry_id: int) -> HttpResponse:
    audience = _audience(request)
    found = selectors.entry_get_for_reader(audience=audience, entry_id=entry_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                membership=request.membership,  # type: ignore[attr-defined]
                entry_id=found.pk,
                body=form.cleaned_data["body"],
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Your comment is posted.")
            return redirect(_entry_url(request, found.pk) + "#comments")
    return _entry_page(request, audience, found, form)


@require_POST
@organisation_view()
def comment_delete(request: HttpRequest, entry_id: int, comment_id: int) -> HttpResponse:
    services.comment_delete(
        membership=request.membership,  # type: ignore[attr-defined]
        entry_id=entry_id,
        comment_id=comment_id,
    )
    messages.success(request, "The comment is deleted.")
    return redirect(_entry_url(request, entry_id) + "#comments")


@require_POST
@organisation_view()
def reaction_toggle(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        services.reaction_toggle(
            membership=request.membership,  # type: ignore[attr-defined]
            entry_id=entry_id,
            kind=request.POST.get("kind", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(_entry_url(request, entry_id) + "#reactions")
