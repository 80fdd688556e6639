"""REST endpoints for sessions, agendas and agenda templates, over the same services as the
pages. Room endpoints are for the room's members (anyone else: 404, also program managers and
admins); agenda template endpoints for admins (organisation templates) and a program's managers
(its templates). Refusals answer 400 with the reason in ``detail``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.programs.selectors import program_get_for_manager
from twoway.rooms.access import Seat
from twoway.rooms.api import RoomAPIView
from twoway.rooms.calendar import invitation_ics
from twoway.rooms.models import AgendaTemplate, Session
from twoway.rooms.selectors import sessions as selectors
from twoway.rooms.services import agendas, sessions

STATUS_HELP = "One of: " + ", ".join(Session.Status.values)


class SessionErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class SessionAgendaItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    done = serializers.BooleanField()
    done_by = serializers.IntegerField(source="done_by_id", allow_null=True)


class SessionAttendanceOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    status = serializers.CharField(help_text="present or absent")


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mentorship = serializers.IntegerField(source="mentorship_id")
    series = serializers.IntegerField(source="series_id", allow_null=True)
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    place = serializers.CharField()
    video_url = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    uid = serializers.CharField()
    sequence = serializers.IntegerField()


class SessionDetailOutput(SessionOutput):
    agenda = SessionAgendaItemOutput(many=True)
    attendance = SessionAttendanceOutput(many=True)


class SessionScheduleInput(serializers.Serializer):
    starts_at_local = serializers.DateTimeField(
        help_text="Wall-clock date and time in ``time_zone``, without an offset "
        "(e.g. 2030-03-18T09:00)."
    )
    time_zone = serializers.CharField(max_length=64)
    duration_minutes = serializers.IntegerField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    video_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    repeat_count = serializers.IntegerField(required=False, default=1)
    every_weeks = serializers.IntegerField(required=False, allow_null=True, default=None)


class SessionRescheduleInput(serializers.Serializer):
    starts_at_local = serializers.DateTimeField()
    time_zone = serializers.CharField(max_length=64)
    duration_minutes = serializers.IntegerField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    video_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class SessionCancelInput(serializers.Serializer):
    whole_series = serializers.BooleanField(required=False, default=False)


class SessionAttendanceInput(serializers.Serializer):
    present_member_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class SessionAgendaOptionOutput(serializers.Serializer):
    key = serializers.CharField(help_text='"builtin:<key>" or "template:<id>"')
    name = serializers.CharField()
    description = serializers.CharField()
    origin = serializers.CharField(source="source", help_text="Built-in, Organisation or Program")
    items = serializers.ListField(child=serializers.CharField())


class SessionAgendaAttachInput(serializers.Serializer):
    template_key = serializers.CharField(max_length=40)


class SessionAgendaItemInput(serializers.Serializer):
    text = serializers.CharField(max_length=agendas.ITEM_MAX)


class SessionAgendaTickInput(serializers.Serializer):
    done = serializers.BooleanField()


class AgendaTemplateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.IntegerField(source="program_id", allow_null=True)
    name = serializers.CharField()
    description = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())


class AgendaTemplateInput(serializers.Serializer):
    name = serializers.CharField(max_length=agendas.NAME_MAX)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=agendas.DESCRIPTION_MAX
    )
    items = serializers.ListField(child=serializers.CharField(allow_blank=True))


class _RoomApi(RoomAPIView):
    def session(self, seat: Seat, session_id: int) -> Session:
        return selectors.session_get_for_member(seat=seat, session_id=session_id)

    def base_url(self, request: Request) -> str:
        return request.build_absolute_uri("/")

    def detail(self, seat: Seat, session_id: int) -> Response:
        return Response(SessionDetailOutput(self.session(seat, session_id)).data)


class SessionPagination(PageNumberPagination):
    page_size = 20


class SessionListApi(_RoomApi):
    @extend_schema(
        operation_id="room_sessions_list",
        parameters=[OpenApiParameter("past", bool, required=False)],
        responses=SessionOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """The room's upcoming sessions soonest first, or with ``past=true`` the past ones
        latest first; paginated."""
        seat = self.seat(mentorship_id)
        past = request.query_params.get("past", "").lower() in ("1", "true")
        paginator = SessionPagination()
        page = paginator.paginate_queryset(
            selectors.session_list_for_room(seat=seat, now=timezone.now(), past=past),
            request,
            view=self,
        )
        return paginator.get_paginated_response(SessionOutput(page, many=True).data)

    @extend_schema(
        operation_id="room_sessions_schedule",
        request=SessionScheduleInput,
        responses={201: SessionOutput(many=True), 400: SessionErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Schedule a session, or a weekly series with ``repeat_count`` > 1; every member is
        emailed an invitation."""
        seat = self.seat(mentorship_id)
        payload = SessionScheduleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            created = sessions.session_schedule(
                seat=seat,
                starts_at_local=_naive(data["starts_at_local"]),
                time_zone=data["time_zone"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
                repeat_count=data["repeat_count"],
                every_weeks=data["every_weeks"],
                base_url=self.base_url(request),
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(SessionOutput(created, many=True).data, status=status.HTTP_201_CREATED)


def _naive(value: Any) -> Any:
    # DRF makes a naive input aware in the server's zone; the services want the wall clock
    # exactly as typed.
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class SessionDetailApi(_RoomApi):
    @extend_schema(operation_id="room_session_detail", responses=SessionDetailOutput)
    def get(self, request: Request, org_slug: str, mentorship_id: int, session_id: int) -> Response:
        """One session with its agenda and attendance."""
        return self.detail(self.seat(mentorship_id), session_id)

    @extend_schema(
        operation_id="room_session_reschedule",
        request=SessionRescheduleInput,
        responses={200: SessionDetailOutput, 400: SessionErrorOutput},
    )
    def patch(
        self, request: Request, org_slug: str, mentorship_id: int, session_id: int
    ) -> Response:
        """Move a session that has not started; members are emailed the change."""
        seat = self.seat(mentorship_id)
        session = self.session(seat, session_id)
        payload = SessionRescheduleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            sessions.session_reschedule(
                seat=seat,
                session=session,
                starts_at_local=_naive(data["starts_at_local"]),
                time_zone=data["time_zone"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
                base_url=self.base_url(request),
            )
        except ApplicationError as error:
            return refusal(error)
        return self.detail(seat, session_id)


class SessionCancelApi(_RoomApi):
    @extend_schema(
        operation_id="room_session_cancel",
        request=SessionCancelInput,
        responses={200: SessionOutput(many=True), 400: SessionErrorOutput},
    )
    def post(
        self, request: Request, org_slug: str, mentorship_id: int, session_id: int
    ) -> Response:
        """Cancel a session (or, with ``whole_series``, the rest of its series)."""
        seat = self.seat(mentorship_id)
        session = self.session(seat, session_id)
        payload = SessionCancelInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            cancelled = sessions.session_cancel(
                seat=seat,
                session=session,
                whole_series=payload.validated_data["whole_series"],
                base_url=self.base_url(request),
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(SessionOutput(cancelled, many=True).data)


class SessionAttendanceApi(_RoomApi):
    @extend_schema(
        operation_id="room_session_attendance",
        request=SessionAttendanceInput,
        responses={200: SessionDetailOutput, 400: SessionErrorOutput},
    )
    def post(
        self, request: Request, org_slug: str, mentorship_id: int, session_id: int
    ) -> Response:
        """A circle's register: the members listed were present, the others absent."""
        seat = self.seat(mentorship_id)
        session = self.session(seat, session_id)
        payload = SessionAttendanceInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            sessions.attendance_record(
                seat=seat,
                session=session,
                present_member_ids=payload.validated_data["present_member_ids"],
            )
        except ApplicationError as error:
            return refusal(error)
        return self.detail(seat, session_id)


class SessionAgendaTemplatesApi(_RoomApi):
    @extend_schema(
        operation_id="room_session_agenda_templates",
        responses=SessionAgendaOptionOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int, session_id: int) -> Response:
        """The agendas this session may use: built-ins suiting the program, then the
        organisation's, then the program's."""
        seat = self.seat(mentorship_id)
        self.session(seat, session_id)
        options = selectors.agenda_options_for_session(seat=seat)
        return Response(SessionAgendaOptionOutput(options, many=True).data)


class SessionAgendaAttachApi(_RoomApi):
    @extend_schema(
        operation_id="room_session_agenda_attach",
        request=SessionAgendaAttachInput,
        responses={200: SessionDetailOutput, 400: SessionErrorOutput},
    )
    def post(
        self, request: Request, org_slug: str, mentorship_id: int, session_id: int
    ) -> Response:
        """Replace the session's agenda with a copy of a template's items."""
        seat = self.seat(mentorship_id)
        session = self.session(seat, session_id)
        payload = SessionAgendaAttachInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            agendas.agenda_attach(
                seat=seat, session=session, template_key=payload.validated_data["template_key"]
            )
        except ApplicationError as error:
            return refusal(error)
        return self.detail(seat, session_id)


class SessionAgendaItemApi(_RoomApi):
    @extend_schema(
        operation_id="room_session_agenda_item_add",
        request=SessionAgendaItemInput,
        responses={201: SessionAgendaItemOutput, 400: SessionErrorOutput},
    )
    def post(
        self, request: Request, org_slug: str, mentorship_id: int, session_id: int
    ) -> Response:
        """Add an item at the end of the session's agenda."""
        seat = self.seat(mentorship_id)
        session = self.session(seat, session_id)
        payload = SessionAgendaItemInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            item = agendas.agenda_item_add(
                seat=seat, session=session, text=payload.validated_data["text"]
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(SessionAgendaItemOutput(item).data, status=status.HTTP_201_CREATED)


class SessionAgendaTickApi(_RoomApi):
    @extend_schema(
        operation_id="room_session_agenda_item_tick",
        request=SessionAgendaTickInput,
        responses={200: SessionAgendaItemOutput, 400: SessionErrorOutput},
    )
    def patch(
        self, request: Request, org_slug: str, mentorship_id: int, session_id: int, item_id: int
    ) -> Response:
        """Tick an agenda item off (or on again)."""
        seat = self.seat(mentorship_id)
        item = selectors.agenda_item_get_for_member(seat=seat, item_id=item_id)
        if item.session_id != session_id:
            raise Http404
        payload = SessionAgendaTickInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            item = agendas.agenda_item_tick(
                seat=seat, item=item, done=payload.validated_data["done"]
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(SessionAgendaItemOutput(item).data)


class SessionIcsApi(_RoomApi):
    @extend_schema(
        operation_id="room_session_ics",
        responses={(200, "text/calendar"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int, session_id: int) -> Any:
        """The session as an iCalendar file."""
        session = self.session(self.seat(mentorship_id), session_id)
        method = "CANCEL" if session.status == Session.Status.CANCELLED else "REQUEST"
        response = HttpResponse(
            invitation_ics([session], method, self.base_url(request)),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="session.ics"'
        return response


# --- Agenda templates -------------------------------------------------------------------------


class _TemplatesApi(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    def scope(self, program_id: int | None) -> Any:
        if program_id is None:
            if not self.membership.has_role(Role.ADMIN):
                raise Http404
            return None
        return program_get_for_manager(membership=self.membership, program_id=program_id)

    def template(self, template_id: int) -> AgendaTemplate:
        found = (
            AgendaTemplate.objects.for_organisation(self.organisation)
            .select_related("program")
            .filter(pk=template_id)
            .first()
        )
        if found is None:
            raise Http404
        self.scope(found.program_id)
        return found


class AgendaTemplateListApi(_TemplatesApi):
    @extend_schema(
        operation_id="agenda_templates_list",
        parameters=[OpenApiParameter("program", int, required=False)],
        responses=AgendaTemplateOutput(many=True),
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """The organisation's templates (admins), or with ``program`` that program's (its
        managers and admins)."""
        raw = request.query_params.get("program", "")
        program = self.scope(int(raw) if raw.isdigit() else None)
        templates = selectors.agenda_template_list(organisation=self.organisation, program=program)
        return Response(AgendaTemplateOutput(templates, many=True).data)

    @extend_schema(
        operation_id="agenda_templates_create",
        parameters=[OpenApiParameter("program", int, required=False)],
        request=AgendaTemplateInput,
        responses={201: AgendaTemplateOutput, 400: SessionErrorOutput},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Add an organisation template, or with ``program`` a program template."""
        raw = request.query_params.get("program", "")
        program = self.scope(int(raw) if raw.isdigit() else None)
        payload = AgendaTemplateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            created = agendas.agenda_template_create(
                membership=self.membership, program=program, **payload.validated_data
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(AgendaTemplateOutput(created).data, status=status.HTTP_201_CREATED)


class AgendaTemplateDetailApi(_TemplatesApi):
    @extend_schema(operation_id="agenda_templates_detail", responses=AgendaTemplateOutput)
    def get(self, request: Request, org_slug: str, template_id: int) -> Response:
        return Response(AgendaTemplateOutput(self.template(template_id)).data)

    @extend_schema(
        operation_id="agenda_templates_update",
        request=AgendaTemplateInput,
        responses={200: AgendaTemplateOutput, 400: SessionErrorOutput},
    )
    def put(self, request: Request, org_slug: str, template_id: int) -> Response:
        template = self.template(template_id)
        payload = AgendaTemplateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            updated = agendas.agenda_template_update(
                membership=self.membership, template=template, **payload.validated_data
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(AgendaTemplateOutput(updated).data)

    @extend_schema(operation_id="agenda_templates_delete", responses={204: None})
    def delete(self, request: Request, org_slug: str, template_id: int) -> Response:
        template = self.template(template_id)
        try:
            agendas.agenda_template_delete(membership=self.membership, template=template)
        except ApplicationError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
