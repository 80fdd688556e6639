"""Session pages of a room (members only), the personal calendar feed page, and the agenda
template pages of admins and program managers. Views parse a form, call a service from
``rooms.services.sessions`` / ``rooms.services.agendas`` or a selector, and render; the rules
live there. Anyone who is not a member of the room gets the same 404 as for a missing page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from twoway.accounts.services import time_zone_choices
from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.mentorships.models import Mentorship
from twoway.programs.models import Program
from twoway.programs.selectors import program_get_for_manager
from twoway.rooms.access import Seat
from twoway.rooms.calendar import feed_ics, invitation_ics
from twoway.rooms.models import AgendaTemplate, Agreement, Session
from twoway.rooms.selectors import sessions as selectors
from twoway.rooms.selectors.work import work_for_session
from twoway.rooms.services import agendas, sessions
from twoway.rooms.views import RoomForm, seat_of_request
from twoway.threads.selectors import prompts_for_session

PAGE_SIZE = 20


class DescribedForm(RoomForm):
    """Ties each field's error message to its input (``aria-describedby``), also for errors
    added after validation from a service's refusal."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                ids = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    ids.append(f"id_{name}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def refuse(self, error: ApplicationError, fields: dict[str, str]) -> None:
        """Put a service's refusal on the field its message names ("Start: …")."""
        prefix = error.message.split(":", 1)[0]
        field = fields.get(prefix)
        self.add_error(field if field in self.fields else None, error.message)


class SessionForm(DescribedForm):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.ChoiceField(
        label="Time zone", help_text="The date and time above are in this zone."
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=sessions.MIN_MINUTES,
        max_value=sessions.MAX_MINUTES,
    )
    place = forms.CharField(label="Place (optional)", required=False, max_length=200)
    video_url = forms.CharField(
        label="Video link (optional)",
        required=False,
        max_length=500,
        help_text="A web address starting with https://",
    )
    repeat_count = forms.IntegerField(
        label="Number of sessions",
        min_value=1,
        max_value=sessions.MAX_REPEAT,
        initial=1,
        help_text="1 for a single session; more for a series at the same local time.",
    )
    every_weeks = forms.IntegerField(
        label="Every how many weeks",
        min_value=1,
        max_value=sessions.MAX_EVERY_WEEKS,
        help_text="Used when there is more than one session.",
    )

    FIELDS_BY_PREFIX = {
        "Start": "time",
        "Time zone": "time_zone",
        "Duration": "duration_minutes",
        "Video link": "video_url",
        "Place": "place",
        "Repeat": "repeat_count",
        "Every": "every_weeks",
    }

    def __init__(self, *args: Any, series: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = [(z, z) for z in time_zone_choices()]
        if not series:
            del self.fields["repeat_count"]
            del self.fields["every_weeks"]

    def starts_at_local(self) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])


class AgendaAttachForm(RoomForm):
    template = forms.CharField(max_length=40)


class AgendaItemForm(DescribedForm):
    text = forms.CharField(label="New agenda item", max_length=agendas.ITEM_MAX)


class AgendaTemplateForm(DescribedForm):
    name = forms.CharField(label="Name", max_length=agendas.NAME_MAX)
    description = forms.CharField(
        label="One-line description (optional)", required=False, max_length=agendas.DESCRIPTION_MAX
    )
    items = forms.CharField(
        label="Items",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"One item per line, 1 to {agendas.TEMPLATE_MAX_ITEMS} items, each at most "
        f"{agendas.ITEM_MAX} characters.",
    )

    FIELDS_BY_PREFIX = {"Name": "name", "Description": "description", "Items": "items"}

    def item_list(self) -> list[str]:
        return [line for line in self.cleaned_data["items"].splitlines() if line.strip()]


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _room_context(seat: Seat) -> dict[str, Any]:
    return {
        "seat": seat,
        "mentorship": seat.mentorship,
        "member": seat.member,
        "members": list(seat.mentorship.members.select_related("person")),
        "is_live": seat.is_live,
    }


