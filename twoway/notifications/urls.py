"""Notification centre, preferences and the chat webhook under ``/o/<org>/notifications/``."""

from django.urls import path

from twoway.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("badge/", views.badge, name="badge"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/bounce/", views.bounce_clear, name="bounce_clear"),
    path("webhook/", views.webhook, name="webhook"),
    path("webhook/test/", views.webhook_test, name="webhook_test"),
]
