"""Communities pages under ``/o/<org>/communities/``."""

from django.urls import path

from twoway.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/<int:program_id>/", views.program_space, name="program_space"),
    path("runners/settings/", views.runners_settings, name="runners_settings"),
    path("spaces/<int:space_id>/", views.space, name="space"),
    path("spaces/<int:space_id>/best-practice/", views.best_practice, name="best_practice"),
    path("spaces/<int:space_id>/topics/new/", views.topic_create, name="topic_create"),
    path("spaces/<int:space_id>/moderation/", views.moderation, name="moderation"),
    path("topics/<int:topic_id>/", views.topic, name="topic"),
    path("topics/<int:topic_id>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/report/", views.post_report, name="post_report"),
    path("posts/<int:post_id>/moderate/", views.post_moderate, name="post_moderate"),
    path("reports/<int:report_id>/", views.report_act, name="report_act"),
]