def _to_session(request: HttpRequest, session: Session) -> HttpResponse:
    return redirect(
        "rooms:session",
        org_slug=request.organisation.slug,  # type: ignore[attr-defined]
        mentorship_id=session.mentorship_id,
        session_id=session.pk,
    )


def _defaults(request: HttpRequest, mentorship: Mentorship) -> dict[str, Any]:
    try:
        minutes = mentorship.agreement.session_minutes
    except Agreement.DoesNotExist:
        minutes = min(max(mentorship.program.session_minutes, sessions.MIN_MINUTES), 240)
    zone = getattr(request.user, "time_zone", "") or "UTC"
    return {
        "time_zone": zone if zone in time_zone_choices() else "UTC",
        "duration_minutes": minutes,
        "repeat_count": 1,
        "every_weeks": sessions.rhythm_weeks(mentorship),
    }


@organisation_view()
def session_list(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    now = timezone.now()
    upcoming = Paginator(
        selectors.session_list_for_room(seat=seat, now=now, past=False), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    past = Paginator(
        selectors.session_list_for_room(seat=seat, now=now, past=True), PAGE_SIZE
    ).get_page(request.GET.get("past_page"))
    return render(
        request,
        "rooms/session_list.html",
        {**_room_context(seat), "upcoming": upcoming, "past": past},
    )


@organisation_view()
def session_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                created = sessions.session_schedule(
                    seat=seat,
                    starts_at_local=form.starts_at_local(),
                    time_zone=form.cleaned_data["time_zone"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    place=form.cleaned_data["place"],
                    video_url=form.cleaned_data["video_url"],
                    repeat_count=form.cleaned_data["repeat_count"],
                    every_weeks=form.cleaned_data["every_weeks"],
                    base_url=_base_url(request),
                )
            except ApplicationError as error:
                form.refuse(error, SessionForm.FIELDS_BY_PREFIX)
            else:
                count = len(created)
                messages.success(
                    request,
                    "Session scheduled; the members were emailed an invitation."
                    if count == 1
                    else f"{count} sessions scheduled; the members were emailed an invitation.",
                )
                return _to_session(request, created[0])
    else:
        form = SessionForm(initial=_defaults(request, seat.mentorship))
    return render(
        request, "rooms/session_form.html", {**_room_context(seat), "form": form, "session": None}
    )


@organisation_view()
def session_detail(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_for_member(seat=seat, session_id=session_id)
    members = list(session.mentorship.members.all())
    attendance = {row.member_id: row.status for row in session.attendance.all()}
    now = timezone.now()
    context = {
        "seat": seat,
        "mentorship": seat.mentorship,
        "member": seat.member,
        "members": members,
        "is_live": seat.is_live,
        "session": session,
        "agenda": list(session.agenda.all()),
        "agenda_options": selectors.agenda_options_for_session(seat=seat),
        "item_form": AgendaItemForm(),
        "is_circle": seat.mentorship.kind == Mentorship.Kind.CIRCLE,
        "has_started": session.starts_at <= now,
        "is_scheduled": session.status == Session.Status.SCHEDULED,
        "attendance": [(m, attendance.get(m.pk)) for m in members],
        "attendance_recorded": bool(attendance),
    }
    context.update(work_for_session(seat=seat, session=session))
    context.update(prompts_for_session(seat=seat, session=session, now=now))
    return render(request, "rooms/session_detail.html", context)


@organisation_view()
def session_edit(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_for_member(seat=seat, session_id=session_id)
    if request.method == "POST":
        form = SessionForm(request.POST, series=False)
        if form.is_valid():
            try:
                sessions.session_reschedule(
                    seat=seat,
                    session=session,
                    starts_at_local=form.starts_at_local(),
                    time_zone=form.cleaned_data["time_zone"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    place=form.cleaned_data["place"],
                    video_url=form.cleaned_data["video_url"],
                    base_url=_base_url(request),
                )
            except ApplicationError as error:
                form.refuse(error, SessionForm.FIELDS_BY_PREFIX)
            else:
                messages.success(request, "Session moved; the members were emailed the change.")
                return _to_session(request, session)
    else:
        initial = _defaults(request, seat.mentorship)
        local = timezone.localtime(session.starts_at, sessions.zone_get(initial["time_zone"]))
        initial.update(
            date=local.date(),
            time=local.time().replace(second=0, microsecond=0),
            duration_minutes=session.duration_minutes,
            place=session.place,
            video_url=session.video_url,
        )
        form = SessionForm(initial=initial, series=False)
    return render(
        request,
        "rooms/session_form.html",
        {**_room_context(seat), "form": form, "session": session},
    )


@require_POST
@organisation_view()
def session_cancel(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_for_member(seat=seat, session_id=session_id)
    try:
        cancelled = sessions.session_cancel(
            seat=seat,
            session=session,
            whole_series=request.POST.get("whole_series") == "on",
            base_url=_base_url(request),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Session cancelled; the members were told."
            if len(cancelled) == 1
            else f"{len(cancelled)} sessions cancelled; the members were told.",
        )
    return _to_session(request, session)


@require_POST
@organisation_view()
def session_attendance(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_for_member(seat=seat, session_id=session_id)
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    try:
        sessions.attendance_record(seat=seat, session=session, present_member_ids=present)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Attendance saved.")
    return _to_session(request, session)


@require_POST
@organisation_view()
def agenda_attach(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_for_member(seat=seat, session_id=session_id)
    form = AgendaAttachForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Agenda: choose a template from the list.")
        agendas.agenda_attach(
            seat=seat, session=session, template_key=form.cleaned_data["template"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Agenda set from the template.")
    return _to_session(request, session)


@require_POST
@organisation_view()
def agenda_item_add(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_for_member(seat=seat, session_id=session_id)
    form = AgendaItemForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(
                f"Item: write what the item is about, at most {agendas.ITEM_MAX} characters."
            )
        agendas.agenda_item_add(seat=seat, session=session, text=form.cleaned_data["text"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Item added to the agenda.")
    return _to_session(request, session)


@require_POST
@organisation_view()
def agenda_item_tick(
    request: HttpRequest, mentorship_id: int, session_id: int, item_id: int
) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    item = selectors.agenda_item_get_for_member(seat=seat, item_id=item_id)
    if item.session_id != session_id:
        raise Http404
    try:
        agendas.agenda_item_tick(seat=seat, item=item, done=request.POST.get("done") == "1")
    except ApplicationError as error:
        messages.error(request, error.message)
        return _to_session(request, item.session)
    # Back to the same item, so that keyboard focus stays where the member ticked it.
    response = _to_session(request, item.session)
    response["Location"] += f"#agenda-item-{item.pk}"
    return response


@organisation_view()
def session_ics(request: HttpRequest, mentorship_id: int, session_id: int) -> HttpResponse:
    seat = seat_of_request(request, mentorship_id)
    session = selectors.session_get_for_member(seat=seat, session_id=session_id)
    method = "CANCEL" if session.status == Session.Status.CANCELLED else "REQUEST"
    response = HttpResponse(
        invitation_ics([session], method, _base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="session.ics"'
    return response


# --- The personal calendar feed --------------------------------------------------------------


@organisation_view()
def calendar(request: HttpRequest) -> HttpResponse:
    feed = sessions.calendar_feed_get_or_create(membership=request.membership)  # type: ignore[attr-defined]
    url = request.build_absolute_uri(reverse("calendar_feed:feed", kwargs={"token": feed.token}))
    response = render(request, "rooms/calendar.html", {"feed_url": url})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@organisation_view()
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    sessions.calendar_feed_revoke(membership=request.membership)  # type: ignore[attr-defined]
    messages.success(
        request, "Your old calendar link no longer works. Subscribe again with the new one."
    )
    return redirect("rooms:calendar", org_slug=request.organisation.slug)  # type: ignore[attr-defined]


# --- Agenda templates (admins; a program's managers) ------------------------------------------


def _template_scope(request: HttpRequest, program_id: int | None) -> Program | None:
    if program_id is None:
        if not request.membership.has_role(Role.ADMIN):  # type: ignore[attr-defined]
            raise Http404
        return None
    return program_get_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )


def _templates_url(request: HttpRequest, program: Program | None) -> str:
    slug = request.organisation.slug  # type: ignore[attr-defined]
    if program is None:
        return reverse("rooms:agenda_templates", kwargs={"org_slug": slug})
    return reverse(
        "rooms:agenda_templates_program", kwargs={"org_slug": slug, "program_id": program.pk}
    )


def _templates_page(request: HttpRequest, program_id: int | None) -> HttpResponse:
    program = _template_scope(request, program_id)
    if request.method == "POST":
        form = AgendaTemplateForm(request.POST)
        if form.is_valid():
            try:
                agendas.agenda_template_create(
                    membership=request.membership,  # type: ignore[attr-defined]
                    program=program,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    items=form.item_list(),
                )
            except ApplicationError as error:
                form.refuse(error, AgendaTemplateForm.FIELDS_BY_PREFIX)
            else:
                messages.success(request, f"Agenda template “{form.cleaned_data['name']}” added.")
                return redirect(_templates_url(request, program))
    else:
        form = AgendaTemplateForm()
    page = Paginator(
        selectors.agenda_template_list(
            organisation=request.organisation,  # type: ignore[attr-defined]
            program=program,
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "rooms/agenda_templates.html",
        {"program": program, "templates": page, "form": form},
    )


@organisation_view(Role.ADMIN)
def agenda_templates(request: HttpRequest) -> HttpResponse:
    return _templates_page(request, None)


@organisation_view(Role.PROGRAM_MANAGER)
def agenda_templates_program(request: HttpRequest, program_id: int) -> HttpResponse:
    return _templates_page(request, program_id)


def _template_get(request: HttpRequest, template_id: int) -> AgendaTemplate:
    found = (
        AgendaTemplate.objects.for_organisation(request.organisation)  # type: ignore[attr-defined]
        .filter(pk=template_id)
        .first()
    )
    if found is None:
        raise Http404
    program = _template_scope(request, found.program_id)
    return selectors.agenda_template_get(
        organisation=request.organisation,  # type: ignore[attr-defined]
        template_id=template_id,
        program=program,
    )


@organisation_view(Role.PROGRAM_MANAGER)
def agenda_template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_get(request, template_id)
    if request.method == "POST":
        form = AgendaTemplateForm(request.POST)
        if form.is_valid():
            try:
                agendas.agenda_template_update(
                    membership=request.membership,  # type: ignore[attr-defined]
                    template=template,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    items=form.item_list(),
                )
            except ApplicationError as error:
                form.refuse(error, AgendaTemplateForm.FIELDS_BY_PREFIX)
            else:
                messages.success(request, "Agenda template saved.")
                return redirect(_templates_url(request, template.program))
    else:
        form = AgendaTemplateForm(
            initial={
                "name": template.name,
                "description": template.description,
                "items": "\n".join(template.items),
            }
        )
    return render(
        request,
        "rooms/agenda_template_edit.html",
        {"template": template, "program": template.program, "form": form},
    )


@require_POST
@organisation_view(Role.PROGRAM_MANAGER)
def agenda_template_delete(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_get(request, template_id)
    program = template.program
    try:
        agendas.agenda_template_delete(
            membership=request.membership,  # type: ignore[attr-defined]
            template=template,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Agenda template “{template.name}” deleted.")
    return redirect(_templates_url(request, program))


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription itself: no sign-in, the token is the credential; an unknown or revoked
    token, or a user who left the organisation, gets 404. Nothing about the user is logged."""
    owner = selectors.calendar_feed_owner(token=token)
    if owner is None:
        raise Http404
    user, organisation = owner
    response = HttpResponse(
        feed_ics(user, organisation, _base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=900"
    return response
