"""Recognition pages under ``/o/<org>/recognition/``."""

from django.urls import path

from twoway.recognition import views

app_name = "recognition"
urlpatterns = [
    path("", views.home, name="home"),
    path("kudos/new/", views.kudos_new, name="kudos_new"),
    path("kudos/<int:kudos_id>/delete/", views.kudos_delete, name="kudos_delete"),
    path("program/<int:program_id>/", views.showcase, name="showcase"),
    path("program/<int:program_id>/stories/new/", views.story_new, name="story_new"),
    path("stories/<int:story_id>/", views.story, name="story"),
    path("stories/<int:story_id>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:story_id>/publish/", views.story_publish, name="story_publish"),
    path("stories/<int:story_id>/unpublish/", views.story_unpublish, name="story_unpublish"),
    path("stories/<int:story_id>/delete/", views.story_delete, name="story_delete"),
    path(
        "certificates/<int:mentorship_id>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
]
