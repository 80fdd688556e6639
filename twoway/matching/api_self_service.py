"""REST endpoints for self-service matching, over the same services as the pages.

A mentee: their suggestions, asking a mentor, cancelling. A mentor: accepting or declining.
Both: their requests, each side seeing what it may (the mentee sees "not_available" for a
declined or expired request, never which it was; no decline reason exists to show). A
program's managers: who asked whom, status and dates, never messages. Anyone else gets 404;
refusals answer 400 with the reason in ``detail``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.enrolment.models import Application
from twoway.matching import self_service
from twoway.matching.models import MatchRequest
from twoway.programs.selectors import program_get_for_manager

# A plain string with its values listed: a choice field here would collide with the other
# "status" enums of the schema unless the settings named it.
STATUS_HELP = "One of: " + ", ".join(MatchRequest.Status.values)


class FindAMentorErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class MentorSuggestionOutput(serializers.Serializer):
    mentor_application = serializers.IntegerField(source="mentor.pk")
    name = serializers.CharField()
    strength = serializers.ChoiceField(choices=["strong", "good", "fair"])
    score = serializers.FloatField()
    reason = serializers.CharField()


class MatchRequestCreateInput(serializers.Serializer):
    mentor_application = serializers.IntegerField()
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=self_service.MAX_MESSAGE, default=""
    )


class MatchRequestDeclineInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class MatchRequestMenteeOutput(serializers.Serializer):
    """A request as the mentee who made it sees it."""

    id = serializers.IntegerField()
    program = serializers.IntegerField(source="program_id")
    mentor_name = serializers.CharField(source="mentor.person.full_name")
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    strength = serializers.SerializerMethodField()
    reason = serializers.CharField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def get_status(self, obj: MatchRequest) -> str:
        return self_service.mentee_status(obj)

    def get_status_label(self, obj: MatchRequest) -> str:
        return self_service.mentee_status_label(obj)

    def get_strength(self, obj: MatchRequest) -> str:
        return self_service.strength(obj.score)


class MatchRequestMentorOutput(serializers.Serializer):
    """A request as the mentor asked sees it."""

    id = serializers.IntegerField()
    program = serializers.IntegerField(source="program_id")
    mentee_name = serializers.CharField(source="mentee.person.full_name")
    status = serializers.CharField(help_text=STATUS_HELP)
    strength = serializers.SerializerMethodField()
    reason = serializers.CharField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_strength(self, obj: MatchRequest) -> str:
        return self_service.strength(obj.score)


class MyMatchRequestsOutput(serializers.Serializer):
    as_mentee = MatchRequestMenteeOutput(many=True)
    as_mentor = MatchRequestMentorOutput(many=True)


class MatchRequestManagerOutput(serializers.Serializer):
    """Metadata only: who asked whom, status, dates."""

    id = serializers.IntegerField()
    mentee_name = serializers.CharField(source="mentee.person.full_name")
    mentor_name = serializers.CharField(source="mentor.person.full_name")
    status = serializers.CharField(help_text=STATUS_HELP)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class _Api(OrganisationAPIView):
    def base_url(self, request: Request) -> str:
        return request.build_absolute_uri("/")


class SuggestionsApi(_Api):
    @extend_schema(
        operation_id="find_a_mentor_suggestions",
        responses={200: MentorSuggestionOutput(many=True), 400: FindAMentorErrorOutput},
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """My best mentors to ask, best first (empty once I have a mentor or a request
        waiting)."""
        mentee = self_service.mentee_application_get(
            membership=self.membership, program_id=program_id
        )
        self_service.match_requests_expire(program=mentee.program, base_url=self.base_url(request))
        try:
            found = self_service.match_suggestions(actor=request.user, program=mentee.program)
        except ApplicationError as error:
            return refusal(error)
        return Response(MentorSuggestionOutput(found, many=True).data)


class RequestCreateApi(_Api):
    @extend_schema(
        operation_id="find_a_mentor_request_create",
        request=MatchRequestCreateInput,
        responses={201: MatchRequestMenteeOutput, 400: FindAMentorErrorOutput},
    )
    def post(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Ask a mentor (one request at a time; the mentor is emailed a link)."""
        mentee = self_service.mentee_application_get(
            membership=self.membership, program_id=program_id
        )
        payload = MatchRequestCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        mentor = (
            Application.objects.filter(
                organisation=self.organisation,
                program=mentee.program,
                pk=payload.validated_data["mentor_application"],
            )
            .select_related("person")
            .first()
        )
        try:
            if mentor is None:
                raise ApplicationError("This person is not available as a mentor in this program.")
            created = self_service.match_request_create(
                actor=request.user,
                program=mentee.program,
                mentor_application=mentor,
                message=payload.validated_data["message"],
                base_url=self.base_url(request),
            )
        except ApplicationError as error:
            return refusal(error)
        created = self_service.match_request_get_for_mentee(
            membership=self.membership, request_id=created.pk
        )
        return Response(MatchRequestMenteeOutput(created).data, status=status.HTTP_201_CREATED)


