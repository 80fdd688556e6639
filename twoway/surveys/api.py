"""REST endpoints of surveys over the same selectors and services as the pages: the open surveys
I may answer, one survey with its questions, answering it, and (for the program's managers) its
results. A refusal answers 400 with the reason in ``detail`` and each question's reason in
``errors``; a second answer answers 409; what the viewer may not see answers 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView
from twoway.core.errors import ApplicationError
from twoway.surveys import selectors, services
from twoway.surveys.models import Question, Survey


class SurveyPagination(PageNumberPagination):
    page_size = 20


class SurveyListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    program = serializers.IntegerField(source="program_id")
    program_name = serializers.CharField(source="program.name")
    kind = serializers.CharField(help_text="One of: " + ", ".join(Survey.Kind.values))
    is_anonymous = serializers.BooleanField()
    answered = serializers.BooleanField(help_text="whether I already answered it")


class SurveyQuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    field = serializers.CharField(source="field_name", help_text="the name refusals use")
    kind = serializers.CharField(help_text="One of: " + ", ".join(Question.Kind.values))
    text = serializers.CharField()
    help = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    scale_min = serializers.IntegerField(allow_null=True)
    scale_max = serializers.IntegerField(allow_null=True)
    # A declared field shadows the serializer attribute of the same name (DRF pops it).
    required = serializers.BooleanField()  # type: ignore[assignment]


class SurveyDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    program = serializers.IntegerField(source="program_id")
    kind = serializers.CharField()
    status = serializers.CharField(help_text="One of: " + ", ".join(Survey.Status.values))
    audience = serializers.CharField(help_text="One of: " + ", ".join(Survey.Audience.values))
    is_anonymous = serializers.BooleanField()
    questions = SurveyQuestionOutput(many=True)


class SurveyAnswerInput(serializers.Serializer):
    question = serializers.IntegerField(help_text="a question id of this survey")
    value = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        default=None,
        help_text="a number for a scale, one of the options for a choice, text for free text",
    )


class SurveySubmitInput(serializers.Serializer):
    answers = SurveyAnswerInput(many=True)


class SurveySubmitOutput(serializers.Serializer):
    detail = serializers.CharField()


class SurveyRefusalOutput(serializers.Serializer):
    detail = serializers.CharField()
    field = serializers.CharField(required=False, help_text="the first input at fault")
    # A declared field shadows the serializer attribute of the same name (DRF pops it).
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(),
        required=False,
        help_text="each question's field name (q<id>) → why its answer was refused",
    )


class SurveyResultRowOutput(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # shadows Field.label, as above
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class SurveyQuestionResultOutput(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    distribution = SurveyResultRowOutput(many=True, source="rows")
    texts = serializers.ListField(
        child=serializers.CharField(),
        help_text="anonymous surveys only, in random order; always empty for a named survey",
    )


class SurveyResultsOutput(serializers.Serializer):
    response_count = serializers.IntegerField()
    audience_size = serializers.IntegerField()
    response_rate = serializers.IntegerField(allow_null=True, help_text="percent")
    min_group = serializers.IntegerField()
    shown = serializers.BooleanField(help_text="false until min_group people answered")
    questions = SurveyQuestionResultOutput(many=True, help_text="empty until shown")


def _refusal(error: ApplicationError) -> Response:
    body: dict[str, Any] = {"detail": error.message}
    if error.extra.get("field"):
        body["field"] = error.extra["field"]
    if error.extra.get("errors"):
        body["errors"] = error.extra["errors"]
    code = status.HTTP_409_CONFLICT if error.extra.get("code") == "already_answered" else 400
    return Response(body, status=code)


class SurveyListApi(OrganisationAPIView):
    @extend_schema(
        operation_id="surveys_mine",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=SurveyListOutput(many=True),
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """Open surveys I may answer, newest first, with whether I answered each."""
        paginator = SurveyPagination()
        rows = selectors.survey_list_open_for_member(membership=self.membership)
        page: list[Any] | None = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(SurveyListOutput(page, many=True).data)


class SurveyDetailApi(OrganisationAPIView):
    @extend_schema(operation_id="surveys_detail", responses=SurveyDetailOutput)
    def get(self, request: Request, org_slug: str, survey_id: int) -> Response:
        """A survey and its questions, for those who may answer it or manage it."""
        try:
            survey = selectors.survey_get_for_respondent(
                membership=self.membership, survey_id=survey_id
            )
        except Http404:
            survey = selectors.survey_get_for_manager(
                membership=self.membership, survey_id=survey_id
            )
        data = SurveyDetailOutput(
            {
                "id": survey.pk,
                "title": survey.title,
                "intro": survey.intro,
                "program_id": survey.program_id,
                "kind": survey.kind,
                "status": survey.status,
                "audience": survey.audience,
                "is_anonymous": survey.is_anonymous,
                "questions": selectors.questions_of(survey=survey),
            }
        ).data
        return Response(data)


class SurveySubmitApi(OrganisationAPIView):
    @extend_schema(
        operation_id="surveys_answer",
        request=SurveySubmitInput,
        responses={201: SurveySubmitOutput, 400: SurveyRefusalOutput, 409: SurveyRefusalOutput},
    )
    def post(self, request: Request, org_slug: str, survey_id: int) -> Response:
        """Answer a survey, all questions at once; a second answer is refused (409)."""
        survey = selectors.survey_get_for_respondent(
            membership=self.membership, survey_id=survey_id
        )
        payload = SurveySubmitInput(data=request.data)
        payload.is_valid(raise_exception=True)
        answers: dict[int, Any] = {}
        for item in payload.validated_data["answers"]:
            if item["question"] in answers:
                return _refusal(
                    ApplicationError(
                        f"Answers: question {item['question']} is answered twice.",
                        extra={"field": "answers"},
                    )
                )
            answers[item["question"]] = item["value"]
        try:
            services.response_submit(membership=self.membership, survey=survey, answers=answers)
        except ApplicationError as error:
            return _refusal(error)
        return Response(
            {"detail": "Thank you: your answers were saved."}, status=status.HTTP_201_CREATED
        )


class SurveyResultsApi(OrganisationAPIView):
    @extend_schema(operation_id="surveys_results", responses=SurveyResultsOutput)
    def get(self, request: Request, org_slug: str, survey_id: int) -> Response:
        """Aggregates of a survey of a program I manage, once enough people answered."""
        survey = selectors.survey_get_for_manager(membership=self.membership, survey_id=survey_id)
        results = selectors.survey_results(survey=survey)
        return Response(
            SurveyResultsOutput(
                {
                    "response_count": results.response_count,
                    "audience_size": results.audience_size,
                    "response_rate": results.response_rate,
                    "min_group": results.min_group,
                    "shown": results.shown,
                    "questions": results.questions,
                }
            ).data
        )
