"""Routes of the room's work pages: notes, action items, goals and the pulse."""

from django.urls import path

from twoway.rooms.views import work as views

urlpatterns = [
    path("<int:mentorship_id>/notes/new/", views.note_new, name="note_new"),
    path("<int:mentorship_id>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("<int:mentorship_id>/notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
    path("<int:mentorship_id>/actions/new/", views.action_new, name="action_new"),
    path(
        "<int:mentorship_id>/actions/<int:action_id>/edit/", views.action_edit, name="action_edit"
    ),
    path(
        "<int:mentorship_id>/actions/<int:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
    path("<int:mentorship_id>/goals/new/", views.goal_new, name="goal_new"),
    path("<int:mentorship_id>/goals/<int:goal_id>/", views.goal_history, name="goal_history"),
    path(
        "<int:mentorship_id>/goals/<int:goal_id>/progress/", views.goal_update, name="goal_update"
    ),
    path("<int:mentorship_id>/goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("<int:mentorship_id>/sessions/<int:session_id>/pulse/", views.pulse, name="pulse"),
]