class MyRequestsApi(_Api):
    @extend_schema(
        operation_id="find_a_mentor_my_requests",
        parameters=[OpenApiParameter("program", int, required=False)],
        responses=MyMatchRequestsOutput,
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """The requests I made as a mentee and the ones made to me as a mentor, newest first."""
        raw = request.query_params.get("program", "")
        program_id = int(raw) if raw.isdigit() else None
        return Response(
            {
                "as_mentee": MatchRequestMenteeOutput(
                    self_service.match_request_list_for_mentee(
                        membership=self.membership, program_id=program_id
                    ),
                    many=True,
                ).data,
                "as_mentor": MatchRequestMentorOutput(
                    self_service.match_request_list_for_mentor(
                        membership=self.membership, program_id=program_id
                    ),
                    many=True,
                ).data,
            }
        )


def _mentor_answer(view: _Api, request: Request, request_id: int, action: Any) -> Response:
    match_request = self_service.match_request_get_for_mentor(
        membership=view.membership, request_id=request_id
    )
    try:
        action(match_request)
    except ApplicationError as error:
        return refusal(error)
    updated = self_service.match_request_get_for_mentor(
        membership=view.membership, request_id=request_id
    )
    return Response(MatchRequestMentorOutput(updated).data)


class RequestAcceptApi(_Api):
    @extend_schema(
        operation_id="find_a_mentor_request_accept",
        request=None,
        responses={200: MatchRequestMentorOutput, 400: FindAMentorErrorOutput},
    )
    def post(self, request: Request, org_slug: str, request_id: int) -> Response:
        """Accept a request made to me: our mentorship starts and the mentee is told."""
        return _mentor_answer(
            self,
            request,
            request_id,
            lambda r: self_service.match_request_accept(
                actor=request.user, request=r, base_url=self.base_url(request)
            ),
        )


class RequestDeclineApi(_Api):
    @extend_schema(
        operation_id="find_a_mentor_request_decline",
        request=MatchRequestDeclineInput,
        responses={200: MatchRequestMentorOutput, 400: FindAMentorErrorOutput},
    )
    def post(self, request: Request, org_slug: str, request_id: int) -> Response:
        """Decline a request made to me. The mentee is told only that I am not available; the
        reason is not kept."""
        payload = MatchRequestDeclineInput(data=request.data)
        payload.is_valid(raise_exception=True)
        return _mentor_answer(
            self,
            request,
            request_id,
            lambda r: self_service.match_request_decline(
                actor=request.user,
                request=r,
                reason=payload.validated_data["reason"],
                base_url=self.base_url(request),
            ),
        )


class RequestCancelApi(_Api):
    @extend_schema(
        operation_id="find_a_mentor_request_cancel",
        request=None,
        responses={200: MatchRequestMenteeOutput, 400: FindAMentorErrorOutput},
    )
    def post(self, request: Request, org_slug: str, request_id: int) -> Response:
        """Cancel my own request that is waiting for an answer."""
        match_request = self_service.match_request_get_for_mentee(
            membership=self.membership, request_id=request_id
        )
        try:
            self_service.match_request_cancel(actor=request.user, request=match_request)
        except ApplicationError as error:
            return refusal(error)
        updated = self_service.match_request_get_for_mentee(
            membership=self.membership, request_id=request_id
        )
        return Response(MatchRequestMenteeOutput(updated).data)


class ProgramRequestsApi(_Api):
    required_role = Role.PROGRAM_MANAGER

    @extend_schema(
        operation_id="find_a_mentor_program_requests",
        responses=MatchRequestManagerOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """For the program's managers: every request, who asked whom, status and dates."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        self_service.match_requests_expire(program=program, base_url=self.base_url(request))
        return Response(
            MatchRequestManagerOutput(
                self_service.match_request_list_for_manager(program=program), many=True
            ).data
        )
