"""REST endpoints of nudges over the same selectors and services as the pages: a program's
nudge history (metadata only) and a manager's one-click nudge of a mentorship. Anyone but the
program's managers and the organisation's admins gets 404; a refusal answers 400 with the
reason in ``detail``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.nudges.models import Rule
from twoway.nudges.selectors import nudge_list_for_program, recipient_role_label
from twoway.nudges.services import nudge_send_manual
from twoway.programs.selectors import program_get_for_manager
from twoway.programs.serializers import ErrorOutputSerializer as ErrorOutput
from twoway.rooms.access import mentorship_get_for_manager

RULE_HELP = "One of: " + ", ".join(Rule.values)


class NudgePagination(PageNumberPagination):
    page_size = 50


class NudgeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    rule = serializers.CharField(help_text=RULE_HELP)
    mentorship = serializers.IntegerField(source="mentorship_id", allow_null=True)
    recipient_role = serializers.SerializerMethodField()
    manual = serializers.SerializerMethodField(help_text="sent by a program manager")

    def get_recipient_role(self, nudge: object) -> str:
        return recipient_role_label(nudge)  # type: ignore[arg-type]

    def get_manual(self, nudge: object) -> bool:
        return getattr(nudge, "sent_by_id", None) is not None


class ProgramNudgesApi(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    @extend_schema(
        operation_id="nudges_program_list",
        parameters=[
            OpenApiParameter("page", int, required=False),
            OpenApiParameter("rule", str, required=False, description=RULE_HELP),
        ],
        responses=NudgeOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The program's nudges, newest first, 50 a page: when, which rule, which mentorship,
        the recipient's role. Never what anyone wrote."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        rule = request.query_params.get("rule", "")
        if rule and rule not in Rule.values:
            return refusal(ApplicationError(f"Rule: choose one of {', '.join(Rule.values)}."))
        paginator = NudgePagination()
        page = paginator.paginate_queryset(
            nudge_list_for_program(program=program, rule=rule), request, view=self
        )
        return paginator.get_paginated_response(NudgeOutput(page, many=True).data)


class MentorshipNudgeApi(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    @extend_schema(
        operation_id="nudges_mentorship_nudge",
        request=None,
        responses={201: NudgeOutput(many=True), 400: ErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Remind the mentorship's members (once a day per mentorship)."""
        mentorship = mentorship_get_for_manager(
            membership=self.membership, mentorship_id=mentorship_id
        )
        try:
            sent = nudge_send_manual(actor=self.membership, mentorship=mentorship)
        except ApplicationError as error:
            return refusal(error)
        return Response(NudgeOutput(sent, many=True).data, status=status.HTTP_201_CREATED)
