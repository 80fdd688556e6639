"""REST endpoints of matching for program managers and admins, over the same selectors and
services as the pages: runs, their progress and summary, the draft's proposals and unmatched,
lock, remove, swap, add a pair by hand (a warning answers 409 until ``confirm_warning``; a broken
rule answers 400 naming it), publish, and the matching settings. Anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.matching import selectors, services
from twoway.matching.engine import Criterion, Weight
from twoway.matching.models import MatchRun, Proposal, UnmatchedEntry
from twoway.programs.selectors import program_get_for_manager


class MatchingErrorOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    rule = serializers.CharField(required=False)
    warning = serializers.CharField(required=False)


def _refused(error: ApplicationError) -> Response:
    body: dict[str, Any] = {"detail": error.message}
    if isinstance(error, services.NeedsConfirmation):
        body["warning"] = error.warning
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(error, services.RuleBroken):
        body["rule"] = error.rule
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class MatchingRunOutputSerializer(serializers.ModelSerializer):
    gap = serializers.FloatField(read_only=True)
    proposals_url = serializers.SerializerMethodField()

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "program",
            "kind",
            "status",
            "step",
            "progress",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "matched",
            "unmatched",
            "total_score",
            "upper_bound",
            "gap",
            "participation_proven",
            "seconds",
            "published_at",
            "proposals_url",
        ]

    def get_proposals_url(self, run: MatchRun) -> str:
        return f"/api/o/{run.program.organisation.slug}/matching/runs/{run.pk}/proposals/"


class MatchingMemberOutputSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    name = serializers.CharField(source="application.person.full_name")
    role = serializers.CharField()


class MatchingProposalOutputSerializer(serializers.ModelSerializer):
    members = MatchingMemberOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "score", "breakdown", "reason", "locked", "manual", "warning", "members"]


class MatchingUnmatchedOutputSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    name = serializers.CharField(source="application.person.full_name")

    class Meta:
        model = UnmatchedEntry
        fields = ["application", "name", "rule", "reason"]


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = 100


class ManagerAPIView(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    def run(self, run_id: int) -> MatchRun:
        return selectors.run_get_for_manager(membership=self.membership, run_id=run_id)

    def proposal(self, proposal_id: int) -> Proposal:
        return selectors.proposal_get_for_manager(
            membership=self.membership, proposal_id=proposal_id
        )


class RunListApi(ManagerAPIView):
    @extend_schema(
        operation_id="matching_runs_list", responses=MatchingRunOutputSerializer(many=True)
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The program's matching runs, newest first (the last 50)."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        runs = selectors.run_list(program=program).select_related("program__organisation")[:50]
        return Response(MatchingRunOutputSerializer(runs, many=True).data)

    @extend_schema(
        operation_id="matching_runs_create",
        request=None,
        responses={201: MatchingRunOutputSerializer, 400: MatchingErrorOutputSerializer},
    )
    def post(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Queue a run (the program must be in matching); locked proposals of the latest
        unpublished run are kept. Poll the run for its progress."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        try:
            run = services.match_run_start(actor=request.user, program=program)
        except ApplicationError as error:
            return _refused(error)
        run.refresh_from_db()
        return Response(MatchingRunOutputSerializer(run).data, status=status.HTTP_201_CREATED)


class RunDetailApi(ManagerAPIView):
    @extend_schema(operation_id="matching_runs_retrieve", responses=MatchingRunOutputSerializer)
    def get(self, request: Request, org_slug: str, run_id: int) -> Response:
        """A run's status, progress and summary."""
        return Response(MatchingRunOutputSerializer(self.run(run_id)).data)


