"""Notification centre and preferences under ``/o/<org>/notifications/``."""

from django.urls import path

from twoway.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("badge/", views.badge, name="badge"),
]
