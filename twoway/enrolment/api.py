"""REST endpoints for invitations and applications, over the same services as the pages.

Participants: submit an application, read and withdraw their own, list their invitations.
Program managers (organisation admins, or managers of that program — anyone else gets 404):
list a program's applications, decide one or many, invite people, read the funnel, and list,
add, change, reorder and delete the program's own application questions.
Refusals answer 400 with the reason in ``detail``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView
from twoway.core.errors import ApplicationError, FileValidationError
from twoway.enrolment import availability, selectors, services
from twoway.enrolment.models import Application
from twoway.enrolment.serializers import (
    ApplicationListFilter,
    ApplicationManagerOutput,
    ApplicationOwnOutput,
    ApplicationSubmitInput,
    BulkDecisionInput,
    BulkDecisionOutput,
    EnrolmentErrorOutput,
    FunnelOutput,
    InvitationBatchOutput,
    InvitationManagerOutput,
    InvitationOwnOutput,
    InvitationSendInput,
    QuestionCreateInput,
    QuestionOutput,
    QuestionUpdateInput,
)
from twoway.enrolment.status import applicant_status
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.programs.selectors import program_get_for_manager


class ApplicantPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = 100


def _refusal(error: ApplicationError) -> Response:
    body: dict[str, Any] = {"detail": error.message}
    if "reasons" in error.extra:
        body["reasons"] = error.extra["reasons"]
    if isinstance(error, FileValidationError):
        body["rows"] = [
            {"row": e.row, "column": e.column, "reason": e.reason, "value": e.value}
            for e in error.report.errors
        ]
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class _ManagerAPIView(OrganisationAPIView):
    def program(self, program_id: int) -> Program:
        return program_get_for_manager(membership=self.membership, program_id=program_id)


def _own_output(application: Application) -> dict[str, Any]:
    today = selectors.organisation_today(application.program.organisation)
    application.status_text_value = applicant_status(  # type: ignore[attr-defined]
        program=application.program, application=application, invitation=None, today=today
    )
    application.availability_local = sorted(  # type: ignore[attr-defined]
        [day, hour]
        for day, hour in availability.utc_to_local_slots(
            application.availability_utc, application.time_zone, today
        )
    )
    return dict(ApplicationOwnOutput(application).data)


class MyApplicationsApi(OrganisationAPIView):
    @extend_schema(
        operation_id="enrolment_my_applications", responses=ApplicationOwnOutput(many=True)
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """My applications in this organisation, each with its status in plain words."""
        applications = (
            selectors.application_list_for_user(membership=self.membership)
            .select_related("program__organisation")
            .prefetch_related("shares", "learns", "interests")
        )
        return Response([_own_output(application) for application in applications])

    @extend_schema(
        operation_id="enrolment_application_submit",
        request=ApplicationSubmitInput,
        responses={201: ApplicationOwnOutput, 400: EnrolmentErrorOutput},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Apply to a program (refused, with the reason and nothing saved, when the rules say
        no)."""
        payload = ApplicationSubmitInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        program = selectors.program_get_for_applicant(
            membership=self.membership, program_id=data.pop("program")
        )
        diversity = data.pop("diversity", None)
        try:
            answers = {int(pk): value for pk, value in data.pop("answers").items()}
        except ValueError as error:
            raise ValidationError({"answers": "Keys are question ids."}) from error
        slots = [tuple(pair) for pair in data.pop("availability")]
        try:
            application = services.application_submit(
                actor=request.user,
                program=program,
                answers=answers,
                availability_slots=slots,
                diversity=services.DiversityInput(**diversity) if diversity else None,
                **data,
            )
        except ApplicationError as error:
            return _refusal(error)
        application = selectors.application_get_for_applicant(
            membership=self.membership, application_id=application.pk
        )
        return Response(_own_output(application), status=status.HTTP_201_CREATED)


class MyApplicationApi(OrganisationAPIView):
    @extend_schema(operation_id="enrolment_my_application", responses=ApplicationOwnOutput)
    def get(self, request: Request, org_slug: str, application_id: int) -> Response:
        application = selectors.application_get_for_applicant(
            membership=self.membership, application_id=application_id
        )
        return Response(_own_output(application))


