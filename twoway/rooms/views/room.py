"""The room's shell and the mentorship lifecycle pages: "My mentorships", the room itself (its
members, the two-way agreement, then the sessions, actions, goals and notes parts), editing and
accepting the agreement, ending no-fault; and for a program's managers, the metadata-only list
of its mentorships and one mentorship's overview with the extend form.

Room pages answer 404 to anyone who is not a member — program managers and admins included;
the managers' pages show dates, counts and statuses, never a word a member wrote.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.mentorships import selectors as mentorship_selectors
from twoway.mentorships.models import Mentorship
from twoway.mentorships.services import REASON_MAX_CHARS, mentorship_end_early, mentorship_extend
from twoway.programs.selectors import program_get_for_manager
from twoway.recognition.selectors import celebrations_for_room
from twoway.roadmaps.selectors import roadmap_for_room
from twoway.rooms.access import mentorship_get_for_manager, room_get_for_member
from twoway.rooms.models import TEXT_MAX_CHARS
from twoway.rooms.selectors.room import GOAL_STATUS_LABELS, mentorship_overview, room_shell
from twoway.rooms.selectors.sessions import sessions_for_room
from twoway.rooms.selectors.work import goal_status_by_mentorship, work_for_room
from twoway.rooms.services.agreement import (
    RHYTHM_WEEKS,
    SESSION_MINUTES,
    agreement_accept,
    agreement_update,
)
from twoway.rooms.views import RoomForm

PAGE_SIZE = 25


class AgreementForm(RoomForm):
    wants_to_learn = forms.CharField(
        label="What I want to learn",
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Goals go both ways: mentors learn too.",
    )
    offers = forms.CharField(
        label="What I offer",
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rhythm_weeks = forms.IntegerField(
        label="Meet every … weeks",
        min_value=RHYTHM_WEEKS[0],
        max_value=RHYTHM_WEEKS[1],
        help_text="Shared by all members; a change asks the others to accept again.",
    )
    session_minutes = forms.IntegerField(
        label="Session length (minutes)",
        min_value=SESSION_MINUTES[0],
        max_value=SESSION_MINUTES[1],
        help_text="Shared by all members; a change asks the others to accept again.",
    )


class EndForm(RoomForm):
    reason = forms.CharField(
        label="Why (optional, only you will read it)",
        required=False,
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept for you alone. The other members and the program's managers never see it.",
    )
    rematch = forms.BooleanField(
        label="I would like to be matched again",
        required=False,
        help_text="The program's managers see that you asked, not why the mentorship ended.",
    )


class ExtendForm(RoomForm):
    until = forms.DateField(
        label="New last day",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="After today and after the current end date.",
    )


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else 1


def _to_room(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    return redirect(
        "rooms:room",
        org_slug=request.organisation.slug,  # type: ignore[attr-defined]
        mentorship_id=mentorship_id,
    )


@organisation_view()
def mine(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    found = mentorship_selectors.mentorship_list_for_member(
        membership=membership, now=timezone.now()
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "rooms/mine.html", {"page_obj": page})


def _agreement_form(shell: dict[str, Any], data: Any = None) -> AgreementForm:
    agreement, statement = shell["agreement"], shell["my_statement"]
    return AgreementForm(
        data,
        initial={
            "wants_to_learn": statement.wants_to_learn if statement else "",
            "offers": statement.offers if statement else "",
            "rhythm_weeks": agreement.rhythm_weeks if agreement else None,
            "session_minutes": agreement.session_minutes if agreement else None,
        },
    )


@organisation_view()
def room(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    seat = room_get_for_member(membership=membership, mentorship_id=mentorship_id)
    context = room_shell(organisation=membership.organisation, seat=seat)
    context["agreement_form"] = _agreement_form(context)
    context.update(sessions_for_room(seat=seat, now=timezone.now()))
    context.update(work_for_room(seat=seat, notes_page=_page_number(request.GET.get("notes_page"))))
    context.update(roadmap_for_room(seat=seat))
    context.update(celebrations_for_room(seat=seat))
    return render(request, "rooms/room.html", context)


@organisation_view()
def agreement_edit(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """Edit my statement and the shared terms; "Save and accept" accepts in the same step."""
    membership = request.membership  # type: ignore[attr-defined]
    seat = room_get_for_member(membership=membership, mentorship_id=mentorship_id)
    shell = room_shell(organisation=membership.organisation, seat=seat)
    if request.method != "POST":
        form = _agreement_form(shell)
    else:
        form = _agreement_form(shell, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement_update(
                    seat=seat,
                    wants_to_learn=data["wants_to_learn"],
                    offers=data["offers"],
                    rhythm_weeks=data["rhythm_weeks"],
                    session_minutes=data["session_minutes"],
                )
                if "accept" in request.POST:
                    agreement_accept(seat=seat)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                if "accept" in request.POST:
                    messages.success(request, "You accepted the agreement.")
                else:
                    messages.success(request, "Your changes to the agreement are saved.")
                return _to_room(request, mentorship_id)
    return render(request, "rooms/agreement_edit.html", {**shell, "agreement_form": form})


@require_POST
@organisation_view()
def agreement_accept_view(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    seat = room_get_for_member(membership=membership, mentorship_id=mentorship_id)
    try:
        agreement_accept(seat=seat)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You accepted the agreement.")
    return _to_room(request, mentorship_id)


@organisation_view()
def end(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    seat = room_get_for_member(membership=membership, mentorship_id=mentorship_id)
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mentorship_end_early(
                seat=seat,
                reason=form.cleaned_data["reason"],
                rematch=form.cleaned_data["rematch"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "This mentorship has ended. Thank you for taking part.")
            return redirect("rooms:mine", org_slug=membership.organisation.slug)
    return render(
        request,
        "rooms/end.html",
        {"seat": seat, "mentorship": seat.mentorship, "is_live": seat.is_live, "form": form},
    )


@organisation_view(Role.PROGRAM_MANAGER)
def program(request: HttpRequest, program_id: int) -> HttpResponse:
    """A program's mentorships for its managers: metadata only."""
    membership = request.membership  # type: ignore[attr-defined]
    found_program = program_get_for_manager(membership=membership, program_id=program_id)
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    mentorships = mentorship_selectors.mentorship_list_for_program(
        program=found_program, now=timezone.now(), q=q, status=status
    )
    page = Paginator(mentorships, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    goals = goal_status_by_mentorship(
        organisation=membership.organisation, mentorship_ids=[m.pk for m in rows]
    )
    for mentorship in rows:
        status_key = goals.get(mentorship.pk, "none")
        mentorship.goal_status_label = GOAL_STATUS_LABELS.get(status_key, status_key)  # type: ignore[attr-defined]
        mentorship.rematch_by = mentorship_selectors.rematch_name(mentorship)  # type: ignore[attr-defined]
    return render(
        request,
        "rooms/program.html",
        {
            "program": found_program,
            "page_obj": page,
            "rows": rows,
            "q": q,
            "status": status if status in Mentorship.Status.values else "",
            "statuses": Mentorship.Status.choices,
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
def overview(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    mentorship = mentorship_get_for_manager(membership=membership, mentorship_id=mentorship_id)
    return _overview(request, mentorship, ExtendForm())


def _overview(request: HttpRequest, mentorship: Mentorship, form: ExtendForm) -> HttpResponse:
    context = mentorship_overview(
        organisation=request.organisation,  # type: ignore[attr-defined]
        mentorship=mentorship,
        now=timezone.now(),
    )
    context.update(
        {
            "program": mentorship.program,
            "extend_form": form,
            "is_live": mentorship.status in mentorship_selectors.LIVE,
        }
    )
    return render(request, "rooms/overview.html", context)


@require_POST
@organisation_view(Role.PROGRAM_MANAGER)
def extend(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    mentorship = mentorship_get_for_manager(membership=membership, mentorship_id=mentorship_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            mentorship = mentorship_extend(
                actor=request.user,
                membership=membership,
                mentorship=mentorship,
                until=form.cleaned_data["until"],
            )
        except ApplicationError as error:
            form.add_error("until", error.message)
        else:
            messages.success(
                request, f"The mentorship now runs until {mentorship.ends_on:%d %B %Y}."
            )
            return redirect(
                "rooms:overview", org_slug=membership.organisation.slug, mentorship_id=mentorship.pk
            )
    return _overview(request, mentorship, form)
