"""Nudge REST endpoints under ``/api/o/<org>/nudges/``."""

from django.urls import path

from twoway.nudges import api

app_name = "nudges_api"
urlpatterns = [
    path("programs/<int:program_id>/", api.ProgramNudgesApi.as_view(), name="program"),
    path("mentorships/<int:mentorship_id>/", api.MentorshipNudgeApi.as_view(), name="mentorship"),
]
