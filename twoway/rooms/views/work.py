"""Pages for the work in a room: notes, action items, goals and the post-session pulse.

Each view fetches the viewer's seat (``room_get_for_member``: 404 for anyone not a member,
program managers and admins included), parses a form and calls a service; a refusal re-shows
the form with the message on the field it concerns and the text as typed. The room page itself
(built elsewhere) shows the lists through ``selectors.work.work_for_room``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.forms import add_refusal
from twoway.rooms.access import Seat
from twoway.rooms.models import ActionItem, Goal, Note, Session
from twoway.rooms.selectors import work as selectors
from twoway.rooms.services import actions as action_services
from twoway.rooms.services import goals as goal_services
from twoway.rooms.services import notes as note_services
from twoway.rooms.services import pulse as pulse_services
from twoway.rooms.views import RoomForm, seat_of_request

HISTORY_PER_PAGE = 20
MARKDOWN_HINT = (
    "Markdown works: **bold**, *italic*, - a list, 1. a numbered list, > a quote, "
    "[a link](https://example.org), # a heading."
)
VISIBILITY_CHOICES = [
    (Note.Visibility.PRIVATE.value, "Private — only you"),
    (Note.Visibility.SHARED.value, "Shared — the members of this mentorship"),
]
GOAL_STATUS_CHOICES = [
    (Goal.Status.ON_TRACK.value, "On track"),
    (Goal.Status.BEHIND.value, "Behind"),
    (Goal.Status.DONE.value, "Done"),
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- Forms -------------------------------------------------------------------------------------


class NoteForm(RoomForm):
    body = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HINT,
        error_messages={"required": "Write something in the note before saving it."},
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=VISIBILITY_CHOICES,
        initial=Note.Visibility.PRIVATE.value,
        widget=forms.RadioSelect,
    )
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ActionForm(RoomForm):
    title = forms.CharField(
        label="What is to be done",
        max_length=action_services.TITLE_MAX_CHARS,
        error_messages={"required": "Give the action item a title: what is to be done."},
    )
    owner = forms.TypedChoiceField(
        label="Who does it", required=False, coerce=int, empty_value=None
    )
    due_on = forms.DateField(label="Due on (optional)", required=False, widget=DATE_INPUT)
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Nobody in particular")] + [  # type: ignore[attr-defined]
            (member.pk, member.person.full_name) for member in members
        ]


class ActionStatusForm(RoomForm):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)


class GoalForm(RoomForm):
    title = forms.CharField(label="Goal", max_length=goal_services.TITLE_MAX_CHARS)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    measure = forms.ChoiceField(
        label="How you will measure progress",
        choices=[
            (Goal.Measure.PERCENT.value, "In percent"),
            (Goal.Measure.MILESTONES.value, "By milestones"),
        ],
        initial=Goal.Measure.PERCENT.value,
        widget=forms.RadioSelect,
    )
    milestones = forms.CharField(
        label="Milestones (for the milestones measure)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"One per line, up to {goal_services.MAX_MILESTONES}.",
    )
    target_on = forms.DateField(label="Target date (optional)", required=False, widget=DATE_INPUT)

    def milestone_list(self) -> list[str]:
        return [line for line in self.cleaned_data["milestones"].splitlines() if line.strip()]


class GoalProgressForm(RoomForm):
    percent = forms.IntegerField(label="Progress (%)", min_value=0, max_value=100, required=False)
    milestones_done = forms.TypedMultipleChoiceField(
        label="Milestones reached",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label="Status", choices=GOAL_STATUS_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="A note on this update (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The members of this mentorship can read it.",
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "percent": goal.percent,
                "status": goal.status,
                "milestones_done": [m.pk for m in goal.milestones.all() if m.done],
            },
        )
        super().__init__(*args, **kwargs)
        if goal.measure == Goal.Measure.MILESTONES:
            del self.fields["percent"]
            self.fields["milestones_done"].choices = [  # type: ignore[attr-defined]
                (m.pk, m.title) for m in goal.milestones.all()
            ]
        else:
            del self.fields["milestones_done"]


class PulseForm(RoomForm):
    rating = forms.TypedChoiceField(
        choices=[(r, str(r)) for r in pulse_services.RATINGS],
        coerce=int,
        error_messages={"required": "Choose how useful the session was, from 1 to 5."},
    )
    reflection = forms.CharField(
        label="A private reflection (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you can read it.",
    )


# --- Helpers -----------------------------------------------------------------------------------


def _room_url(request: HttpRequest, seat: Seat, anchor: str) -> str:
    url = reverse(
        "rooms:room",
        kwargs={
            "org_slug": request.organisation.slug,  # type: ignore[attr-defined]
            "mentorship_id": seat.mentorship.pk,
        },
    )
    return f"{url}#{anchor}"


def _back_url(request: HttpRequest, seat: Seat, session: Session | None, anchor: str) -> str:
    if session is None:
        return _room_url(request, seat, anchor)
    return reverse(
        "rooms:session",
        kwargs={
            "org_slug": request.organisation.slug,  # type: ignore[attr-defined]
            "mentorship_id": seat.mentorship.pk,
            "session_id": session.pk,
        },
    )


def _session_from(seat: Seat, raw: Any) -> Session | None:
    if raw in (None, ""):
        return None
    try:
        session_id = int(raw)
    except (TypeError, ValueError):
        return None
    return selectors.session_get_in_room(seat=seat, session_id=session_id)


def _render(request: HttpRequest, template: str, seat: Seat, **context: Any) -> HttpResponse:
    return render(
        request,
        template,
        {
            "seat": seat,
            "mentorship": seat.mentorship,
            "member": seat.member,
            "is_live": seat.is_live,
            "room_url": _room_url(request, seat, "top"),
            **context,
        },
    )


# --- Notes -------------------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """Write a note in the room, or on one of its sessions (``?session=<id>``)."""
    seat = seat_of_request(request, mentorship_id)
    session = _session_from(seat, request.POST.get("session") or request.GET.get("session"))
    form = NoteForm(request.POST or None, initial={"session": session.pk if session else None})
    if request.method == "POST" and form.is_valid():
        try:
            note = note_services.note_create(
                seat=seat,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                session=session,
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            who = "only you" if note.visibility == Note.Visibility.PRIVATE else "the members"
            messages.success(request, f"Your note is saved; {who} can read it.")
            return redirect(_back_url(request, seat, session, "notes"))
    return _render(request, "rooms/note_form.html", seat, form=form, session=session, note=None)


@organisation_view()
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, mentorship_id: int, note_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    note = selectors.note_get_for_author(seat=seat, note_id=note_id)
    form = NoteForm(
        request.POST or None, initial={"body": note.body, "visibility": note.visibility}
    )
    if request.method == "POST" and form.is_valid():
        try:
            note_services.note_update(
                seat=seat,
                note=note,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Your note is updated.")
            return redirect(_back_url(request, seat, note.session, "notes"))
    return _render(
        request, "rooms/note_form.html", seat, form=form, session=note.session, note=note
    )


@require_POST
@organisation_view()
def note_delete(request: HttpRequest, mentorship_id: int, note_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    note = selectors.note_get_for_author(seat=seat, note_id=note_id)
    session = note.session
    try:
        note_services.note_delete(seat=seat, note=note)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your note is deleted.")
    return redirect(_back_url(request, seat, session, "notes"))


# --- Action items ------------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = _session_from(seat, request.POST.get("session") or request.GET.get("session"))
    members = selectors.member_list(seat=seat)
    form = ActionForm(
        request.POST or None,
        members=members,
        initial={"session": session.pk if session else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_services.action_create(
                seat=seat,
                title=form.cleaned_data["title"],
                owner_id=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                session=session,
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "The action item is added.")
            return redirect(_back_url(request, seat, session, "actions"))
    return _render(request, "rooms/action_form.html", seat, form=form, session=session, action=None)


@organisation_view()
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, mentorship_id: int, action_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    action = selectors.action_get(seat=seat, action_id=action_id)
    form = ActionForm(
        request.POST or None,
        members=selectors.member_list(seat=seat),
        initial={"title": action.title, "owner": action.owner_id, "due_on": action.due_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_services.action_update(
                seat=seat,
                action=action,
                title=form.cleaned_data["title"],
                owner_id=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "The action item is updated.")
            return redirect(_back_url(request, seat, action.session, "actions"))
    return _render(
        request, "rooms/action_form.html", seat, form=form, session=action.session, action=action
    )


@require_POST
@organisation_view()
def action_status(request: HttpRequest, mentorship_id: int, action_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    action = selectors.action_get(seat=seat, action_id=action_id)
    form = ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("An action item is open, done or dropped.")
        action_services.action_set_status(
            seat=seat, action=action, status=form.cleaned_data["status"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{action.title}” is now {action.get_status_display().lower()}.")
    return redirect(_room_url(request, seat, "actions"))


# --- Goals -------------------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal_services.goal_create(
                seat=seat,
                title=data["title"],
                description=data["description"],
                measure=data["measure"],
                target_on=data["target_on"],
                milestones=form.milestone_list() if data["measure"] == "milestones" else [],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Your goal is set. The members of this mentorship see it.")
            return redirect(_room_url(request, seat, "goals"))
    return _render(request, "rooms/goal_form.html", seat, form=form)


@organisation_view()
@require_http_methods(["GET", "POST"])
def goal_update(request: HttpRequest, mentorship_id: int, goal_id: int) -> HttpResponse:
    """The owner records progress: a percent or the milestones reached, a status and a note."""
    seat = seat_of_request(request, mentorship_id)
    goal = selectors.goal_get(seat=seat, goal_id=goal_id)
    if goal.member_id != seat.member.pk:
        messages.error(request, "Only the member whose goal this is can update its progress.")
        return redirect(_room_url(request, seat, "goals"))
    form = GoalProgressForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # An unchanged status lets the service decide (done at 100 %, else as it was).
        status = data["status"] if data["status"] != goal.status else None
        try:
            goal_services.goal_update_progress(
                seat=seat,
                goal=goal,
                percent=data.get("percent"),
                milestones_done=data.get("milestones_done"),
                status=status,
                note=data["note"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Your progress is recorded.")
            return redirect(_room_url(request, seat, "goals"))
    return _render(request, "rooms/goal_progress.html", seat, form=form, goal=goal)


@organisation_view()
def goal_history(request: HttpRequest, mentorship_id: int, goal_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    goal = selectors.goal_get(seat=seat, goal_id=goal_id)
    page = Paginator(selectors.goal_update_list(goal=goal), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _render(request, "rooms/goal_history.html", seat, goal=goal, page_obj=page)


@require_POST
@organisation_view()
def goal_delete(request: HttpRequest, mentorship_id: int, goal_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    goal = selectors.goal_get(seat=seat, goal_id=goal_id)
    try:
        goal_services.goal_delete(seat=seat, goal=goal)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your goal is deleted.")
    return redirect(_room_url(request, seat, "goals"))


# --- Pulse -------------------------------------------------------------------------------------


@require_POST
@organisation_view()
def pulse(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    """One click after a session; a second click corrects it. A refusal shows the form again
    with the reflection as typed."""
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_in_room(seat=seat, session_id=session_id)
    form = PulseForm(request.POST)
    if form.is_valid():
        try:
            pulse_services.pulse_submit(
                seat=seat,
                session=session,
                rating=form.cleaned_data["rating"],
                reflection=form.cleaned_data["reflection"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Thank you: your rating is saved. You can change it.")
            return redirect(_back_url(request, seat, session, "pulse"))
    return _render(
        request,
        "rooms/pulse_form.html",
        seat,
        form=form,
        session=session,
        ratings=pulse_services.RATINGS,
    )
