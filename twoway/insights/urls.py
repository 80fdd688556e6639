"""Insights pages under ``/o/<org>/insights/``."""

from django.urls import path

from twoway.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/<int:program_id>/", views.program, name="program"),
    path("program/<int:program_id>/export/", views.program_export, name="program_export"),
    path("program/<int:program_id>/refresh/", views.program_refresh, name="program_refresh"),
]
