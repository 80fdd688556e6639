"""REST endpoints of Communities over the same access rules, selectors and services as the
pages. A space, topic, post or report the viewer may not read is a 404; moderation endpoints are
a 404 to non-moderators; a refusal answers 400 with the reason in ``detail``. Authors appear by
label only (in the runners space "Display name (Organisation)"), never by email."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.communities import selectors, services
from twoway.communities.access import (
    post_get_for_member,
    report_get_for_moderator,
    require_moderator_or_404,
    space_get_for_member,
    topic_get_for_member,
)
from twoway.core.api import OrganisationAPIView
from twoway.core.errors import ApplicationError
from twoway.programs.serializers import ErrorOutputSerializer as ErrorOutput

TOPIC_ACTIONS = {
    "lock": services.topic_lock,
    "unlock": services.topic_unlock,
    "pin": services.topic_pin,
    "unpin": services.topic_unpin,
    "hide": services.topic_hide,
    "unhide": services.topic_unhide,
}
POST_ACTIONS = {"hide": services.post_hide, "unhide": services.post_unhide}


def refusal(message: str) -> Response:
    return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)


def _base_url(request: Request) -> str:
    return request.build_absolute_uri("/")


class SpaceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="organisation, program or runners")
    title = serializers.CharField()
    description = serializers.CharField()
    program = serializers.IntegerField(source="program_id", allow_null=True)


class TopicOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    author_label = serializers.CharField(help_text="display name (and organisation, runners)")
    is_locked = serializers.BooleanField()
    is_pinned = serializers.BooleanField(help_text="in the space's best-practice library")
    is_hidden = serializers.BooleanField(help_text="only moderators see hidden topics")
    post_count = serializers.IntegerField()
    last_post_at = serializers.DateTimeField(allow_null=True)


class PostOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author_label = serializers.CharField()
    body = serializers.CharField(help_text="Markdown as written")
    body_html = serializers.CharField(help_text="rendered and sanitised")
    is_hidden = serializers.BooleanField(help_text="only moderators see hidden posts")
    created_at = serializers.DateTimeField()


class ReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.IntegerField(source="post_id")
    topic = serializers.IntegerField(source="post.topic_id")
    reason = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class Pagination(PageNumberPagination):
    page_size = selectors.POSTS_PER_PAGE


class _Api(OrganisationAPIView):
    def paginated(self, request: Request, rows: Any, serializer: type, label: Any = None) -> Any:
        paginator = Pagination()
        page: list[Any] = paginator.paginate_queryset(rows, request, view=self) or []
        if label is not None:
            selectors.label_authors(label, page)
        return paginator, serializer(page, many=True).data


class SpacesApi(_Api):
    @extend_schema(operation_id="communities_spaces_list", responses=SpaceOutput(many=True))
    def get(self, request: Request, org_slug: str) -> Response:
        """The spaces I may enter."""
        spaces = selectors.space_list_for_member(membership=self.membership)
        return Response(SpaceOutput(spaces, many=True).data)


class TopicsApi(_Api):
    class TopicCreateInput(serializers.Serializer):
        title = serializers.CharField(allow_blank=True, trim_whitespace=False)
        body = serializers.CharField(allow_blank=True, trim_whitespace=False)

    @extend_schema(
        operation_id="communities_topics_list",
        parameters=[OpenApiParameter("page", int, required=False), OpenApiParameter("q", str)],
        responses=TopicOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, space_id: int) -> Response:
        """Topics of the space, newest activity first, 20 a page."""
        access = space_get_for_member(membership=self.membership, space_id=space_id)
        rows = selectors.topic_list(access=access, search=request.query_params.get("q", ""))
        paginator, data = self.paginated(request, rows, TopicOutput, access.space)
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="communities_topics_create",
        request=TopicCreateInput,
        responses={201: TopicOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str, space_id: int) -> Response:
        """Open a topic with its first post (Markdown)."""
        access = space_get_for_member(membership=self.membership, space_id=space_id)
        payload = self.TopicCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            topic = services.topic_create(
                access=access, base_url=_base_url(request), **payload.validated_data
            )
        except ApplicationError as error:
            return refusal(error.message)
        topic = selectors.topic_list(access=access).get(pk=topic.pk)
        selectors.label_authors(access.space, [topic])
        return Response(TopicOutput(topic).data, status=status.HTTP_201_CREATED)


class TopicDetailApi(_Api):
    class TopicDetailOutput(serializers.Serializer):
        topic = TopicOutput()
        count = serializers.IntegerField()
        next = serializers.CharField(allow_null=True)
        previous = serializers.CharField(allow_null=True)
        posts = PostOutput(many=True)

    @extend_schema(
        operation_id="communities_topic_detail",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=TopicDetailOutput,
    )
    def get(self, request: Request, org_slug: str, topic_id: int) -> Response:
        """The topic and its posts, 20 a page."""
        access, topic = topic_get_for_member(membership=self.membership, topic_id=topic_id)
        selectors.label_authors(access.space, [topic])
        rows = selectors.post_list(access=access, topic=topic)
        paginator, posts = self.paginated(request, rows, PostOutput, access.space)
        return Response(
            {
                "topic": TopicOutput(topic).data,
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "posts": posts,
            }
        )


class ReplyApi(_Api):
    class ReplyInput(serializers.Serializer):
        body = serializers.CharField(allow_blank=True, trim_whitespace=False)

    @extend_schema(
        operation_id="communities_reply",
        request=ReplyInput,
        responses={201: PostOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str, topic_id: int) -> Response:
        """Reply in an open topic (a locked topic refuses)."""
        access, topic = topic_get_for_member(membership=self.membership, topic_id=topic_id)
        payload = self.ReplyInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            post = services.post_reply(
                access=access,
                topic=topic,
                body=payload.validated_data["body"],
                base_url=_base_url(request),
            )
        except ApplicationError as error:
            return refusal(error.message)
        post = selectors.post_list(access=access, topic=topic).get(pk=post.pk)
        selectors.label_authors(access.space, [post])
        return Response(PostOutput(post).data, status=status.HTTP_201_CREATED)


class ReportApi(_Api):
    class ReportCreateInput(serializers.Serializer):
        reason = serializers.CharField(allow_blank=True)

    class ReportCreatedOutput(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()

    @extend_schema(
        operation_id="communities_report",
        request=ReportCreateInput,
        responses={201: ReportCreatedOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str, post_id: int) -> Response:
        """Report a post to the space's moderators (once while the report is open)."""
        access, post = post_get_for_member(membership=self.membership, post_id=post_id)
        payload = self.ReportCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            report = services.report_create(
                access=access, post=post, reason=payload.validated_data["reason"]
            )
        except ApplicationError as error:
            return refusal(error.message)
        return Response(self.ReportCreatedOutput(report).data, status=status.HTTP_201_CREATED)


