"""Roadmaps pages under ``/o/<org>/roadmaps/``."""

from django.urls import path

from twoway.roadmaps import views

app_name = "roadmaps"
urlpatterns = [
    path("", views.library, name="library"),
    path("program/<int:program_id>/", views.program, name="program"),
]
