"""Nudge pages under ``/o/<org>/nudges/``: a program's settings and history, a manager's
one-click nudge."""

from django.urls import path

from twoway.nudges import views

app_name = "nudges"
urlpatterns = [
    path("program/<int:program_id>/", views.program, name="program"),
    path("mentorships/<int:mentorship_id>/nudge/", views.mentorship_nudge, name="mentorship_nudge"),
]
