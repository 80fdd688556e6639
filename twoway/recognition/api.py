"""REST endpoints of Recognition over the same selectors and services as the pages: kudos the
viewer may read and giving them, a program's published stories, the viewer's own stories, and
a mentorship's celebrations for its members. A refusal answers 400 with the reason in
``detail``; what the viewer may not see answers 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.programs.serializers import ErrorOutputSerializer as ErrorOutput
from twoway.recognition import selectors, services
from twoway.recognition.models import Celebration
from twoway.rooms.access import room_get_for_member
from twoway.threads.audience import audience_of
from twoway.threads.models import Visibility

VISIBILITY_HELP = "One of: " + ", ".join(Visibility.values) + " (private: giver and receiver)"


class RecognitionPagination(PageNumberPagination):
    page_size = 20


class _Api(OrganisationAPIView):
    def paginated(self, request: Request, rows: Any, serializer: type) -> Response:
        paginator = RecognitionPagination()
        page: list[Any] | None = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(serializer(page, many=True).data)


# --- Kudos ---------------------------------------------------------------------------------------


class KudosOutput(serializers.Serializer):
    id = serializers.IntegerField()
    giver = serializers.IntegerField(source="giver_id", help_text="a person id")
    giver_name = serializers.CharField(source="giver.full_name")
    receiver = serializers.IntegerField(source="receiver_id", help_text="a person id")
    receiver_name = serializers.CharField(source="receiver.full_name")
    message = serializers.CharField()
    visibility = serializers.CharField(help_text=VISIBILITY_HELP)
    program = serializers.IntegerField(source="program_id", allow_null=True)
    mentorship = serializers.IntegerField(source="mentorship_id", allow_null=True)
    created_at = serializers.DateTimeField()


class KudosInput(serializers.Serializer):
    receiver = serializers.IntegerField(help_text="a person id")
    message = serializers.CharField(allow_blank=True, trim_whitespace=False)
    visibility = serializers.CharField(default=Visibility.PRIVATE, help_text=VISIBILITY_HELP)
    program = serializers.IntegerField(required=False, allow_null=True, default=None)
    mentorship = serializers.IntegerField(required=False, allow_null=True, default=None)


class KudosApi(_Api):
    @extend_schema(
        operation_id="recognition_kudos_list",
        parameters=[
            OpenApiParameter("page", int, required=False),
            OpenApiParameter("program", int, required=False, description="only of this program"),
        ],
        responses=KudosOutput(many=True),
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """Kudos I may read, newest first, 20 a page."""
        audience = audience_of(membership=self.membership)
        program = None
        if request.query_params.get("program", "").isdigit():
            program = selectors.program_get_for_showcase(
                membership=self.membership, program_id=int(request.query_params["program"])
            )
        return self.paginated(
            request, selectors.kudos_list_visible(audience=audience, program=program), KudosOutput
        )

    @extend_schema(
        operation_id="recognition_kudos_give",
        request=KudosInput,
        responses={201: KudosOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Thank someone I share a mentorship or a program with; they get an email with a link."""
        payload = KudosInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        organisation = self.organisation
        receiver = Person.objects.for_organisation(organisation).filter(pk=data["receiver"]).first()
        if receiver is None:
            return refusal(ApplicationError("Receiver: choose someone from the organisation."))
        program = None
        if data["program"] is not None:
            program = (
                Program.objects.for_organisation(organisation).filter(pk=data["program"]).first()
            )
            if program is None:
                return refusal(ApplicationError("Program: there is no such program."))
        mentorship = None
        if data["mentorship"] is not None:
            mentorship = (
                Mentorship.objects.for_organisation(organisation)
                .select_related("program")
                .filter(pk=data["mentorship"])
                .first()
            )
            if mentorship is None:
                return refusal(ApplicationError("Mentorship: there is no such mentorship."))
        try:
            kudos = services.kudos_give(
                membership=self.membership,
                receiver=receiver,
                message=data["message"],
                visibility=data["visibility"],
                mentorship=mentorship,
                program=program,
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(KudosOutput(kudos).data, status=status.HTTP_201_CREATED)


class KudosDetailApi(_Api):
    @extend_schema(operation_id="recognition_kudos_delete", request=None, responses={204: None})
    def delete(self, request: Request, org_slug: str, kudos_id: int) -> Response:
        """Take back kudos I gave (anyone else's answers 404)."""
        audience = audience_of(membership=self.membership)
        kudos = selectors.kudos_get_for_giver(audience=audience, kudos_id=kudos_id)
        services.kudos_delete(membership=self.membership, kudos=kudos)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Stories -------------------------------------------------------------------------------------


class StoryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.IntegerField(source="program_id")
    author_name = serializers.CharField(source="author.full_name")
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown as written")
    body_html = serializers.CharField(help_text="rendered and sanitised")
    status = serializers.CharField(help_text="draft (its author only) or published")
    published_at = serializers.DateTimeField(allow_null=True)


class StoryInput(serializers.Serializer):
    program = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class ProgramStoriesApi(_Api):
    @extend_schema(
        operation_id="recognition_program_stories",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=StoryOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The program's published stories, newest first."""
        program = selectors.program_get_for_showcase(
            membership=self.membership, program_id=program_id
        )
        return self.paginated(request, selectors.story_list_published(program=program), StoryOutput)


class MyStoriesApi(_Api):
    @extend_schema(
        operation_id="recognition_my_stories",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=StoryOutput(many=True),
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """My stories, drafts included."""
        audience = audience_of(membership=self.membership)
        stories = selectors.story_list_mine(audience=audience).select_related("author")
        return self.paginated(request, stories, StoryOutput)

    @extend_schema(
        operation_id="recognition_story_create",
        request=StoryInput,
        responses={201: StoryOutput, 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Write a draft story for a program I take part in."""
        payload = StoryInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        program = (
            Program.objects.for_organisation(self.organisation).filter(pk=data["program"]).first()
        )
        if program is None:
            return refusal(ApplicationError("Program: there is no such program."))
        try:
            story = services.story_create(
                membership=self.membership, program=program, title=data["title"], body=data["body"]
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(StoryOutput(story).data, status=status.HTTP_201_CREATED)


class StoryPublishApi(_Api):
    @extend_schema(
        operation_id="recognition_story_publish", request=None, responses={200: StoryOutput}
    )
    def post(self, request: Request, org_slug: str, story_id: int) -> Response:
        """Publish my story on its program's showcase."""
        story = selectors.story_get_for_author(membership=self.membership, story_id=story_id)
        services.story_publish(membership=self.membership, story=story)
        return Response(StoryOutput(story).data)


# --- Celebrations --------------------------------------------------------------------------------


class CelebrationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="One of: " + ", ".join(Celebration.Kind.values))
    kind_label = serializers.CharField(source="get_kind_display")
    subject = serializers.CharField()
    created_at = serializers.DateTimeField()


class CelebrationsApi(_Api):
    @extend_schema(
        operation_id="recognition_celebrations",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=CelebrationOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """The milestones of a mentorship I am a member of, newest first."""
        seat = room_get_for_member(membership=self.membership, mentorship_id=mentorship_id)
        return self.paginated(
            request, selectors.celebrations_of_mentorship(seat=seat), CelebrationOutput
        )
