"""REST endpoints of the mentorship lifecycle, over the same services as the pages.

Members: their mentorships, one room's summary with the agreement, editing and accepting the
agreement, ending no-fault. A program's managers and admins: the program's mentorships and one
mentorship's overview (metadata only), and extending one. Non-members of a room get 404 — managers
and admins too; refusals answer 400 with the reason in ``detail``.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.mentorships import selectors as mentorship_selectors
from twoway.mentorships.models import Mentorship
from twoway.mentorships.services import REASON_MAX_CHARS, mentorship_end_early, mentorship_extend
from twoway.programs.selectors import program_get_for_manager
from twoway.rooms.access import Seat, mentorship_get_for_manager
from twoway.rooms.api import RoomAPIView
from twoway.rooms.models import TEXT_MAX_CHARS
from twoway.rooms.selectors.room import mentorship_overview, room_shell
from twoway.rooms.selectors.work import goal_status_by_mentorship
from twoway.rooms.services.agreement import (
    RHYTHM_WEEKS,
    SESSION_MINUTES,
    agreement_accept,
    agreement_update,
)

# Plain strings with their values listed: choice fields would collide with the other "status"
# enums of the schema.
MEMBER_STATUS_HELP = "One of: agreement_pending, active, completed, ended (no-fault)"
STATUS_HELP = "One of: " + ", ".join(Mentorship.Status.values)
GOAL_HELP = "One of: on_track, behind, done, none"
PAGE_SIZE = 25


def member_status(mentorship: Mentorship) -> str:
    """What members see: an early end is just "ended"."""
    if mentorship.status == Mentorship.Status.ENDED_EARLY:
        return "ended"
    return str(mentorship.status)


class RoomErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class RoomMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="person.full_name")
    role = serializers.CharField()


class MyMentorshipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.IntegerField(source="program_id")
    program_name = serializers.CharField(source="program.name")
    kind = serializers.CharField()
    status = serializers.SerializerMethodField(help_text=MEMBER_STATUS_HELP)
    others = RoomMemberOutput(many=True)
    next_session_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, obj: Mentorship) -> str:
        return member_status(obj)


class StatementOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.person.full_name")
    role = serializers.CharField(source="member.role")
    wants_to_learn = serializers.CharField(source="statement.wants_to_learn", default="")
    offers = serializers.CharField(source="statement.offers", default="")
    accepted = serializers.BooleanField()
    accepted_at = serializers.DateTimeField(source="statement.accepted_at", default=None)


class AgreementOutput(serializers.Serializer):
    version = serializers.IntegerField()
    rhythm_weeks = serializers.IntegerField()
    session_minutes = serializers.IntegerField()
    confidentiality = serializers.CharField()
    agreed_at = serializers.DateTimeField(allow_null=True)


class RoomOutput(serializers.Serializer):
    id = serializers.IntegerField(source="mentorship.pk")
    program = serializers.IntegerField(source="mentorship.program_id")
    program_name = serializers.CharField(source="mentorship.program.name")
    kind = serializers.CharField(source="mentorship.kind")
    status = serializers.CharField(help_text=MEMBER_STATUS_HELP)
    is_live = serializers.BooleanField()
    started_at = serializers.DateTimeField(source="mentorship.started_at")
    ends_on = serializers.DateField(source="mentorship.ends_on", allow_null=True)
    members = RoomMemberOutput(many=True)
    agreement = AgreementOutput(allow_null=True)
    statements = StatementOutput(many=True)
    has_accepted = serializers.BooleanField()


class AgreementUpdateInput(serializers.Serializer):
    wants_to_learn = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX_CHARS
    )
    offers = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_CHARS)
    rhythm_weeks = serializers.IntegerField(
        required=False, min_value=RHYTHM_WEEKS[0], max_value=RHYTHM_WEEKS[1]
    )
    session_minutes = serializers.IntegerField(
        required=False, min_value=SESSION_MINUTES[0], max_value=SESSION_MINUTES[1]
    )


class MentorshipEndInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_MAX_CHARS, default=""
    )
    rematch = serializers.BooleanField(required=False, default=False)


class MentorshipExtendInput(serializers.Serializer):
    until = serializers.DateField()


class ManagedMentorshipOutput(serializers.Serializer):
    """Metadata only: no statement, no reason, no goal title."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    members = RoomMemberOutput(many=True, source="members.all")
    started_at = serializers.DateTimeField()
    ends_on = serializers.DateField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    sessions_held = serializers.IntegerField()
    next_session_at = serializers.DateTimeField(allow_null=True)
    goal_status = serializers.CharField(help_text=GOAL_HELP)
    rematch_requested_by = serializers.CharField(source="rematch_by")


class ManagedMentorshipPageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ManagedMentorshipOutput(many=True)


class SessionCountsOutput(serializers.Serializer):
    held = serializers.IntegerField()
    upcoming = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class SessionDateOutput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    status = serializers.CharField()


class MentorshipOverviewOutput(serializers.Serializer):
    id = serializers.IntegerField(source="mentorship.pk")
    program = serializers.IntegerField(source="mentorship.program_id")
    kind = serializers.CharField(source="mentorship.kind")
    status = serializers.CharField(source="mentorship.status", help_text=STATUS_HELP)
    members = RoomMemberOutput(many=True)
    started_at = serializers.DateTimeField(source="mentorship.started_at")
    ends_on = serializers.DateField(source="mentorship.ends_on", allow_null=True)
    ended_at = serializers.DateTimeField(source="mentorship.ended_at", allow_null=True)
    agreement_accepted_on = serializers.SerializerMethodField()
    sessions = SessionCountsOutput(source="counts")
    session_dates = SessionDateOutput(many=True)
    goal_status = serializers.CharField(help_text=GOAL_HELP)
    rematch_requested_by = serializers.CharField(source="rematch_by")

    def get_agreement_accepted_on(self, obj: dict[str, Any]) -> str | None:
        agreed_at = obj["agreed_at"]
        return timezone.localdate(agreed_at).isoformat() if agreed_at else None


class _RoomApi(RoomAPIView):
    def room(self, seat: Seat) -> Response:
        # Fetched again so the answer shows what the write stored.
        seat = self.seat(seat.mentorship.pk)
        shell = room_shell(organisation=self.organisation, seat=seat)
        shell["status"] = member_status(seat.mentorship)
        return Response(RoomOutput(shell).data)


class MyMentorshipsApi(_RoomApi):
    @extend_schema(operation_id="mentorships_mine", responses=MyMentorshipOutput(many=True))
    def get(self, request: Request, org_slug: str) -> Response:
        """My mentorships, live ones first, with the other members and the next session."""
        found = mentorship_selectors.mentorship_list_for_member(
            membership=self.membership, now=timezone.now()
        )
        return Response(MyMentorshipOutput(found, many=True).data)


class RoomApi(_RoomApi):
    @extend_schema(operation_id="mentorship_room", responses=RoomOutput)
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """A room I am a member of: members, status and the agreement with each statement."""
        return self.room(self.seat(mentorship_id))


