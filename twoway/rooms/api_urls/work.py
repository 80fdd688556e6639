"""REST routes of the room's work endpoints: notes, action items, goals and the pulse."""

from django.urls import path

from twoway.rooms.api import work as api

urlpatterns = [
    path("<int:mentorship_id>/notes/", api.NotesApi.as_view(), name="notes"),
    path("<int:mentorship_id>/notes/<int:note_id>/", api.NoteDetailApi.as_view(), name="note"),
    path("<int:mentorship_id>/actions/", api.ActionsApi.as_view(), name="actions"),
    path(
        "<int:mentorship_id>/actions/<int:action_id>/",
        api.ActionDetailApi.as_view(),
        name="action",
    ),
    path("<int:mentorship_id>/goals/", api.GoalsApi.as_view(), name="goals"),
    path(
        "<int:mentorship_id>/goals/<int:goal_id>/progress/",
        api.GoalProgressApi.as_view(),
        name="goal_progress",
    ),
    path(
        "<int:mentorship_id>/goals/<int:goal_id>/updates/",
        api.GoalUpdatesApi.as_view(),
        name="goal_updates",
    ),
    path(
        "<int:mentorship_id>/sessions/<int:session_id>/pulse/",
        api.PulseApi.as_view(),
        name="pulse",
    ),
]
