"""Growth Threads pages under ``/o/<org>/threads/``."""

from django.urls import path

from twoway.threads import views

app_name = "threads"
urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", views.feed, name="feed"),
    path("program/<int:program_id>/", views.program_counts, name="program_counts"),
    path("program/<int:program_id>/feed/", views.program_feed, name="program_feed"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:entry_id>/", views.entry, name="entry"),
    path("entries/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:entry_id>/comments/", views.comment_new, name="comment_new"),
    path(
        "entries/<int:entry_id>/comments/<int:comment_id>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("entries/<int:entry_id>/reactions/", views.reaction_toggle, name="reaction_toggle"),
]