class ProposalListApi(ManagerAPIView, generics.ListAPIView):
    serializer_class = MatchingProposalOutputSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Proposal]:
        run = self.run(self.kwargs["run_id"])
        return selectors.proposal_list(run=run, search=self.request.query_params.get("q", ""))

    @extend_schema(
        operation_id="matching_proposals_list",
        parameters=[OpenApiParameter("q", str, description="part of a member's name")],
        responses=MatchingProposalOutputSerializer(many=True),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The run's proposals, best first, 25 a page."""
        return super().get(request, *args, **kwargs)


class MatchingAddInputSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(help_text="the mentor's application id")
    mentee = serializers.IntegerField(help_text="the mentee's application id")
    confirm_warning = serializers.BooleanField(default=False)


class ProposalAddApi(ManagerAPIView):
    @extend_schema(
        operation_id="matching_proposals_create",
        request=MatchingAddInputSerializer,
        responses={
            201: MatchingProposalOutputSerializer,
            400: MatchingErrorOutputSerializer,
            409: MatchingErrorOutputSerializer,
        },
    )
    def post(self, request: Request, org_slug: str, run_id: int) -> Response:
        """Add a pair by hand (locked). A broken hard rule: 400 with ``rule``; a mentor at
        capacity or a person already placed: 409 with ``warning``, until sent again with
        ``confirm_warning: true``."""
        run = self.run(run_id)
        data = MatchingAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            proposal = services.proposal_add(
                actor=request.user,
                run=run,
                mentor=selectors.application_get_for_run(run=run, application_id=values["mentor"]),
                mentee=selectors.application_get_for_run(run=run, application_id=values["mentee"]),
                confirm_warning=values["confirm_warning"],
            )
        except ApplicationError as error:
            return _refused(error)
        proposal = selectors.proposal_list(run=run).get(pk=proposal.pk)
        return Response(
            MatchingProposalOutputSerializer(proposal).data, status=status.HTTP_201_CREATED
        )


class UnmatchedListApi(ManagerAPIView, generics.ListAPIView):
    serializer_class = MatchingUnmatchedOutputSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[UnmatchedEntry]:
        return selectors.unmatched_list(run=self.run(self.kwargs["run_id"]))

    @extend_schema(
        operation_id="matching_unmatched_list",
        responses=MatchingUnmatchedOutputSerializer(many=True),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Who the run could not place, with the rule that stopped them and why."""
        return super().get(request, *args, **kwargs)


class MatchingLockInputSerializer(serializers.Serializer):
    locked = serializers.BooleanField()


class ProposalLockApi(ManagerAPIView):
    @extend_schema(
        operation_id="matching_proposals_lock",
        request=MatchingLockInputSerializer,
        responses={200: MatchingProposalOutputSerializer, 400: MatchingErrorOutputSerializer},
    )
    def post(self, request: Request, org_slug: str, proposal_id: int) -> Response:
        """Lock (kept by the next run) or unlock a proposal."""
        proposal = self.proposal(proposal_id)
        data = MatchingLockInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.proposal_lock(
                actor=request.user, proposal=proposal, locked=data.validated_data["locked"]
            )
        except ApplicationError as error:
            return _refused(error)
        proposal = selectors.proposal_list(run=proposal.run).get(pk=proposal.pk)
        return Response(MatchingProposalOutputSerializer(proposal).data)


class ProposalDetailApi(ManagerAPIView):
    @extend_schema(
        operation_id="matching_proposals_destroy",
        responses={204: None, 400: MatchingErrorOutputSerializer},
    )
    def delete(self, request: Request, org_slug: str, proposal_id: int) -> Response:
        """Remove a proposal from the draft; its people are listed as unplaced."""
        proposal = self.proposal(proposal_id)
        try:
            services.proposal_remove(actor=request.user, proposal=proposal)
        except ApplicationError as error:
            return _refused(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MatchingSwapInputSerializer(serializers.Serializer):
    first = serializers.IntegerField(help_text="a proposal id")
    second = serializers.IntegerField(help_text="another proposal id of the same run")


class SwapApi(ManagerAPIView):
    @extend_schema(
        operation_id="matching_proposals_swap",
        request=MatchingSwapInputSerializer,
        responses={
            200: MatchingProposalOutputSerializer(many=True),
            400: MatchingErrorOutputSerializer,
        },
    )
    def post(self, request: Request, org_slug: str, run_id: int) -> Response:
        """Exchange the mentors of two pairs; refused with ``rule`` when a new pair breaks one."""
        run = self.run(run_id)
        data = MatchingSwapInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposals = selectors.proposal_list(run=run)
        first = proposals.filter(pk=data.validated_data["first"]).first()
        second = proposals.filter(pk=data.validated_data["second"]).first()
        if first is None or second is None:
            return Response(
                {"detail": "Both proposals must belong to this run."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            services.proposal_swap(actor=request.user, first=first, second=second)
        except ApplicationError as error:
            return _refused(error)
        changed = proposals.filter(pk__in=[first.pk, second.pk])
        return Response(MatchingProposalOutputSerializer(changed, many=True).data)


class PublishApi(ManagerAPIView):
    @extend_schema(
        operation_id="matching_runs_publish",
        request=None,
        responses={200: MatchingRunOutputSerializer, 400: MatchingErrorOutputSerializer},
    )
    def post(self, request: Request, org_slug: str, run_id: int) -> Response:
        """Publish the latest finished run: mentorships are created and every member is
        emailed; publishing twice is refused."""
        run = self.run(run_id)
        try:
            run = services.match_run_publish(
                actor=request.user,
                run=run,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ApplicationError as error:
            return _refused(error)
        return Response(MatchingRunOutputSerializer(self.run(run.pk)).data)


class MatchingSettingsSerializer(serializers.Serializer):
    weights = serializers.DictField(
        child=serializers.CharField(),
        help_text="criterion → weight; criteria: "
        + ", ".join(c.value for c in Criterion)
        + "; weights: "
        + ", ".join(w.value for w in Weight),
    )
    min_shared_hours = serializers.IntegerField()
    load_spreading = serializers.BooleanField()
    self_service = serializers.BooleanField()
    request_days = serializers.IntegerField()


class SettingsApi(ManagerAPIView):
    def _output(self, settings: Any) -> dict[str, Any]:
        return {
            "weights": services.weights_effective(settings),
            "min_shared_hours": settings.min_shared_hours,
            "load_spreading": settings.load_spreading,
            "self_service": settings.self_service,
            "request_days": settings.request_days,
        }

    @extend_schema(operation_id="matching_settings_retrieve", responses=MatchingSettingsSerializer)
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """How the program matches: every criterion's weight and the options."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        return Response(self._output(services.matching_settings_get_or_create(program=program)))

    @extend_schema(
        operation_id="matching_settings_update",
        request=MatchingSettingsSerializer,
        responses={200: MatchingSettingsSerializer, 400: MatchingErrorOutputSerializer},
    )
    def put(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Change the settings; an unknown criterion or weight is refused naming it."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        data = MatchingSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            settings = services.matching_settings_update(
                actor=request.user, program=program, **data.validated_data
            )
        except ApplicationError as error:
            return _refused(error)
        return Response(self._output(settings))
