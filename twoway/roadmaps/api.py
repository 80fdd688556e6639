"""REST endpoints of Roadmaps over the same selectors and services as the pages.

The library and a roadmap's detail are for the organisation's members; writing roadmaps for
their authors; a mentorship's assignments and progress for its members only (404 for anyone
else, managers included); a program's assignments for its managers, as counts. A refusal
answers 400 with the reason in ``detail``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.programs.selectors import program_get_for_manager
from twoway.roadmaps import selectors, services
from twoway.roadmaps.access import roadmap_get_for_author, roadmap_get_readable
from twoway.rooms.api import RoomAPIView

AGENDA_HELP = "a built-in agenda key (kickoff, digital_world, …) or empty"


class RoadmapErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class RoadmapListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField())
    program = serializers.IntegerField(source="program_id", allow_null=True)
    builtin_key = serializers.CharField()
    version = serializers.IntegerField(source="current_version.number", allow_null=True)
    step_count = serializers.IntegerField()


class RoadmapBuiltinOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField())
    step_count = serializers.SerializerMethodField()

    def get_step_count(self, obj: Any) -> int:
        return len(obj.steps)


class RoadmapLibraryOutput(serializers.Serializer):
    roadmaps = RoadmapListOutput(many=True)
    builtins = RoadmapBuiltinOutput(many=True, help_text="built-in roadmaps not adopted yet")


class RoadmapResourceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="a link, or empty for a file")
    is_file = serializers.SerializerMethodField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()

    def get_is_file(self, obj: Any) -> bool:
        return bool(obj.file)


class RoadmapStepOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(help_text="Markdown as written")
    description_html = serializers.CharField(help_text="rendered and sanitised")
    effort_minutes = serializers.IntegerField()
    agenda_key = serializers.CharField(help_text=AGENDA_HELP)
    resources = RoadmapResourceOutput(many=True, source="resources.all")


class RoadmapDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField())
    program = serializers.IntegerField(source="program_id", allow_null=True)
    is_archived = serializers.BooleanField()
    version = serializers.IntegerField(source="current_version.number", allow_null=True)
    steps = RoadmapStepOutput(many=True)


class RoadmapStepInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    effort_minutes = serializers.IntegerField(required=False, default=60)
    agenda_key = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=AGENDA_HELP
    )
    source_step = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="id of the current version's step this one keeps (its resources are copied)",
    )


def _steps(data: list[dict[str, Any]]) -> list[services.StepInput]:
    return [
        services.StepInput(
            title=row["title"],
            description=row["description"],
            effort_minutes=row["effort_minutes"],
            agenda_key=row["agenda_key"],
            source_step_id=row["source_step"],
        )
        for row in data
    ]


class RoadmapCreateInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    formats = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    program = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="a program you manage, or null"
    )
    steps = RoadmapStepInput(many=True, required=False, default=list)


class RoadmapReviseInput(serializers.Serializer):
    steps = RoadmapStepInput(many=True)
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


def _detail(roadmap: Any) -> dict[str, Any]:
    roadmap.steps = selectors.steps_of_version(version_id=roadmap.current_version_id)
    return RoadmapDetailOutput(roadmap).data


class LibraryApi(OrganisationAPIView):
    @extend_schema(
        operation_id="roadmaps_library",
        parameters=[OpenApiParameter("q", str, required=False)],
        responses=RoadmapLibraryOutput,
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """The organisation's roadmaps (and those of programs I manage), and built-ins."""
        search = request.query_params.get("q", "").strip()[:100]
        roadmaps = selectors.roadmap_list_for_library(membership=self.membership, search=search)
        builtins = selectors.builtin_list_unadopted(membership=self.membership, search=search)
        return Response(RoadmapLibraryOutput({"roadmaps": roadmaps, "builtins": builtins}).data)

    @extend_schema(
        operation_id="roadmaps_create",
        request=RoadmapCreateInput,
        responses={201: RoadmapDetailOutput, 400: RoadmapErrorOutput},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Write a roadmap (admins: for the organisation; managers: for a program of theirs)."""
        payload = RoadmapCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        program = None
        if data["program"] is not None:
            program = program_get_for_manager(
                membership=self.membership, program_id=data["program"]
            )
        elif not self.membership.has_role(Role.ADMIN):
            # Organisation roadmaps are the admins': anyone else gets what a missing one gives.
            raise Http404
        try:
            roadmap = services.roadmap_create(
                membership=self.membership,
                title=data["title"],
                summary=data["summary"],
                formats=data["formats"],
                program=program,
                steps=_steps(data["steps"]),
            )
        except ApplicationError as error:
            return refusal(error)
        roadmap = roadmap_get_readable(membership=self.membership, roadmap_id=roadmap.pk)
        return Response(_detail(roadmap), status=status.HTTP_201_CREATED)


class RoadmapDetailApi(OrganisationAPIView):
    @extend_schema(operation_id="roadmaps_detail", responses=RoadmapDetailOutput)
    def get(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        """A roadmap with the steps and resources of its current version."""
        roadmap = roadmap_get_readable(membership=self.membership, roadmap_id=roadmap_id)
        return Response(_detail(roadmap))


class RoadmapVersionsApi(OrganisationAPIView):
    @extend_schema(
        operation_id="roadmaps_revise",
        request=RoadmapReviseInput,
        responses={201: RoadmapDetailOutput, 400: RoadmapErrorOutput},
    )
    def post(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        """Revise: a new version with these steps becomes current; followers keep theirs."""
        roadmap = roadmap_get_for_author(membership=self.membership, roadmap_id=roadmap_id)
        payload = RoadmapReviseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            services.roadmap_revise(
                membership=self.membership,
                roadmap=roadmap,
                steps=_steps(data["steps"]),
                change_note=data["change_note"],
            )
        except ApplicationError as error:
            return refusal(error)
        roadmap = roadmap_get_readable(membership=self.membership, roadmap_id=roadmap.pk)
        return Response(_detail(roadmap), status=status.HTTP_201_CREATED)


class RoadmapMemberProgressOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.person.full_name")
    done = serializers.IntegerField()


class RoadmapAssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="assignment.pk")
    roadmap = serializers.IntegerField(source="assignment.roadmap_id")
    title = serializers.CharField(source="assignment.roadmap.title")
    version = serializers.IntegerField(source="assignment.version.number")
    completed_at = serializers.DateTimeField(source="assignment.completed_at", allow_null=True)
    total = serializers.IntegerField()
    my_done = serializers.IntegerField()
    my_done_steps = serializers.ListField(child=serializers.IntegerField(), source="my_done_list")
    members = RoadmapMemberProgressOutput(many=True)
    next_step = serializers.IntegerField(source="next_step.pk", allow_null=True, default=None)
    steps = RoadmapStepOutput(many=True)


class RoadmapAssignInput(serializers.Serializer):
    roadmap = serializers.IntegerField(required=False, allow_null=True, default=None)
    builtin_key = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="follow a built-in roadmap"
    )


def _assignment_out(progress: Any) -> dict[str, Any]:
    progress.my_done_list = sorted(progress.my_done_ids)
    return RoadmapAssignmentOutput(progress).data


class RoomAssignmentsApi(RoomAPIView):
    @extend_schema(
        operation_id="roadmaps_room_assignments", responses=RoadmapAssignmentOutput(many=True)
    )
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """The roadmaps this mentorship follows, with each member's progress."""
        seat = self.seat(mentorship_id)
        rows = selectors.roadmap_for_room(seat=seat)["roadmap_progress"]
        return Response([_assignment_out(p) for p in rows])

    @extend_schema(
        operation_id="roadmaps_room_assign",
        request=RoadmapAssignInput,
        responses={201: RoadmapAssignmentOutput, 400: RoadmapErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Follow a roadmap (one of ours, or a built-in one by key)."""
        seat = self.seat(mentorship_id)
        payload = RoadmapAssignInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            if data["builtin_key"]:
                roadmap = services.roadmap_adopt_builtin(
                    membership=self.membership, key=data["builtin_key"]
                )
            elif data["roadmap"] is not None:
                roadmap = selectors.roadmap_get_for_mentorship(
                    membership=self.membership,
                    mentorship=seat.mentorship,
                    roadmap_id=data["roadmap"],
                )
            else:
                raise ApplicationError("Roadmap: give a roadmap id or a builtin_key.")
            assignment = services.roadmap_assign(
                membership=self.membership, mentorship=seat.mentorship, roadmap=roadmap
            )
        except ApplicationError as error:
            return refusal(error)
        progress = selectors.assignment_progress_in_room(seat=seat, assignment_id=assignment.pk)
        return Response(_assignment_out(progress), status=status.HTTP_201_CREATED)


class RoomAssignmentApi(RoomAPIView):
    @extend_schema(
        operation_id="roadmaps_room_unassign",
        request=None,
        responses={204: None, 400: RoadmapErrorOutput},
    )
    def delete(
        self, request: Request, org_slug: str, mentorship_id: int, assignment_id: int
    ) -> Response:
        """Stop following the roadmap (everyone's ticks on it go)."""
        seat = self.seat(mentorship_id)
        assignment = selectors.assignment_get_in_room(seat=seat, assignment_id=assignment_id)
        try:
            services.roadmap_unassign(membership=self.membership, assignment=assignment)
        except ApplicationError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepDoneApi(RoomAPIView):
    def _target(self, mentorship_id: int, assignment_id: int, step_id: int) -> tuple:
        seat = self.seat(mentorship_id)
        assignment = selectors.assignment_get_in_room(seat=seat, assignment_id=assignment_id)
        step = selectors.step_get_in_assignment(assignment=assignment, step_id=step_id)
        return seat, assignment, step

    @extend_schema(
        operation_id="roadmaps_step_done",
        request=None,
        responses={200: RoadmapAssignmentOutput, 400: RoadmapErrorOutput},
    )
    def put(
        self, request: Request, org_slug: str, mentorship_id: int, assignment_id: int, step_id: int
    ) -> Response:
        """Mark the step done for me."""
        seat, assignment, step = self._target(mentorship_id, assignment_id, step_id)
        try:
            services.step_mark_done(seat=seat, assignment=assignment, step=step)
        except ApplicationError as error:
            return refusal(error)
        progress = selectors.assignment_progress_in_room(seat=seat, assignment_id=assignment.pk)
        return Response(_assignment_out(progress))

    @extend_schema(
        operation_id="roadmaps_step_undone",
        request=None,
        responses={200: RoadmapAssignmentOutput, 400: RoadmapErrorOutput},
    )
    def delete(
        self, request: Request, org_slug: str, mentorship_id: int, assignment_id: int, step_id: int
    ) -> Response:
        """Mark the step not done for me."""
        seat, assignment, step = self._target(mentorship_id, assignment_id, step_id)
        try:
            services.step_mark_undone(seat=seat, assignment=assignment, step=step)
        except ApplicationError as error:
            return refusal(error)
        progress = selectors.assignment_progress_in_room(seat=seat, assignment_id=assignment.pk)
        return Response(_assignment_out(progress))


class RoadmapProgramAssignmentOutput(serializers.Serializer):
    assignment = serializers.IntegerField()
    roadmap = serializers.IntegerField()
    title = serializers.CharField()
    percent = serializers.IntegerField(help_text="every member's ticks over every step")
    completed_at = serializers.DateTimeField(allow_null=True)


class RoadmapProgramMentorshipOutput(serializers.Serializer):
    mentorship = serializers.IntegerField()
    members = serializers.ListField(child=serializers.CharField(), help_text="names only")
    assignments = RoadmapProgramAssignmentOutput(many=True)


class ProgramAssignmentsApi(OrganisationAPIView):
    @extend_schema(
        operation_id="roadmaps_program_assignments",
        responses=RoadmapProgramMentorshipOutput(many=True),
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The program's mentorships and their roadmaps, as counts (managers and admins)."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        rows = []
        for mentorship in selectors.program_mentorships_with_roadmaps(program=program):
            members = list(mentorship.members.all())
            rows.append(
                {
                    "mentorship": mentorship.pk,
                    "members": [m.person.full_name for m in members],
                    "assignments": [
                        {
                            "assignment": a.pk,
                            "roadmap": a.roadmap_id,
                            "title": a.roadmap.title,
                            "percent": selectors.assignment_percent(a, len(members)),
                            "completed_at": a.completed_at,
                        }
                        for a in mentorship.roadmap_assignments.all()
                    ],
                }
            )
        return Response(RoadmapProgramMentorshipOutput(rows, many=True).data)
