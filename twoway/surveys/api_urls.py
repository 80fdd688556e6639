"""Surveys REST endpoints under ``/api/o/<org>/surveys/``."""

from django.urls import path

from twoway.surveys import api

app_name = "surveys_api"
urlpatterns = [
    path("", api.SurveyListApi.as_view(), name="mine"),
    path("<int:survey_id>/", api.SurveyDetailApi.as_view(), name="detail"),
    path("<int:survey_id>/responses/", api.SurveySubmitApi.as_view(), name="answer"),
    path("<int:survey_id>/results/", api.SurveyResultsApi.as_view(), name="results"),
]
