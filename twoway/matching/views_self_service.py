"""Self-service matching pages: "Find a mentor" for a mentee, "Mentoring requests" for a mentor,
and a metadata-only list of a program's requests for its managers. Views parse, call a selector
or a service from ``self_service`` and render; the rules live there.

Only an approved participant of the program in the right role reaches the participant pages;
everyone else gets the same 404 as for a missing page. Opening a page first expires the
program's overdue requests, so nobody sees a deadline that has passed as still open.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.enrolment.models import Application
from twoway.matching import self_service
from twoway.programs.models import Program
from twoway.programs.selectors import program_get_for_manager


class RequestForm(forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label="A note to them (optional)",
        required=False,
        max_length=self_service.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the mentor you ask reads it.",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why not (optional, for yourself)",
        required=False,
        max_length=500,
        help_text="It is not kept and the person who asked never sees it; they are told only "
        "that you are not available.",
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _expire(request: HttpRequest, program: Program) -> None:
    self_service.match_requests_expire(program=program, base_url=_base_url(request))


@organisation_view()
def find_a_mentor(request: HttpRequest, program_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    mentee = self_service.mentee_application_get(membership=membership, program_id=program_id)
    program = mentee.program
    _expire(request, program)
    requests = list(
        self_service.match_request_list_for_mentee(membership=membership, program_id=program.pk)
    )
    for match_request in requests:
        match_request.mentee_label = self_service.mentee_status_label(match_request)  # type: ignore[attr-defined]
    pending = next((r for r in requests if r.status == r.Status.PENDING), None)
    mentorship = self_service.mentorship_of_mentee(application=mentee)
    suggestions: list[self_service.Suggestion] = []
    closed = ""
    if mentorship is None and pending is None:
        try:
            suggestions = self_service.match_suggestions(actor=request.user, program=program)
        except ApplicationError as error:
            closed = error.message
    return render(
        request,
        "matching/self_service_find.html",
        {
            "program": program,
            "mentorship": mentorship,
            "mentors": self_service.mentor_names(mentorship) if mentorship else [],
            "pending": pending,
            "history": [r for r in requests if r is not pending],
            "suggestions": suggestions,
            "closed": closed,
            "form": RequestForm(),
        },
    )


@require_POST
@organisation_view()
def ask(request: HttpRequest, program_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    mentee = self_service.mentee_application_get(membership=membership, program_id=program_id)
    program = mentee.program
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a mentor from your suggestions; keep the note short.")
        return redirect(
            "find_a_mentor:find", org_slug=program.organisation.slug, program_id=program.pk
        )
    mentor = (
        Application.objects.filter(
            organisation=membership.organisation, program=program, pk=form.cleaned_data["mentor"]
        )
        .select_related("person")
        .first()
    )
    try:
        if mentor is None:
            raise ApplicationError("This person is not available as a mentor in this program.")
        created = self_service.match_request_create(
            actor=request.user,
            program=program,
            mentor_application=mentor,
            message=form.cleaned_data["message"],
            base_url=_base_url(request),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Your request is with {created.mentor.person.full_name}. We will email you when "
            "they answer.",
        )
    return redirect("find_a_mentor:find", org_slug=program.organisation.slug, program_id=program.pk)


@organisation_view()
def mentoring_requests(request: HttpRequest, program_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    mentor = self_service.mentor_application_get(membership=membership, program_id=program_id)
    program = mentor.program
    _expire(request, program)
    requests = list(
        self_service.match_request_list_for_mentor(membership=membership, program_id=program.pk)
    )
    for match_request in requests:
        match_request.strength = self_service.strength(match_request.score)  # type: ignore[attr-defined]
    return render(
        request,
        "matching/self_service_requests.html",
        {
            "program": program,
            "pending": [r for r in requests if r.status == r.Status.PENDING],
            "answered": [r for r in requests if r.status != r.Status.PENDING],
            "decline_form": DeclineForm(),
        },
    )


def _to_requests(request: HttpRequest, match_request: Any) -> HttpResponse:
    return redirect(
        "find_a_mentor:requests",
        org_slug=request.organisation.slug,  # type: ignore[attr-defined]
        program_id=match_request.program_id,
    )


@require_POST
@organisation_view()
def accept(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    match_request = self_service.match_request_get_for_mentor(
        membership=membership, request_id=request_id
    )
    try:
        self_service.match_request_accept(
            actor=request.user, request=match_request, base_url=_base_url(request)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"You are now {match_request.mentee.person.full_name}'s mentor. We told them.",
        )
    return _to_requests(request, match_request)


@require_POST
@organisation_view()
def decline(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    match_request = self_service.match_request_get_for_mentor(
        membership=membership, request_id=request_id
    )
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        self_service.match_request_decline(
            actor=request.user, request=match_request, reason=reason, base_url=_base_url(request)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You declined. They are told only that you are not available.")
    return _to_requests(request, match_request)


@require_POST
@organisation_view()
def cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    match_request = self_service.match_request_get_for_mentee(
        membership=membership, request_id=request_id
    )
    try:
        self_service.match_request_cancel(actor=request.user, request=match_request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You cancelled your request. You can ask someone else now.")
    return redirect(
        "find_a_mentor:find",
        org_slug=request.organisation.slug,  # type: ignore[attr-defined]
        program_id=match_request.program_id,
    )


@organisation_view(Role.PROGRAM_MANAGER)
def overview(request: HttpRequest, program_id: int) -> HttpResponse:
    """For the program's managers: who asked whom, the status and the dates — no messages, no
    reasons."""
    membership = request.membership  # type: ignore[attr-defined]
    program = program_get_for_manager(membership=membership, program_id=program_id)
    _expire(request, program)
    return render(
        request,
        "matching/self_service_overview.html",
        {
            "program": program,
            "settings": self_service.matching_settings_for(program),
            "requests": self_service.match_request_list_for_manager(program=program),
        },
    )
