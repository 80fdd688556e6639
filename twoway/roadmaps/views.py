"""Pages of Roadmaps: the library, a roadmap and its authoring, file downloads, the program
managers' overview, and the room's roadmap pages (members only, through
``room_get_for_member``).

Each view fetches and authorises in one step (404 otherwise), parses a form and calls a service;
a refusal re-shows the form with the message next to the field it names.
"""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.markdown import render_markdown
from twoway.core.models import Role
from twoway.programs.models import Format
from twoway.programs.selectors import program_get_for_manager, program_list_managed
from twoway.roadmaps import builtins as builtin_library
from twoway.roadmaps import selectors, services
from twoway.roadmaps.access import can_author, roadmap_get_for_author, roadmap_get_readable
from twoway.roadmaps.models import RESOURCE_EXTENSIONS, RESOURCE_MAX_BYTES
from twoway.rooms.agendas import BUILTIN_AGENDAS
from twoway.rooms.views import RoomForm, seat_of_request

MARKDOWN_HINT = "Markdown works: **bold**, *italic*, - a list, [a link](https://example.org)."


# --- Forms ---------------------------------------------------------------------------------------


class RoadmapForm(RoomForm):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    formats = forms.MultipleChoiceField(
        label="Suits these formats (none ticked: any)",
        required=False,
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    program = forms.ChoiceField(label="For", required=False)

    def __init__(self, *args: Any, program_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = program_choices  # type: ignore[attr-defined]


AGENDA_CHOICES = [("", "No suggested agenda")] + [(a.key, a.name) for a in BUILTIN_AGENDAS]


class StepForm(RoomForm):
    title = forms.CharField(label="Step title", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HINT,
    )
    effort_minutes = forms.IntegerField(
        label="Estimated effort (minutes)",
        min_value=services.MIN_EFFORT,
        max_value=services.MAX_EFFORT,
        initial=60,
    )
    agenda_key = forms.ChoiceField(label="Suggested agenda", required=False, choices=AGENDA_CHOICES)
    source_step_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


StepFormSet = forms.formset_factory(
    StepForm, extra=1, can_delete=True, can_order=True, max_num=services.MAX_STEPS
)


class ChangeNoteForm(RoomForm):
    change_note = forms.CharField(label="What changed (optional)", required=False, max_length=200)


class ResourceForm(RoomForm):
    title = forms.CharField(label="Resource title", max_length=200)
    url = forms.CharField(label="Link (or upload a file below)", required=False, max_length=200)
    file = forms.FileField(
        label="File (or give a link above)",
        required=False,
        help_text=(
            f"At most {RESOURCE_MAX_BYTES // (1024 * 1024)} MB. Allowed types: "
            + ", ".join(RESOURCE_EXTENSIONS)
            + "."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError("Give either a link or a file (one of the two).")
        return data


def _refuse(form: forms.Form, error: ApplicationError) -> None:
    """Put the refusal next to the field its message names ("Title: ...")."""
    label = error.message.split(":", 1)[0].strip().lower()
    fields = {"title": "title", "link": "url", "file": "file", "roadmap": "roadmap"}
    field = fields.get(label)
    form.add_error(field if field in form.fields else None, error.message)


def _org(request: HttpRequest) -> str:
    return request.organisation.slug  # type: ignore[attr-defined]


def _membership(request: HttpRequest) -> Any:
    return request.membership  # type: ignore[attr-defined]


# --- Library and roadmaps -------------------------------------------------------------------------


@organisation_view()
def roadmap_list(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    search = request.GET.get("q", "").strip()[:100]
    roadmaps = Paginator(
        selectors.roadmap_list_for_library(membership=membership, search=search),
        selectors.LIBRARY_PER_PAGE,
    ).get_page(request.GET.get("page"))
    may_create = membership.has_role(Role.ADMIN) or (
        program_list_managed(membership=membership).exists()
    )
    return render(
        request,
        "roadmaps/library.html",
        {
            "roadmaps": roadmaps,
            "builtins": selectors.builtin_list_unadopted(membership=membership, search=search),
            "q": search,
            "may_create": may_create,
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_http_methods(["GET", "POST"])
def roadmap_new(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    choices = [("", "The whole organisation")] if membership.has_role(Role.ADMIN) else []
    managed = list(program_list_managed(membership=membership))
    choices += [(str(p.pk), f"Program: {p.name}") for p in managed]
    form = RoadmapForm(request.POST or None, program_choices=choices)
    if request.method == "POST" and form.is_valid():
        program_id = form.cleaned_data["program"]
        program = next((p for p in managed if str(p.pk) == program_id), None)
        try:
            roadmap = services.roadmap_create(
                membership=membership,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                formats=form.cleaned_data["formats"],
                program=program,
            )
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Roadmap created. Now add its steps.")
            return redirect("roadmaps:edit", org_slug=_org(request), roadmap_id=roadmap.pk)
    return render(request, "roadmaps/roadmap_new.html", {"form": form})


@organisation_view()
def builtin(request: HttpRequest, key: str) -> HttpResponse:
    roadmap = builtin_library.builtin_get(key)
    if roadmap is None:
        raise Http404
    agenda_names = {a.key: a.name for a in BUILTIN_AGENDAS}
    # Built-in text is ours, but it goes through the same renderer as everyone's Markdown.
    steps = [
        {
            "step": step,
            "agenda_name": agenda_names.get(step.agenda_key, ""),
            "description_html": render_markdown(step.description),
        }
        for step in roadmap.steps
    ]
    return render(request, "roadmaps/builtin.html", {"builtin": roadmap, "steps": steps})


@organisation_view()
@require_POST
def builtin_adopt(request: HttpRequest, key: str) -> HttpResponse:
    try:
        roadmap = services.roadmap_adopt_builtin(membership=_membership(request), key=key)
    except ApplicationError as error:
        raise Http404 from error
    return redirect("roadmaps:roadmap", org_slug=_org(request), roadmap_id=roadmap.pk)


@organisation_view()
def roadmap_detail(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    membership = _membership(request)
    roadmap = roadmap_get_readable(membership=membership, roadmap_id=roadmap_id)
    return render(
        request,
        "roadmaps/roadmap.html",
        {
            "roadmap": roadmap,
            "version": roadmap.current_version,
            "steps": selectors.steps_of_version(version_id=roadmap.current_version_id),
            "is_author": can_author(membership, roadmap),
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_http_methods(["GET", "POST"])
def roadmap_edit(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    """Revise the steps: saving makes a new version; pairs on an older one keep theirs."""
    membership = _membership(request)
    roadmap = roadmap_get_for_author(membership=membership, roadmap_id=roadmap_id)
    current = selectors.steps_of_version(version_id=roadmap.current_version_id)
    initial = [
        {
            "title": s.title,
            "description": s.description,
            "effort_minutes": s.effort_minutes,
            "agenda_key": s.agenda_key,
            "source_step_id": s.pk,
            "ORDER": s.position,
        }
        for s in current
    ]
    formset = StepFormSet(request.POST or None, initial=initial, prefix="steps")
    note_form = ChangeNoteForm(request.POST or None)
    error_message = ""
    if request.method == "POST" and formset.is_valid() and note_form.is_valid():
        steps = [
            services.StepInput(
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                effort_minutes=form.cleaned_data["effort_minutes"],
                agenda_key=form.cleaned_data["agenda_key"],
                source_step_id=form.cleaned_data.get("source_step_id"),
            )
            for form in formset.ordered_forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            version = services.roadmap_revise(
                membership=membership,
                roadmap=roadmap,
                steps=steps,
                change_note=note_form.cleaned_data["change_note"],
            )
        except ApplicationError as error:
            error_message = error.message
        else:
            messages.success(request, f"Saved as version {version.number}.")
            return redirect("roadmaps:roadmap", org_slug=_org(request), roadmap_id=roadmap.pk)
    return render(
        request,
        "roadmaps/roadmap_edit.html",
        {
            "roadmap": roadmap,
            "formset": formset,
            "note_form": note_form,
            "error_message": error_message,
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_http_methods(["GET", "POST"])
def resource_add(request: HttpRequest, roadmap_id: int, step_id: int) -> HttpResponse:
    membership = _membership(request)
    roadmap = roadmap_get_for_author(membership=membership, roadmap_id=roadmap_id)
    step = selectors.step_get(roadmap=roadmap, step_id=step_id)
    if step.version_id != roadmap.current_version_id:
        raise Http404
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["file"]:
                services.resource_add_file(
                    membership=membership,
                    roadmap=roadmap,
                    step=step,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                )
            else:
                services.resource_add_link(
                    membership=membership,
                    roadmap=roadmap,
                    step=step,
                    title=form.cleaned_data["title"],
                    url=form.cleaned_data["url"],
                )
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Resource added.")
            return redirect("roadmaps:roadmap", org_slug=_org(request), roadmap_id=roadmap.pk)
    return render(
        request, "roadmaps/resource_form.html", {"roadmap": roadmap, "step": step, "form": form}
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def resource_remove(request: HttpRequest, roadmap_id: int, resource_id: int) -> HttpResponse:
    membership = _membership(request)
    roadmap = roadmap_get_for_author(membership=membership, roadmap_id=roadmap_id)
    resource = selectors.resource_get_in_roadmap(roadmap=roadmap, resource_id=resource_id)
    try:
        services.resource_remove(membership=membership, roadmap=roadmap, resource=resource)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Resource removed.")
    return redirect("roadmaps:roadmap", org_slug=_org(request), roadmap_id=roadmap.pk)


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def roadmap_archive(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    membership = _membership(request)
    roadmap = roadmap_get_for_author(membership=membership, roadmap_id=roadmap_id)
    services.roadmap_archive(membership=membership, roadmap=roadmap)
    messages.success(request, "Archived: it is no longer offered; pairs following it go on.")
    return redirect("roadmaps:library", org_slug=_org(request))


@organisation_view()
def resource_download(request: HttpRequest, resource_id: int) -> FileResponse:
    resource = selectors.resource_get_for_download(
        membership=_membership(request), resource_id=resource_id
    )
    extension = os.path.splitext(resource.file.name or "")[1]
    filename = f"{slugify(resource.title) or 'resource'}{extension}"
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=resource.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Program managers -----------------------------------------------------------------------------


class AssignForm(RoomForm):
    mentorship = forms.IntegerField(widget=forms.HiddenInput)
    roadmap = forms.TypedChoiceField(label="Roadmap", coerce=int)

    def __init__(self, *args: Any, roadmap_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].choices = roadmap_choices  # type: ignore[attr-defined]


@organisation_view(Role.PROGRAM_MANAGER)
@require_http_methods(["GET", "POST"])
def program(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's mentorships (members' names only), what each follows and how far, as
    counts; and a form to assign a roadmap."""
    membership = _membership(request)
    program_ = program_get_for_manager(membership=membership, program_id=program_id)
    roadmap_choices = [
        (r.pk, r.title) for r in selectors.roadmap_list_for_program(program=program_)
    ]
    error: tuple[int, str] | None = None
    if request.method == "POST":
        form = AssignForm(request.POST, roadmap_choices=roadmap_choices)
        if form.is_valid():
            mentorship = selectors.mentorship_get_in_program(
                program=program_, mentorship_id=form.cleaned_data["mentorship"]
            )
            roadmap = selectors.roadmap_get_for_mentorship(
                membership=membership,
                mentorship=mentorship,
                roadmap_id=form.cleaned_data["roadmap"],
            )
            try:
                services.roadmap_assign(
                    membership=membership, mentorship=mentorship, roadmap=roadmap
                )
            except ApplicationError as refusal:
                error = (mentorship.pk, refusal.message)
            else:
                messages.success(request, f"“{roadmap.title}” assigned.")
                return redirect("roadmaps:program", org_slug=_org(request), program_id=program_.pk)
        else:
            raw = request.POST.get("mentorship", "")
            error = (int(raw) if raw.isdigit() else 0, "Roadmap: choose one of the list.")
    page = Paginator(
        selectors.program_mentorships_with_roadmaps(program=program_), selectors.PROGRAM_PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = []
    for mentorship in page:
        members = list(mentorship.members.all())
        rows.append(
            {
                "mentorship": mentorship,
                "members": members,
                "assignments": [
                    {
                        "assignment": a,
                        "percent": selectors.assignment_percent(a, len(members)),
                    }
                    for a in mentorship.roadmap_assignments.all()
                ],
                "error": error[1] if error and error[0] == mentorship.pk else "",
            }
        )
    return render(
        request,
        "roadmaps/program.html",
        {
            "program": program_,
            "page": page,
            "rows": rows,
            "roadmap_choices": roadmap_choices,
            "is_live": True,
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def program_unassign(request: HttpRequest, program_id: int, assignment_id: int) -> HttpResponse:
    membership = _membership(request)
    program_ = program_get_for_manager(membership=membership, program_id=program_id)
    assignment = selectors.assignment_get_for_program(program=program_, assignment_id=assignment_id)
    try:
        services.roadmap_unassign(membership=membership, assignment=assignment)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Roadmap removed from the mentorship.")
    return redirect("roadmaps:program", org_slug=_org(request), program_id=program_.pk)


# --- Room -----------------------------------------------------------------------------------------


def _room_url(request: HttpRequest, mentorship_id: int) -> str:
    return reverse("rooms:room", kwargs={"org_slug": _org(request), "mentorship_id": mentorship_id})


@organisation_view()
@require_http_methods(["GET", "POST"])
def room_choose(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """Members choose their own path: one of the organisation's or program's roadmaps, or a
    built-in one (adopted into the organisation on the way)."""
    membership = _membership(request)
    seat = seat_of_request(request, mentorship_id)
    error = ""
    if request.method == "POST":
        key = request.POST.get("builtin", "")
        raw = request.POST.get("roadmap", "")
        try:
            if key:
                roadmap = services.roadmap_adopt_builtin(membership=membership, key=key)
            elif raw.isdigit():
                roadmap = selectors.roadmap_get_for_mentorship(
                    membership=membership, mentorship=seat.mentorship, roadmap_id=int(raw)
                )
            else:
                raise ApplicationError("Roadmap: choose one of the list.")
            assignment = services.roadmap_assign(
                membership=membership, mentorship=seat.mentorship, roadmap=roadmap
            )
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"You now follow “{roadmap.title}”.")
            return redirect(
                "roadmaps:room_assignment",
                org_slug=_org(request),
                mentorship_id=mentorship_id,
                assignment_id=assignment.pk,
            )
    return render(
        request,
        "roadmaps/room_choose.html",
        {
            "mentorship": seat.mentorship,
            "is_live": seat.is_live,
            "roadmaps": selectors.roadmap_list_for_mentorship(
                membership=membership, mentorship=seat.mentorship
            ),
            "builtins": selectors.builtin_list_unadopted(membership=membership),
            "error": error,
            "room_url": _room_url(request, mentorship_id),
        },
    )


@organisation_view()
def room_assignment(request: HttpRequest, mentorship_id: int, assignment_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    progress = selectors.assignment_progress_in_room(seat=seat, assignment_id=assignment_id)
    return render(
        request,
        "roadmaps/room_assignment.html",
        {
            "mentorship": seat.mentorship,
            "member": seat.member,
            "is_live": seat.is_live,
            "progress": progress,
            "room_url": _room_url(request, mentorship_id),
        },
    )


@organisation_view()
@require_POST
def room_step(
    request: HttpRequest, mentorship_id: int, assignment_id: int, step_id: int
) -> HttpResponse:
    """Tick or untick a step for myself; back to the step so keyboard focus stays near it."""
    seat = seat_of_request(request, mentorship_id)
    assignment = selectors.assignment_get_in_room(seat=seat, assignment_id=assignment_id)
    step = selectors.step_get_in_assignment(assignment=assignment, step_id=step_id)
    try:
        if request.POST.get("done") == "0":
            services.step_mark_undone(seat=seat, assignment=assignment, step=step)
        else:
            services.step_mark_done(seat=seat, assignment=assignment, step=step)
    except ApplicationError as error:
        messages.error(request, error.message)
    url = reverse(
        "roadmaps:room_assignment",
        kwargs={
            "org_slug": _org(request),
            "mentorship_id": mentorship_id,
            "assignment_id": assignment_id,
        },
    )
    return redirect(f"{url}#step-{step.pk}")


@organisation_view()
@require_POST
def room_unassign(request: HttpRequest, mentorship_id: int, assignment_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    assignment = selectors.assignment_get_in_room(seat=seat, assignment_id=assignment_id)
    try:
        services.roadmap_unassign(membership=_membership(request), assignment=assignment)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You no longer follow this roadmap.")
    return redirect(f"{_room_url(request, mentorship_id)}#roadmaps")
