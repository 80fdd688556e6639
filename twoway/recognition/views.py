"""Pages of Recognition: kudos, the program showcase and its stories, and certificates.

Each view fetches what the viewer may see through a selector (anything else is 404), parses a
form and calls a service; a refusal re-shows the form with the message on the field it concerns
and the text as typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.forms import add_refusal
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.recognition import selectors, services
from twoway.recognition.certificate import certificate_pdf
from twoway.recognition.models import KUDOS_MAX_CHARS, STORY_MAX_CHARS
from twoway.threads.audience import Audience, audience_of
from twoway.threads.models import Visibility

PAGE_SIZE = 20
KUDOS_VISIBILITY_CHOICES = [
    (Visibility.PRIVATE.value, "Only the receiver and me"),
    (Visibility.MENTORSHIPS.value, "My mentorship(s)"),
    (Visibility.PROGRAM.value, "Our program"),
    (Visibility.ORGANISATION.value, "Everyone in the organisation"),
]
MARKDOWN_HINT = "Markdown works: **bold**, *italic*, - a list, > a quote, [a link](https://…)."


class RecognitionForm(forms.Form):
    """Labels without Django's trailing colon, as on the other pages of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class KudosForm(RecognitionForm):
    receiver = forms.TypedChoiceField(
        label="Who you thank",
        coerce=int,
        error_messages={
            "required": "Choose who you are thanking.",
            "invalid_choice": "Choose someone from the list.",
        },
    )
    message = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"At most {KUDOS_MAX_CHARS:,} characters.",
        error_messages={"required": "Write what you are thanking them for."},
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=KUDOS_VISIBILITY_CHOICES,
        initial=Visibility.PRIVATE.value,
        widget=forms.RadioSelect,
    )
    program = forms.TypedChoiceField(
        label="Program (for “Our program”)", required=False, coerce=int, empty_value=None
    )
    mentorship = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, receivers: list[Person], programs: list[Program], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].choices = [("", "Choose a person")] + [  # type: ignore[attr-defined]
            (person.pk, person.full_name) for person in receivers
        ]
        self.fields["program"].choices = [("", "The program we share")] + [  # type: ignore[attr-defined]
            (program.pk, program.name) for program in programs
        ]


class StoryForm(RecognitionForm):
    title = forms.CharField(
        label="Title",
        max_length=services.TITLE_MAX_CHARS,
        error_messages={"required": "Give your story a title."},
    )
    body = forms.CharField(
        label="Your story",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=f"{MARKDOWN_HINT} At most {STORY_MAX_CHARS:,} characters. "
        "It stays a draft only you can read until you publish it.",
        error_messages={"required": "Write your story before saving it."},
    )


def _membership(request: HttpRequest) -> Any:
    return request.membership  # type: ignore[attr-defined]


def _page(request: HttpRequest, rows: Any, param: str) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))


def _kudos_form(request: HttpRequest, audience: Audience, data: Any = None) -> KudosForm:
    initial = {key: request.GET[key] for key in ("receiver", "mentorship") if key in request.GET}
    return KudosForm(
        data,
        initial=initial,
        receivers=selectors.kudos_receivers(audience=audience),
        programs=selectors.programs_taken_part_in(audience=audience),
    )


@organisation_view()
def home(request: HttpRequest) -> HttpResponse:
    """Kudos I received and gave and others' kudos I may read, the form to give some, my
    certificates, my stories and the showcases of my programs."""
    audience = audience_of(membership=_membership(request))
    context = {
        "audience": audience,
        "received": _page(request, selectors.kudos_received(audience=audience), "received"),
        "given": _page(request, selectors.kudos_given(audience=audience), "given"),
        "shared": _page(request, selectors.kudos_shared_with(audience=audience), "shared"),
        "form": _kudos_form(request, audience),
        "certificates": selectors.certificates_mine(audience=audience),
        "stories": list(selectors.story_list_mine(audience=audience)),
        "programs": selectors.programs_taken_part_in(audience=audience),
    }
    return render(request, "recognition/home.html", context)


