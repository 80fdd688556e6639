"""Notifications REST endpoints under ``/api/o/<org>/notifications/``."""

from django.urls import path

from twoway.notifications import api

app_name = "notifications_api"
urlpatterns = [
    path("", api.NotificationListApi.as_view(), name="list"),
    path("<int:notification_id>/read/", api.NotificationReadApi.as_view(), name="read"),
    path("read-all/", api.NotificationReadAllApi.as_view(), name="read_all"),
    path("preferences/", api.NotificationPreferenceApi.as_view(), name="preferences"),
]