class AgreementUpdateApi(_RoomApi):
    @extend_schema(
        operation_id="mentorship_agreement_update",
        request=AgreementUpdateInput,
        responses={200: RoomOutput, 400: RoomErrorOutput},
    )
    def patch(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Edit my statement and/or the shared terms. After anyone accepted, a change makes a
        new version the others must accept again."""
        seat = self.seat(mentorship_id)
        payload = AgreementUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        shell = room_shell(organisation=self.organisation, seat=seat)
        mine = shell["my_statement"]
        try:
            agreement_update(
                seat=seat,
                wants_to_learn=data.get("wants_to_learn", mine.wants_to_learn if mine else ""),
                offers=data.get("offers", mine.offers if mine else ""),
                rhythm_weeks=data.get("rhythm_weeks"),
                session_minutes=data.get("session_minutes"),
            )
        except ApplicationError as error:
            return refusal(error)
        return self.room(seat)


class AgreementAcceptApi(_RoomApi):
    @extend_schema(
        operation_id="mentorship_agreement_accept",
        request=None,
        responses={200: RoomOutput, 400: RoomErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """Accept the agreement's current version (my statement must be filled in)."""
        seat = self.seat(mentorship_id)
        try:
            agreement_accept(seat=seat)
        except ApplicationError as error:
            return refusal(error)
        return self.room(seat)


class MentorshipEndApi(_RoomApi):
    @extend_schema(
        operation_id="mentorship_end",
        request=MentorshipEndInput,
        responses={200: RoomOutput, 400: RoomErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """End the mentorship, no-fault. The reason stays mine; the others see "ended"."""
        seat = self.seat(mentorship_id)
        payload = MentorshipEndInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            mentorship_end_early(
                seat=seat,
                reason=payload.validated_data["reason"],
                rematch=payload.validated_data["rematch"],
            )
        except ApplicationError as error:
            return refusal(error)
        return self.room(seat)


class ProgramMentorshipsApi(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    @extend_schema(
        operation_id="mentorships_of_program",
        parameters=[
            OpenApiParameter("q", str, required=False, description="A member's name"),
            OpenApiParameter("status", str, required=False, description=STATUS_HELP),
            OpenApiParameter("page", int, required=False),
        ],
        responses=ManagedMentorshipPageOutput,
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """For the program's managers: its mentorships, metadata only, 25 a page."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        mentorships = mentorship_selectors.mentorship_list_for_program(
            program=program,
            now=timezone.now(),
            q=request.query_params.get("q", "").strip()[:100],
            status=request.query_params.get("status", ""),
        )
        page = Paginator(mentorships, PAGE_SIZE).get_page(request.query_params.get("page"))
        rows = list(page.object_list)
        goals = goal_status_by_mentorship(
            organisation=self.organisation, mentorship_ids=[m.pk for m in rows]
        )
        for mentorship in rows:
            mentorship.goal_status = goals.get(mentorship.pk, "none")  # type: ignore[attr-defined]
            mentorship.rematch_by = mentorship_selectors.rematch_name(mentorship)  # type: ignore[attr-defined]
        return Response(
            ManagedMentorshipPageOutput(
                {
                    "count": page.paginator.count,
                    "page": page.number,
                    "pages": page.paginator.num_pages,
                    "results": rows,
                }
            ).data
        )


class _ManagerApi(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    def overview(self, mentorship_id: int) -> Response:
        mentorship = mentorship_get_for_manager(
            membership=self.membership, mentorship_id=mentorship_id
        )
        found = mentorship_overview(
            organisation=self.organisation, mentorship=mentorship, now=timezone.now()
        )
        return Response(MentorshipOverviewOutput(found).data)


class MentorshipOverviewApi(_ManagerApi):
    @extend_schema(operation_id="mentorship_overview", responses=MentorshipOverviewOutput)
    def get(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """For the program's managers: one mentorship's dates, counts and statuses."""
        return self.overview(mentorship_id)


class MentorshipExtendApi(_ManagerApi):
    @extend_schema(
        operation_id="mentorship_extend",
        request=MentorshipExtendInput,
        responses={200: MentorshipOverviewOutput, 400: RoomErrorOutput},
    )
    def post(self, request: Request, org_slug: str, mentorship_id: int) -> Response:
        """For the program's managers: let a live mentorship run until a later day."""
        mentorship = mentorship_get_for_manager(
            membership=self.membership, mentorship_id=mentorship_id
        )
        payload = MentorshipExtendInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            mentorship_extend(
                actor=request.user,
                membership=self.membership,
                mentorship=mentorship,
                until=payload.validated_data["until"],
            )
        except ApplicationError as error:
            return refusal(error)
        return self.overview(mentorship_id)