@organisation_view()
def kudos_new(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    audience = audience_of(membership=membership)
    if request.method != "POST":
        form = _kudos_form(request, audience)
    else:
        form = _kudos_form(request, audience, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            organisation = membership.organisation
            receiver = Person.objects.for_organisation(organisation).get(pk=data["receiver"])
            program = (
                Program.objects.for_organisation(organisation).filter(pk=data["program"]).first()
                if data["program"]
                else None
            )
            mentorship = (
                Mentorship.objects.for_organisation(organisation)
                .select_related("program")
                .filter(pk=data["mentorship"])
                .first()
                if data["mentorship"]
                else None
            )
            try:
                services.kudos_give(
                    membership=membership,
                    receiver=receiver,
                    message=data["message"],
                    visibility=data["visibility"],
                    mentorship=mentorship,
                    program=program,
                    base_url=request.build_absolute_uri("/"),
                )
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, f"Kudos sent to {receiver.full_name}.")
                return redirect("recognition:home", org_slug=organisation.slug)
    return render(request, "recognition/kudos_form.html", {"form": form, "audience": audience})


@require_POST
@organisation_view()
def kudos_delete(request: HttpRequest, kudos_id: int) -> HttpResponse:
    membership = _membership(request)
    audience = audience_of(membership=membership)
    kudos = selectors.kudos_get_for_giver(audience=audience, kudos_id=kudos_id)
    services.kudos_delete(membership=membership, kudos=kudos)
    messages.success(request, "Kudos deleted.")
    return redirect("recognition:home", org_slug=membership.organisation.slug)


@organisation_view()
def showcase(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's published stories, newest first, searchable."""
    membership = _membership(request)
    program = selectors.program_get_for_showcase(membership=membership, program_id=program_id)
    audience = audience_of(membership=membership)
    search = request.GET.get("q", "").strip()[:100]
    stories = _page(request, selectors.story_list_published(program=program, search=search), "page")
    context = {
        "program": program,
        "stories": stories,
        "search": search,
        "can_write": program.pk in audience.program_ids,
    }
    return render(request, "recognition/showcase.html", context)


@organisation_view()
def story(request: HttpRequest, story_id: int) -> HttpResponse:
    membership = _membership(request)
    item = selectors.story_get_readable(membership=membership, story_id=story_id)
    is_author = item.author.user_id == membership.user_id
    return render(request, "recognition/story.html", {"story": item, "is_author": is_author})


@organisation_view()
def story_new(request: HttpRequest, program_id: int) -> HttpResponse:
    membership = _membership(request)
    program = selectors.program_get_for_showcase(membership=membership, program_id=program_id)
    if program.pk not in audience_of(membership=membership).program_ids:
        raise Http404  # only its participants write a program's stories
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.story_create(
                membership=membership,
                program=program,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Your story is saved as a draft only you can read.")
            return redirect(
                "recognition:story", org_slug=membership.organisation.slug, story_id=item.pk
            )
    context = {"form": form, "program": program, "story": None}
    return render(request, "recognition/story_form.html", context)


@organisation_view()
def story_edit(request: HttpRequest, story_id: int) -> HttpResponse:
    membership = _membership(request)
    item = selectors.story_get_for_author(membership=membership, story_id=story_id)
    form = StoryForm(request.POST or None, initial={"title": item.title, "body": item.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(
                membership=membership,
                story=item,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Your story is saved.")
            return redirect(
                "recognition:story", org_slug=membership.organisation.slug, story_id=item.pk
            )
    context = {"form": form, "program": item.program, "story": item}
    return render(request, "recognition/story_form.html", context)


def _story_action(request: HttpRequest, story_id: int, action: str) -> HttpResponse:
    membership = _membership(request)
    item = selectors.story_get_for_author(membership=membership, story_id=story_id)
    slug = membership.organisation.slug
    if action == "publish":
        services.story_publish(membership=membership, story=item)
        messages.success(request, "Your story is published on the program's showcase.")
    elif action == "unpublish":
        services.story_unpublish(membership=membership, story=item)
        messages.success(request, "Your story is a draft again; only you can read it.")
    else:
        program_id = item.program_id
        services.story_delete(membership=membership, story=item)
        messages.success(request, "Your story is deleted.")
        return redirect("recognition:showcase", org_slug=slug, program_id=program_id)
    return redirect("recognition:story", org_slug=slug, story_id=item.pk)


@require_POST
@organisation_view()
def story_publish(request: HttpRequest, story_id: int) -> HttpResponse:
    return _story_action(request, story_id, "publish")


@require_POST
@organisation_view()
def story_unpublish(request: HttpRequest, story_id: int) -> HttpResponse:
    return _story_action(request, story_id, "unpublish")


@require_POST
@organisation_view()
def story_delete(request: HttpRequest, story_id: int) -> HttpResponse:
    return _story_action(request, story_id, "delete")


@organisation_view()
def certificate(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """The member's certificate of a completed mentorship, as a PDF download; anyone else, and
    a mentorship not completed yet, gets 404."""
    facts = selectors.certificate_facts(
        membership=_membership(request), mentorship_id=mentorship_id
    )
    response = HttpResponse(certificate_pdf(facts), content_type="application/pdf")
    filename = f"certificate-{slugify(facts.program) or 'program'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