class ActionInput(serializers.Serializer):
    action = serializers.CharField()


class ReportsApi(_Api):
    @extend_schema(
        operation_id="communities_reports_list",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=ReportOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, space_id: int) -> Response:
        """The moderators' queue: open reports, oldest first (moderators only)."""
        access = space_get_for_member(membership=self.membership, space_id=space_id)
        require_moderator_or_404(access)
        paginator, data = self.paginated(
            request, selectors.report_queue(access=access), ReportOutput
        )
        return paginator.get_paginated_response(data)


class TopicModerationApi(_Api):
    @extend_schema(
        operation_id="communities_topic_moderate",
        request=ActionInput,
        responses={200: TopicOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str, topic_id: int) -> Response:
        """lock, unlock, pin, unpin, hide or unhide the topic (moderators only)."""
        access, topic = topic_get_for_member(membership=self.membership, topic_id=topic_id)
        require_moderator_or_404(access)
        payload = ActionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        action = TOPIC_ACTIONS.get(payload.validated_data["action"])
        if action is None:
            return refusal("Unknown action: choose lock, unlock, pin, unpin, hide or unhide.")
        topic = action(access=access, topic=topic)
        selectors.label_authors(access.space, [topic])
        return Response(TopicOutput(topic).data)


class PostModerationApi(_Api):
    @extend_schema(
        operation_id="communities_post_moderate",
        request=ActionInput,
        responses={200: PostOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str, post_id: int) -> Response:
        """hide or unhide the post (moderators only)."""
        access, post = post_get_for_member(membership=self.membership, post_id=post_id)
        require_moderator_or_404(access)
        payload = ActionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        action = POST_ACTIONS.get(payload.validated_data["action"])
        if action is None:
            return refusal("Unknown action: choose hide or unhide.")
        post = action(access=access, post=post)
        post = selectors.post_list(access=access, topic=post.topic).get(pk=post.pk)
        selectors.label_authors(access.space, [post])
        return Response(PostOutput(post).data)


class ReportModerationApi(_Api):
    @extend_schema(
        operation_id="communities_report_act",
        request=ActionInput,
        responses={200: ReportOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str, report_id: int) -> Response:
        """hide the post, lock its topic, or dismiss the report (moderators only)."""
        access, report = report_get_for_moderator(membership=self.membership, report_id=report_id)
        payload = ActionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        action = payload.validated_data["action"]
        try:
            if action == "dismiss":
                report = services.report_dismiss(access=access, report=report)
            else:
                report = services.report_resolve(access=access, report=report, action=action)
        except ApplicationError as error:
            return refusal(error.message)
        return Response(ReportOutput(report).data)
