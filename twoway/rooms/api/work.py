"""REST endpoints for the work in a room — notes, action items, goals, the pulse — over the same
selectors and services as the pages. Members only: anyone else (program managers and admins
included) gets 404; a refusal answers 400 with the reason in ``detail``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import refusal
from twoway.core.errors import ApplicationError
from twoway.rooms.api import RoomAPIView
from twoway.rooms.models import TEXT_MAX_CHARS, ActionItem, Goal, Note
from twoway.rooms.selectors import work as selectors
from twoway.rooms.services import actions as action_services
from twoway.rooms.services import goals as goal_services
from twoway.rooms.services import notes as note_services
from twoway.rooms.services import pulse as pulse_services

VISIBILITY_HELP = "private (the author only) or shared (the members)"
ACTION_STATUS_HELP = "One of: " + ", ".join(ActionItem.Status.values)
GOAL_STATUS_HELP = "One of: " + ", ".join(Goal.Status.values)
MEASURE_HELP = "One of: " + ", ".join(Goal.Measure.values)


class RoomWorkErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class NoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.IntegerField(source="author_id", help_text="a member id")
    author_name = serializers.CharField(source="author.person.full_name")
    visibility = serializers.CharField(help_text=VISIBILITY_HELP)
    session = serializers.IntegerField(source="session_id", allow_null=True)
    body = serializers.CharField(help_text="Markdown as written")
    body_html = serializers.CharField(help_text="rendered and sanitised")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class NoteInput(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)
    visibility = serializers.CharField(help_text=VISIBILITY_HELP, default=Note.Visibility.PRIVATE)
    session = serializers.IntegerField(required=False, allow_null=True, default=None)


class NoteUpdateInput(serializers.Serializer):
    body = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    visibility = serializers.CharField(required=False, help_text=VISIBILITY_HELP)


class ActionItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = serializers.IntegerField(source="owner_id", allow_null=True, help_text="a member id")
    owner_name = serializers.SerializerMethodField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text=ACTION_STATUS_HELP)
    done_at = serializers.DateTimeField(allow_null=True)
    session = serializers.IntegerField(source="session_id", allow_null=True)
    is_overdue = serializers.BooleanField()

    def get_owner_name(self, obj: ActionItem) -> str | None:
        return obj.owner.person.full_name if obj.owner else None


class ActionItemInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    session = serializers.IntegerField(required=False, allow_null=True, default=None)


class ActionItemUpdateInput(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.CharField(required=False, help_text=ACTION_STATUS_HELP)


class MilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    done = serializers.BooleanField()


class GoalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.IntegerField(source="member_id", help_text="the owner's member id")
    member_name = serializers.CharField(source="member.person.full_name")
    title = serializers.CharField()
    description = serializers.CharField()
    measure = serializers.CharField(help_text=MEASURE_HELP)
    percent = serializers.IntegerField()
    status = serializers.CharField(help_text=GOAL_STATUS_HELP)
    target_on = serializers.DateField(allow_null=True)
    milestones = MilestoneOutput(many=True, source="milestones.all")
    latest_update_at = serializers.DateTimeField(allow_null=True)


class GoalInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    measure = serializers.CharField(required=False, default=Goal.Measure.PERCENT)
    target_on = serializers.DateField(required=False, allow_null=True, default=None)
    milestones = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, default=list
    )


class GoalProgressInput(serializers.Serializer):
    percent = serializers.IntegerField(required=False, allow_null=True, default=None)
    milestones_done = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="ids of the milestones reached (the milestones measure)",
    )
    status = serializers.CharField(
        required=False, allow_null=True, default=None, help_text=GOAL_STATUS_HELP
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_CHARS
    )


class GoalUpdateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author_name = serializers.CharField(source="author.person.full_name")
    percent = serializers.IntegerField()
    status = serializers.CharField(help_text=GOAL_STATUS_HELP)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class PulseOutput(serializers.Serializer):
    session = serializers.IntegerField(source="session_id")
    rating = serializers.IntegerField()
    reflection = serializers.CharField(help_text="readable by its author only")
    updated_at = serializers.DateTimeField()


class PulseInput(serializers.Serializer):
    rating = serializers.IntegerField()
    reflection = serializers.CharField(required=False, allow_blank=True, default="")


class WorkPagination(PageNumberPagination):
    page_size = selectors.NOTES_PER_PAGE


class _RoomApi(RoomAPIView):
    def paginated(self, request: Request, rows: Any, serializer: type) -> Response:
        paginator = WorkPagination()
        page: list[Any] | None = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(serializer(page, many=True).data)


def _action_out(action: ActionItem) -> dict[str, Any]:
    selectors.flag_overdue([action])
    return ActionItemOutput(action).data


class NotesApi(_RoomApi):
    @extend_schema(
        operation_id="rooms_notes_list",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=NoteOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """The notes I may read, newest first, 20 a page: shared ones and my private ones."""
        seat = self.seat(mentorship_id)
        return self.paginated(request, selectors.note_list_readable(seat=seat), NoteOutput)

    @extend_schema(
        operation_id="rooms_notes_create",
        request=NoteInput,
        responses={201: NoteOutput, 400: RoomWorkErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Write a note (Markdown, at most 20,000 characters), private by default."""
        seat = self.seat(mentorship_id)
        payload = NoteInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        session = (
            selectors.session_get_in_room(seat=seat, session_id=data["session"])
            if data["session"] is not None
            else None
        )
        try:
            note = note_services.note_create(
                seat=seat, body=data["body"], visibility=data["visibility"], session=session
            )
        except ApplicationError as error:
            return refusal(error)
        note = selectors.note_get_readable(seat=seat, note_id=note.pk)
        return Response(NoteOutput(note).data, status=status.HTTP_201_CREATED)


