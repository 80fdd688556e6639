"""Insights REST endpoints under ``/api/o/<org>/insights/``."""

from django.urls import path

from twoway.insights import api

app_name = "insights_api"
urlpatterns = [
    path("", api.RollupApi.as_view(), name="rollup"),
    path("programs/<int:program_id>/", api.ProgramHealthApi.as_view(), name="program"),
    path("programs/<int:program_id>/at-risk/", api.AtRiskApi.as_view(), name="at_risk"),
]
