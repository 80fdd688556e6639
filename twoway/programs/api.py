"""REST endpoints for programs, over the same selectors, services and access rules as the pages:
any member lists what they may see; program managers and admins create; only a program's
managers (and admins) read its full design, change it and move it through its lifecycle."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
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
from twoway.programs.models import EligibilityRule, Program
from twoway.programs.playbooks import BUILTIN_PLAYBOOKS, CHECKLIST, CHECKLIST_KEYS
from twoway.programs.serializers import (
    ChecklistStepOutputSerializer,
    ChecklistTickInputSerializer,
    EligibilityInputSerializer,
    EligibilityRuleOutputSerializer,
    ErrorOutputSerializer,
    ManagersInputSerializer,
    PlaybookListOutputSerializer,
    PlaybookOutputSerializer,
    PlaybookSaveInputSerializer,
    ProgramCreateInputSerializer,
    ProgramDetailOutputSerializer,
    ProgramListFilterSerializer,
    ProgramListOutputSerializer,
    ProgramManagerOutputSerializer,
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
            format=data.get("program_format", ""),
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


def _unknown(what: str, ids: list[int], field: str) -> Response:
    """Ids that match nothing in this organisation (missing and foreign alike)."""
    listed = ", ".join(str(pk) for pk in ids)
    return Response(
        {"detail": f"No {what} in this organisation has the id {listed}.", "field": field},
        status=status.HTTP_400_BAD_REQUEST,
    )


ROLE_PARAMETER = OpenApiParameter(
    "role",
    str,
    OpenApiParameter.PATH,
    enum=EligibilityRule.Role.values,
    description="The role the rule is about.",
)
STEP_PARAMETER = OpenApiParameter(
    "step",
    str,
    OpenApiParameter.PATH,
    enum=[step.key for step in CHECKLIST],
    description="A step of the playbook checklist.",
)


def _eligibility_output(rule: EligibilityRule | None, role: str) -> dict[str, Any]:
    if rule is None:  # no rule yet: anyone may take the role
        values: dict[str, Any] = {
            "role": role,
            "min_level": None,
            "max_level": None,
            "min_tenure_months": None,
            "departments": [],
            "included": [],
            "excluded": [],
        }
        return EligibilityRuleOutputSerializer(values).data
    return EligibilityRuleOutputSerializer(
        {
            "role": rule.role,
            "min_level": rule.min_level,
            "max_level": rule.max_level,
            "min_tenure_months": rule.min_tenure_months,
            "departments": sorted(rule.departments.all(), key=lambda d: d.name),
            "included": sorted(rule.included.all(), key=lambda p: p.employee_id),
            "excluded": sorted(rule.excluded.all(), key=lambda p: p.employee_id),
        }
    ).data


class ProgramEligibilityApi(OrganisationAPIView):
    def _program(self, program_id: int, role: str) -> Program:
        program = selectors.program_get_for_manager(
            membership=self.membership, program_id=program_id
        )
        if role not in EligibilityRule.Role.values:
            raise Http404
        return program

    @extend_schema(
        operation_id="programs_eligibility_retrieve",
        parameters=[ROLE_PARAMETER],
        responses=EligibilityRuleOutputSerializer,
    )
    def get(self, request: Request, org_slug: str, program_id: int, role: str) -> Response:
        """Who may take ``role`` in a program the viewer manages (no rule: anyone)."""
        program = self._program(program_id, role)
        return Response(
            _eligibility_output(selectors.eligibility_get(program=program, role=role), role)
        )

    @extend_schema(
        operation_id="programs_eligibility_update",
        parameters=[ROLE_PARAMETER],
        request=EligibilityInputSerializer,
        responses={200: EligibilityRuleOutputSerializer, 400: ErrorOutputSerializer},
    )
    def put(self, request: Request, org_slug: str, program_id: int, role: str) -> Response:
        """Replace who may take ``role``: a level range on the organisation's ladder, a minimum
        tenure, departments, and people always or never eligible. Refused once the program
        runs."""
        program = self._program(program_id, role)
        data = EligibilityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        departments, missing = selectors.rows_by_id(
            selectors.department_list(organisation=self.organisation), values["departments"]
        )
        if missing:
            return _unknown("department", missing, "departments")
        people = selectors.people_for_eligibility(organisation=self.organisation)
        lists: dict[str, list[Any]] = {}
        for field in ("included", "excluded"):
            lists[field], missing = selectors.rows_by_id(people, values[field])
            if missing:
                return _unknown("person", missing, field)
        try:
            rule = services.eligibility_set(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                role=role,
                departments=departments,
                included=lists["included"],
                excluded=lists["excluded"],
                min_level=values["min_level"],
                max_level=values["max_level"],
                min_tenure_months=values["min_tenure_months"],
            )
        except ApplicationError as error:
            return _refused(error)
        return Response(
            _eligibility_output(selectors.eligibility_get(program=program, role=role), rule.role)
        )


class ProgramChecklistApi(OrganisationAPIView):
    @extend_schema(
        operation_id="programs_checklist_list",
        responses=ChecklistStepOutputSerializer(many=True),
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The playbook checklist of a program the viewer manages: the five steps, which are
        done and since when, and where each is done."""
        program = selectors.program_get_for_manager(
            membership=self.membership, program_id=program_id
        )
        rows = selectors.checklist_rows(program=program, org_slug=org_slug)
        return Response(ChecklistStepOutputSerializer(rows, many=True).data)