class NoteDetailApi(_RoomApi):
    @extend_schema(
        operation_id="rooms_notes_update",
        request=NoteUpdateInput,
        responses={200: NoteOutput, 400: RoomWorkErrorOutput},
    )
    def patch(self, request: Request, org_slug: str, mentorship_id: int, note_id: int) -> Response:
        """Change my own note (anyone else's answers 404)."""
        seat = self.seat(mentorship_id)
        note = selectors.note_get_for_author(seat=seat, note_id=note_id)
        payload = NoteUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            note_services.note_update(
                seat=seat,
                note=note,
                body=data.get("body", note.body),
                visibility=data.get("visibility", note.visibility),
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(NoteOutput(note).data)

    @extend_schema(
        operation_id="rooms_notes_delete",
        request=None,
        responses={204: None, 400: RoomWorkErrorOutput},
    )
    def delete(self, request: Request, org_slug: str, mentorship_id: int, note_id: int) -> Response:
        """Delete my own note."""
        seat = self.seat(mentorship_id)
        note = selectors.note_get_for_author(seat=seat, note_id=note_id)
        try:
            note_services.note_delete(seat=seat, note=note)
        except ApplicationError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActionsApi(_RoomApi):
    @extend_schema(
        operation_id="rooms_actions_list",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=ActionItemOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """The mentorship's action items: open ones first (earliest due first), then the rest."""
        seat = self.seat(mentorship_id)
        paginator = WorkPagination()
        page = paginator.paginate_queryset(
            selectors.action_list_ordered(seat=seat), request, view=self
        )
        selectors.flag_overdue(page or [])
        return paginator.get_paginated_response(ActionItemOutput(page, many=True).data)

    @extend_schema(
        operation_id="rooms_actions_create",
        request=ActionItemInput,
        responses={201: ActionItemOutput, 400: RoomWorkErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Add an action item, optionally owned by a member and due on a date."""
        seat = self.seat(mentorship_id)
        payload = ActionItemInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        session = (
            selectors.session_get_in_room(seat=seat, session_id=data["session"])
            if data["session"] is not None
            else None
        )
        try:
            action = action_services.action_create(
                seat=seat,
                title=data["title"],
                owner_id=data["owner"],
                due_on=data["due_on"],
                session=session,
            )
        except ApplicationError as error:
            return refusal(error)
        action = selectors.action_get(seat=seat, action_id=action.pk)
        return Response(_action_out(action), status=status.HTTP_201_CREATED)


class ActionDetailApi(_RoomApi):
    @extend_schema(
        operation_id="rooms_actions_update",
        request=ActionItemUpdateInput,
        responses={200: ActionItemOutput, 400: RoomWorkErrorOutput},
    )
    def patch(
        self, request: Request, org_slug: str, mentorship_id: int, action_id: int
    ) -> Response:
        """Edit an action item or set its status (any member)."""
        seat = self.seat(mentorship_id)
        action = selectors.action_get(seat=seat, action_id=action_id)
        payload = ActionItemUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            if {"title", "owner", "due_on"} & data.keys():
                action_services.action_update(
                    seat=seat,
                    action=action,
                    title=data.get("title", action.title),
                    owner_id=data.get("owner", action.owner_id),
                    due_on=data.get("due_on", action.due_on),
                )
            if "status" in data:
                action_services.action_set_status(seat=seat, action=action, status=data["status"])
        except ApplicationError as error:
            return refusal(error)
        return Response(_action_out(selectors.action_get(seat=seat, action_id=action_id)))


class GoalsApi(_RoomApi):
    @extend_schema(operation_id="rooms_goals_list", responses=GoalOutput(many=True))
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Every member's goals, with milestones, progress and status."""
        seat = self.seat(mentorship_id)
        return Response(GoalOutput(selectors.goal_list(seat=seat), many=True).data)

    @extend_schema(
        operation_id="rooms_goals_create",
        request=GoalInput,
        responses={201: GoalOutput, 400: RoomWorkErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Set a goal of my own, in percent or with 1 to 20 milestones."""
        seat = self.seat(mentorship_id)
        payload = GoalInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            goal = goal_services.goal_create(
                seat=seat,
                title=data["title"],
                description=data["description"],
                measure=data["measure"],
                target_on=data["target_on"],
                milestones=data["milestones"],
            )
        except ApplicationError as error:
            return refusal(error)
        goal = selectors.goal_get(seat=seat, goal_id=goal.pk)
        return Response(GoalOutput(goal).data, status=status.HTTP_201_CREATED)


class GoalProgressApi(_RoomApi):
    @extend_schema(
        operation_id="rooms_goals_progress",
        request=GoalProgressInput,
        responses={201: GoalUpdateOutput, 400: RoomWorkErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int, goal_id: int) -> Response:
        """Record progress on my goal (a percent, or the milestones reached); kept in its
        history."""
        seat = self.seat(mentorship_id)
        goal = selectors.goal_get(seat=seat, goal_id=goal_id)
        payload = GoalProgressInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            update = goal_services.goal_update_progress(
                seat=seat,
                goal=goal,
                percent=data["percent"],
                milestones_done=data["milestones_done"],
                status=data["status"],
                note=data["note"],
            )
        except ApplicationError as error:
            return refusal(error)
        update = selectors.goal_update_list(goal=goal).get(pk=update.pk)
        return Response(GoalUpdateOutput(update).data, status=status.HTTP_201_CREATED)


class GoalUpdatesApi(_RoomApi):
    @extend_schema(
        operation_id="rooms_goals_updates",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=GoalUpdateOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int, goal_id: int) -> Response:
        """A goal's history, newest first."""
        seat = self.seat(mentorship_id)
        goal = selectors.goal_get(seat=seat, goal_id=goal_id)
        return self.paginated(request, selectors.goal_update_list(goal=goal), GoalUpdateOutput)


class PulseApi(_RoomApi):
    @extend_schema(
        operation_id="rooms_pulse_retrieve", responses={200: PulseOutput, 404: RoomWorkErrorOutput}
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int, session_id: int) -> Response:
        """My own pulse for a session (404 until I gave one)."""
        seat = self.seat(mentorship_id)
        session = selectors.session_get_in_room(seat=seat, session_id=session_id)
        pulse = selectors.pulse_get_own(seat=seat, session=session)
        if pulse is None:
            raise Http404
        return Response(PulseOutput(pulse).data)

    @extend_schema(
        operation_id="rooms_pulse_submit",
        request=PulseInput,
        responses={200: PulseOutput, 400: RoomWorkErrorOutput},
    )
    def put(self, request: Request, org_slug: str, mentorship_id: int, session_id: int) -> Response:
        """Rate a session that has started, from 1 to 5; again to correct it."""
        seat = self.seat(mentorship_id)
        session = selectors.session_get_in_room(seat=seat, session_id=session_id)
        payload = PulseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            pulse = pulse_services.pulse_submit(
                seat=seat,
                session=session,
                rating=payload.validated_data["rating"],
                reflection=payload.validated_data["reflection"],
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(PulseOutput(pulse).data)