class MyApplicationWithdrawApi(OrganisationAPIView):
    @extend_schema(
        operation_id="enrolment_application_withdraw",
        request=None,
        responses={200: ApplicationOwnOutput, 400: EnrolmentErrorOutput},
    )
    def post(self, request: Request, org_slug: str, application_id: int) -> Response:
        application = selectors.application_get_for_applicant(
            membership=self.membership, application_id=application_id
        )
        try:
            services.application_withdraw(actor=request.user, application=application)
        except ApplicationError as error:
            return _refusal(error)
        application.refresh_from_db()
        return Response(_own_output(application))


class MyInvitationsApi(OrganisationAPIView):
    @extend_schema(
        operation_id="enrolment_my_invitations", responses=InvitationOwnOutput(many=True)
    )
    def get(self, request: Request, org_slug: str) -> Response:
        invitations = selectors.invitation_list_for_user(membership=self.membership)
        return Response(InvitationOwnOutput(invitations, many=True).data)


class ProgramApplicationsApi(_ManagerAPIView, generics.ListAPIView):
    """A program's applications, 25 per page, filtered by status, role and a search."""

    serializer_class = ApplicationManagerOutput
    pagination_class = ApplicantPagination

    def get_queryset(self) -> QuerySet[Application]:
        filters = ApplicationListFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.applicant_list(
            program=self.program(self.kwargs["program_id"]),
            status=data.get("status", ""),
            role=data.get("role", ""),
            search=data.get("q", ""),
        )

    @extend_schema(
        operation_id="enrolment_program_applications", parameters=[ApplicationListFilter]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


DECIDE = {
    "approve": services.application_approve,
    "decline": services.application_decline,
    "waitlist": services.application_waitlist,
}


class ApplicationDecisionApi(_ManagerAPIView):
    @extend_schema(
        operation_id="enrolment_application_decide",
        request=None,
        responses={200: ApplicationManagerOutput, 400: EnrolmentErrorOutput},
    )
    def post(
        self, request: Request, org_slug: str, program_id: int, application_id: int, action: str
    ) -> Response:
        """Approve, decline or waitlist one application."""
        program = self.program(program_id)
        decide = DECIDE.get(action)
        if decide is None:
            raise Http404
        application = selectors.application_get_for_manager(
            program=program, application_id=application_id
        )
        try:
            decide(actor=request.user, application=application)
        except ApplicationError as error:
            return _refusal(error)
        application = selectors.application_get_for_manager(
            program=program, application_id=application_id
        )
        return Response(ApplicationManagerOutput(application).data)


class BulkDecisionApi(_ManagerAPIView):
    @extend_schema(
        operation_id="enrolment_applications_bulk_decide",
        request=BulkDecisionInput,
        responses={200: BulkDecisionOutput, 400: EnrolmentErrorOutput},
    )
    def post(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Approve or decline many applications: all of them, or none with the reason."""
        program = self.program(program_id)
        payload = BulkDecisionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        service = (
            services.application_bulk_approve
            if payload.validated_data["action"] == "approve"
            else services.application_bulk_decline
        )
        try:
            changed = service(
                actor=request.user,
                program=program,
                application_ids=payload.validated_data["application_ids"],
            )
        except ApplicationError as error:
            return _refusal(error)
        return Response({"changed": changed})


class ProgramInvitationsApi(_ManagerAPIView):
    @extend_schema(
        operation_id="enrolment_program_invitations", responses=InvitationManagerOutput(many=True)
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        program = self.program(program_id)
        invitations = selectors.invitation_list_for_program(program=program)
        return Response(InvitationManagerOutput(invitations, many=True).data)

    @extend_schema(
        operation_id="enrolment_program_invite",
        request=InvitationSendInput,
        responses={201: InvitationBatchOutput, 400: EnrolmentErrorOutput},
    )
    def post(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Invite people by id, by email addresses (all or none: unknown ones are named), or by
        directory filters."""
        program = self.program(program_id)
        payload = InvitationSendInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            people: list[Person]
            if data.get("emails"):
                content = "\n".join(data["emails"]).encode()
                people = services.invitation_people_from_csv(
                    organisation=self.organisation, content=content
                )
            elif data.get("person_ids"):
                people = list(
                    Person.objects.for_organisation(self.organisation).filter(
                        pk__in=data["person_ids"], is_active=True
                    )
                )
                if len(people) != len(set(data["person_ids"])):
                    raise ApplicationError(
                        "No one was invited: some ids are not active people of this directory."
                    )
            elif any(data.get(k) for k in ("q", "department", "team", "level", "topic")):
                people = services.invitation_people_from_filters(
                    organisation=self.organisation,
                    search=data["q"],
                    department_id=data["department"],
                    team_id=data["team"],
                    level=data["level"],
                    topic_id=data["topic"],
                )
            else:
                raise ApplicationError("Give person_ids, emails, or at least one filter.")
            batch = services.invitation_send_bulk(
                actor=request.user,
                program=program,
                people=people,
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            return _refusal(error)
        return Response(
            {
                "invited": len(batch.invited),
                "already_invited": len(batch.already_invited),
                "already_applied": len(batch.already_applied),
                "without_email": len(batch.without_email),
            },
            status=status.HTTP_201_CREATED,
        )


class FunnelApi(_ManagerAPIView):
    @extend_schema(operation_id="enrolment_program_funnel", responses=FunnelOutput)
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        funnel = selectors.funnel(program=self.program(program_id))
        return Response(FunnelOutput(funnel).data)


class ProgramQuestionsApi(_ManagerAPIView):
    @extend_schema(operation_id="enrolment_program_questions", responses=QuestionOutput(many=True))
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """The program's own application questions, in the order applicants see them."""
        questions = selectors.question_list(program=self.program(program_id))
        return Response(QuestionOutput(questions, many=True).data)

    @extend_schema(
        operation_id="enrolment_program_question_create",
        request=QuestionCreateInput,
        responses={201: QuestionOutput, 400: EnrolmentErrorOutput},
    )
    def post(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Add a question at the end of the form."""
        program = self.program(program_id)
        payload = QuestionCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            question = services.question_create(
                actor=request.user, program=program, **payload.validated_data
            )
        except ApplicationError as error:
            return _refusal(error)
        return Response(QuestionOutput(question).data, status=status.HTTP_201_CREATED)


class ProgramQuestionApi(_ManagerAPIView):
    def question(self, program_id: int, question_id: int) -> Any:
        return selectors.question_get(program=self.program(program_id), question_id=question_id)

    @extend_schema(operation_id="enrolment_program_question", responses=QuestionOutput)
    def get(self, request: Request, org_slug: str, program_id: int, question_id: int) -> Response:
        return Response(QuestionOutput(self.question(program_id, question_id)).data)

    @extend_schema(
        operation_id="enrolment_program_question_update",
        request=QuestionUpdateInput,
        responses={200: QuestionOutput, 400: EnrolmentErrorOutput},
    )
    def patch(self, request: Request, org_slug: str, program_id: int, question_id: int) -> Response:
        """Change a question or move it (``position``); its kind stays."""
        question = self.question(program_id, question_id)
        payload = QuestionUpdateInput(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        try:
            question = services.question_update(
                actor=request.user, question=question, **payload.validated_data
            )
        except ApplicationError as error:
            return _refusal(error)
        question.refresh_from_db()
        return Response(QuestionOutput(question).data)

    @extend_schema(
        operation_id="enrolment_program_question_delete",
        request=None,
        responses={204: None, 400: EnrolmentErrorOutput},
    )
    def delete(
        self, request: Request, org_slug: str, program_id: int, question_id: int
    ) -> Response:
        """Delete a question no one has answered yet."""
        question = self.question(program_id, question_id)
        try:
            services.question_delete(actor=request.user, question=question)
        except ApplicationError as error:
            return _refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