class ProgramChecklistStepApi(OrganisationAPIView):
    @extend_schema(
        operation_id="programs_checklist_tick",
        parameters=[STEP_PARAMETER],
        request=ChecklistTickInputSerializer,
        responses=ChecklistStepOutputSerializer(many=True),
    )
    def post(self, request: Request, org_slug: str, program_id: int, step: str) -> Response:
        """Tick a step (``done`` true, the default) or take the tick back (``done`` false);
        answers with the whole checklist."""
        program = selectors.program_get_for_manager(
            membership=self.membership, program_id=program_id
        )
        if step not in CHECKLIST_KEYS:
            raise Http404
        data = ChecklistTickInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        program = services.checklist_tick(
            actor=request.user,  # type: ignore[arg-type]
            program=program,
            step=step,
            done=data.validated_data["done"],
        )
        rows = selectors.checklist_rows(program=program, org_slug=org_slug)
        return Response(ChecklistStepOutputSerializer(rows, many=True).data)


class ProgramManagersApi(OrganisationAPIView):
    def _program(self, program_id: int) -> Program:
        return selectors.program_get_for_manager(membership=self.membership, program_id=program_id)

    def _output(self, program: Program) -> Response:
        managers = program.managers.order_by("display_name", "pk")
        return Response(ProgramManagerOutputSerializer(managers, many=True).data)

    @extend_schema(
        operation_id="programs_managers_list", responses=ProgramManagerOutputSerializer(many=True)
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The managers of a program the viewer manages."""
        return self._output(self._program(program_id))

    @extend_schema(
        operation_id="programs_managers_update",
        request=ManagersInputSerializer,
        responses={200: ProgramManagerOutputSerializer(many=True), 400: ErrorOutputSerializer},
    )
    def put(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Replace the managers: at least one, each an active member with the program manager
        role or above (an id that is not one answers like an unknown id)."""
        program = self._program(program_id)
        data = ManagersInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        users, missing = selectors.rows_by_id(
            selectors.manager_candidates(organisation=self.organisation),
            data.validated_data["managers"],
        )
        if missing:
            listed = ", ".join(str(pk) for pk in missing)
            return Response(
                {
                    "detail": f"User {listed} cannot manage programs here: managers must be "
                    "program managers or admins of this organisation.",
                    "field": "managers",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            program = services.program_set_managers(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                managers=users,
            )
        except ApplicationError as error:
            return _refused(error)
        return self._output(program)


class ProgramSaveAsPlaybookApi(OrganisationAPIView):
    @extend_schema(
        operation_id="programs_save_as_playbook",
        request=PlaybookSaveInputSerializer,
        responses={201: PlaybookOutputSerializer, 400: ErrorOutputSerializer},
    )
    def post(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Save the design of a program the viewer manages as one of the organisation's own
        playbooks (no dates, no people). Names are unique in the organisation."""
        program = selectors.program_get_for_manager(
            membership=self.membership, program_id=program_id
        )
        data = PlaybookSaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            playbook = services.playbook_save_from_program(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                name=data.validated_data["name"],
            )
        except ApplicationError as error:
            return _refused(error)
        return Response(PlaybookOutputSerializer(playbook).data, status=status.HTTP_201_CREATED)


class PlaybookListApi(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    @extend_schema(operation_id="playbooks_list", responses=PlaybookListOutputSerializer)
    def get(self, request: Request, org_slug: str) -> Response:
        """The playbooks a program can be created from: the built-in ones and the
        organisation's own. Program managers and admins only."""
        return Response(
            PlaybookListOutputSerializer(
                {
                    "builtin": BUILTIN_PLAYBOOKS,
                    "organisation": selectors.playbook_list(organisation=self.organisation),
                }
            ).data
        )
