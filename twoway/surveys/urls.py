"""Surveys pages under ``/o/<org>/surveys/``."""

from django.urls import path

from twoway.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/<int:program_id>/", views.program, name="program"),
    path("<int:survey_id>/", views.answer, name="answer"),
    path("<int:survey_id>/edit/", views.edit, name="edit"),
    path("<int:survey_id>/results/", views.results, name="results"),
    path("<int:survey_id>/open/", views.survey_open, name="open"),
    path("<int:survey_id>/close/", views.survey_close, name="close"),
    path("<int:survey_id>/delete/", views.survey_delete, name="delete"),
    path("<int:survey_id>/questions/new/", views.question_new, name="question_new"),
    path(
        "<int:survey_id>/questions/<int:question_id>/edit/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/move/",
        views.question_move,
        name="question_move",
    ),
]
