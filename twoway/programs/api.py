"""REST endpoints for programs, over the same selectors, services and access rules as the pages:
any member lists what they may see; program managers and admins create; only a program's
managers (and admins) read its full design, change it and move it through its lifecycle."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Role
from twoway.programs import lifecycle, selectors, services
from twoway.programs.lifecycle import TRANSITIONS_BY_NAME
from twoway.programs.models import Program
from twoway.programs.serializers import (
    ErrorOutputSerializer,
    ProgramCreateInputSerializer,
    ProgramDetailOutputSerializer,
    ProgramListFilterSerializer,
    ProgramListOutputSerializer,
    ProgramUpdateInputSerializer,
)


def _refused(error: ApplicationError) -> Response:
    body: dict[str, Any] = {"detail": error.message}
    if "problems" in error.extra:
        body["problems"] = error.extra["problems"]
    if "field" in error.extra:
        body["field"] = error.extra["field"]
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _detail(program: Program, membership: Membership) -> dict[str, Any]:
    program = selectors.program_detail(program=program, membership=membership)
    return ProgramDetailOutputSerializer(program).data


class ProgramPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = 100


class ProgramListApi(OrganisationAPIView, generics.ListAPIView):
    serializer_class = ProgramListOutputSerializer
    pagination_class = ProgramPagination

    def get_queryset(self) -> QuerySet[Program]:
        filters = ProgramListFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.program_list_for_member(
            membership=self.membership,
            search=data.get("q", ""),
            status=data.get("status", ""),
            format=data.get("format", ""),
        )

    @extend_schema(
        operation_id="programs_list",
        parameters=[ProgramListFilterSerializer],
        responses=ProgramListOutputSerializer(many=True),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The programs the viewer may see, 25 a page, newest first: all (admins), the ones they
        manage (program managers), the ones they were invited to or applied to, and those open
        for applications (everyone)."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="programs_create",
        request=ProgramCreateInputSerializer,
        responses={201: ProgramDetailOutputSerializer, 400: ErrorOutputSerializer},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Create a draft program, from a built-in playbook, one of the organisation's own, or
        blank with a format. Program managers and admins only; the creator becomes a manager."""
        if not self.membership.has_role(Role.PROGRAM_MANAGER):
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        data = ProgramCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            if "format" in values:
                program = services.program_create(
                    actor=request.user,  # type: ignore[arg-type]
                    organisation=self.organisation,
                    name=values["name"],
                    format=values["format"],
                )
            else:
                own = None
                if "playbook_id" in values:
                    own = selectors.playbook_get(
                        organisation=self.organisation, playbook_id=values["playbook_id"]
                    )
                program = services.program_create_from_playbook(
                    actor=request.user,  # type: ignore[arg-type]
                    organisation=self.organisation,
                    name=values["name"],
                    playbook_key=values.get("playbook", ""),
                    playbook=own,
                )
        except ApplicationError as error:
            return _refused(error)
        return Response(_detail(program, self.membership), status=status.HTTP_201_CREATED)


class ProgramDetailApi(OrganisationAPIView):
    def _program(self, program_id: int) -> Program:
        return selectors.program_get_for_manager(membership=self.membership, program_id=program_id)

    @extend_schema(operation_id="programs_retrieve", responses=ProgramDetailOutputSerializer)
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The full design of a program the viewer manages."""
        return Response(_detail(self._program(program_id), self.membership))

    @extend_schema(
        operation_id="programs_partial_update",
        request=ProgramUpdateInputSerializer,
        responses={200: ProgramDetailOutputSerializer, 400: ErrorOutputSerializer},
    )
    def patch(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Change the design (the same rules as the design page: the format is fixed once
        enrolment opens, timeline and capacity once the program runs)."""
        program = self._program(program_id)
        data = ProgramUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            program = services.program_update(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                **data.validated_data,
            )
        except ApplicationError as error:
            return _refused(error)
        return Response(_detail(program, self.membership))


class ProgramTransitionApi(OrganisationAPIView):
    @extend_schema(
        operation_id="programs_transition",
        request=None,
        parameters=[
            OpenApiParameter(
                "name",
                str,
                OpenApiParameter.PATH,
                enum=sorted(TRANSITIONS_BY_NAME),
                description="The lifecycle step to take.",
            )
        ],
        responses={200: ProgramDetailOutputSerializer, 400: ErrorOutputSerializer},
    )
    def post(self, request: Request, org_slug: str, program_id: int, name: str) -> Response:
        """Move the program through its lifecycle. An illegal step is refused with a message
        saying why (and, for a program not ready, what is missing) and changes nothing."""
        program = selectors.program_get_for_manager(
            membership=self.membership, program_id=program_id
        )
        if name not in TRANSITIONS_BY_NAME:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        try:
            program = lifecycle.program_transition(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                name=name,
            )
        except ApplicationError as error:
            return _refused(error)
        return Response(_detail(program, self.membership))
