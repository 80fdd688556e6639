"""REST endpoints of Insights over the same selectors as the pages: a program's aggregates
(suppressed exactly as on the dashboard, ``null`` where suppressed), the organisation roll-up
and a program's at-risk list (metadata only). Program managers of the program and admins;
anyone else gets 404."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView
from twoway.core.models import Role
from twoway.insights import selectors, services
from twoway.insights.suppression import SuppressedTable

SUPPRESSED = "null when suppressed (fewer than 5 people, or recoverable by subtraction)"


class _Api(OrganisationAPIView):
    required_role: ClassVar[Role] = Role.PROGRAM_MANAGER

    def page_response(self, page: Any, data: Any) -> Response:
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": data,
            }
        )


def _table(table: SuppressedTable) -> dict[str, Any]:
    return {
        "columns": table.columns,
        "rows": [
            {"group": row, "values": values, "total": total} for row, values, total in table.lines
        ],
        "column_totals": table.column_line,
        "total": table.total,
    }


def _scale(scale: Any) -> dict[str, Any] | None:
    if scale is None:
        return None
    return {
        "answers": scale.distribution.total,
        "mean": scale.mean,
        "score": scale.score,
        "distribution": scale.distribution.cells,
    }


class InsightsScaleOutput(serializers.Serializer):
    answers = serializers.IntegerField(allow_null=True, help_text=SUPPRESSED)
    mean = serializers.FloatField(allow_null=True, help_text="null under 5 people")
    score = serializers.IntegerField(allow_null=True, help_text="net promoter style, -100..100")
    distribution = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text=SUPPRESSED
    )


class InsightsTableRowOutput(serializers.Serializer):
    group = serializers.CharField()
    values = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True)


class InsightsTableOutput(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = InsightsTableRowOutput(many=True)
    column_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True)


class InsightsTrendOutput(serializers.Serializer):
    weeks = serializers.ListField(child=serializers.DateField())
    sessions_held = serializers.ListField(child=serializers.IntegerField())
    mentorships_started = serializers.ListField(child=serializers.IntegerField())
    pulse_mean = serializers.ListField(child=serializers.FloatField(allow_null=True))


class ProgramHealthApi(_Api):
    class InsightsProgramHealthOutput(serializers.Serializer):
        program = serializers.IntegerField()
        invited = serializers.IntegerField()
        applied = serializers.IntegerField()
        approved = serializers.IntegerField()
        matched = serializers.IntegerField()
        match_rate = serializers.IntegerField(allow_null=True, help_text="percent")
        mentorships = serializers.DictField(child=serializers.IntegerField())
        sessions_held = serializers.IntegerField()
        sessions_expected = serializers.IntegerField()
        sessions_upcoming = serializers.IntegerField()
        sessions_cancelled = serializers.IntegerField()
        rhythm_rate = serializers.IntegerField(allow_null=True, help_text="percent")
        goals = serializers.DictField(child=serializers.IntegerField())
        pulse = InsightsScaleOutput()
        satisfaction = InsightsScaleOutput(allow_null=True)
        recommend = InsightsScaleOutput(allow_null=True)
        trend = InsightsTrendOutput()
        generations = InsightsTableOutput()
        genders = InsightsTableOutput()
        definitions = serializers.DictField(child=serializers.CharField())

    Output = InsightsProgramHealthOutput

    @extend_schema(operation_id="insights_program_health", responses=Output)
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """A program's health aggregates, suppressed as on the dashboard."""
        program = selectors.program_get_for_insights(
            membership=self.membership, program_id=program_id
        )
        health = services.health_snapshot_current(program=program, now=timezone.now()).health
        data = {
            "program": program.pk,
            **{
                name: getattr(health, name)
                for name in [
                    "invited",
                    "applied",
                    "approved",
                    "matched",
                    "match_rate",
                    "mentorships",
                    "sessions_held",
                    "sessions_expected",
                    "sessions_upcoming",
                    "sessions_cancelled",
                    "rhythm_rate",
                    "goals",
                    "definitions",
                ]
            },
            "pulse": _scale(health.pulse),
            "satisfaction": _scale(health.satisfaction),
            "recommend": _scale(health.recommend),
            "trend": {
                "weeks": health.trend.weeks,
                "sessions_held": health.trend.sessions_held,
                "mentorships_started": health.trend.mentorships_started,
                "pulse_mean": health.trend.pulse_mean,
            },
            "generations": _table(health.generations),
            "genders": _table(health.genders),
        }
        return Response(self.Output(data).data)


class RollupApi(_Api):
    class InsightsRollupOutput(serializers.Serializer):
        program = serializers.IntegerField(source="program.pk")
        name = serializers.CharField(source="program.name")
        status = serializers.CharField(source="program.status")
        approved = serializers.IntegerField()
        mentorships = serializers.DictField(child=serializers.IntegerField())
        sessions_held = serializers.IntegerField()
        pulse_mean = serializers.FloatField(allow_null=True, help_text="null under 5 people")
        satisfaction_mean = serializers.FloatField(allow_null=True)
        recommend_score = serializers.IntegerField(allow_null=True)

    Output = InsightsRollupOutput

    @extend_schema(
        operation_id="insights_rollup",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=Output(many=True),
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """The programs I manage (admins: all), 20 a page, with their headline figures."""
        page = selectors.organisation_rollup(
            organisation=self.organisation,
            membership=self.membership,
            now=timezone.now(),
            page=request.query_params.get("page", 1),
        )
        return self.page_response(page, self.Output(page.object_list, many=True).data)


class AtRiskApi(_Api):
    class InsightsAtRiskOutput(serializers.Serializer):
        mentorship = serializers.IntegerField(source="mentorship.pk")
        program = serializers.IntegerField(source="mentorship.program_id")
        kind = serializers.CharField(source="mentorship.kind")
        started_at = serializers.DateTimeField(source="mentorship.started_at")
        reasons = serializers.ListField(
            child=serializers.CharField(),
            source="reason_keys",
            help_text="quiet, low_pulse, overdue_actions",
        )
        quiet_weeks = serializers.IntegerField(allow_null=True)
        last_nudged_at = serializers.DateTimeField(allow_null=True)

    Output = InsightsAtRiskOutput

    @extend_schema(
        operation_id="insights_at_risk",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=Output(many=True),
    )
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """A program's at-risk mentorships, 20 a page, with why and when last nudged."""
        program = selectors.program_get_for_insights(
            membership=self.membership, program_id=program_id
        )
        now = timezone.now()
        snapshot = services.health_snapshot_current(program=program, now=now)
        page = selectors.at_risk_page_from(
            snapshot, program=program, now=now, page=request.query_params.get("page", 1)
        )
        return self.page_response(page, self.Output(page.object_list, many=True).data)
