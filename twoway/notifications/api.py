"""REST endpoints of notifications over the same selectors and services as the pages: the
requesting person's own notifications (list, mark read, mark all read) and their preferences.
Anyone else's notification answers 404; a refused change answers 400 with the reason."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.notifications import selectors, services
from twoway.notifications.models import Kind, NotificationPreference
from twoway.programs.serializers import ErrorOutputSerializer as ErrorOutput

KIND_HELP = "One of: " + ", ".join(Kind.values)
EMAIL_HELP = "One of: " + ", ".join(NotificationPreference.Email.values)


class NotificationPagination(PageNumberPagination):
    page_size = 20


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text=KIND_HELP)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    url = serializers.CharField(help_text="a path on this site")
    read_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class NotificationsMarkedOutput(serializers.Serializer):
    marked = serializers.IntegerField(help_text="how many notifications were unread")


class NotificationListApi(OrganisationAPIView):
    @extend_schema(
        operation_id="notifications_list",
        parameters=[
            OpenApiParameter("page", int, required=False),
            OpenApiParameter("unread", int, required=False, description="1: unread only"),
        ],
        responses=NotificationOutput(many=True),
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """My notifications in this organisation, newest first, 20 a page."""
        rows = selectors.notification_list(
            user=request.user,
            organisation=self.organisation,
            unread_only=request.query_params.get("unread") == "1",
        )
        paginator = NotificationPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(NotificationOutput(page, many=True).data)


class NotificationReadApi(OrganisationAPIView):
    @extend_schema(
        operation_id="notifications_mark_read", request=None, responses=NotificationOutput
    )
    def post(self, request: Request, org_slug: str, notification_id: int) -> Response:
        """Mark one of my notifications read."""
        notification = selectors.notification_get_for_user(
            user=request.user, organisation=self.organisation, notification_id=notification_id
        )
        services.notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(OrganisationAPIView):
    @extend_schema(
        operation_id="notifications_mark_all_read",
        request=None,
        responses=NotificationsMarkedOutput,
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Mark all my notifications in this organisation read."""
        marked = services.notifications_mark_all_read(
            actor=request.user, organisation=self.organisation
        )
        return Response({"marked": marked})


class NotificationPreferenceOutput(serializers.Serializer):
    email = serializers.CharField(help_text=EMAIL_HELP)
    chat = serializers.BooleanField(help_text="post to the organisation's chat webhook")
    muted_kinds = serializers.ListField(child=serializers.CharField(), help_text=KIND_HELP)
    email_bounced = serializers.BooleanField(
        help_text="the mail server refused my address; no email is sent until I confirm it"
    )


class NotificationPreferenceInput(serializers.Serializer):
    email = serializers.CharField(help_text=EMAIL_HELP)
    chat = serializers.BooleanField()
    muted_kinds = serializers.ListField(
        child=serializers.CharField(), allow_empty=True, help_text=KIND_HELP
    )


class NotificationPreferenceApi(OrganisationAPIView):
    def _output(self, request: Request, preference: NotificationPreference) -> Response:
        data = {
            "email": preference.email,
            "chat": preference.chat,
            "muted_kinds": preference.muted_kinds,
            "email_bounced": selectors.address_bounce(user=request.user) is not None,
        }
        return Response(NotificationPreferenceOutput(data).data)

    @extend_schema(
        operation_id="notifications_preferences_get", responses=NotificationPreferenceOutput
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """My notification preferences in this organisation (defaults until I change them)."""
        preference = selectors.preference_get(user=request.user, organisation=self.organisation)
        return self._output(request, preference)

    @extend_schema(
        operation_id="notifications_preferences_update",
        request=NotificationPreferenceInput,
        responses={200: NotificationPreferenceOutput, 400: ErrorOutput},
    )
    def put(self, request: Request, org_slug: str) -> Response:
        """Replace my preferences: email immediate/digest/off, chat on/off, muted kinds."""
        payload = NotificationPreferenceInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            preference = services.notification_preference_update(
                actor=request.user,
                organisation=self.organisation,
                email=data["email"],
                chat=data["chat"],
                muted_kinds=data["muted_kinds"],
            )
        except ApplicationError as error:
            return refusal(error)
        return self._output(request, preference)
