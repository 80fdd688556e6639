"""Surveys pages under ``/o/<org>/surveys/``."""

from django.urls import path

from twoway.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/<int:program_id>/", views.program, name="program"),
]
