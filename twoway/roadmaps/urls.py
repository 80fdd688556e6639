"""Roadmaps pages under ``/o/<org>/roadmaps/``."""

from django.urls import path

from twoway.roadmaps import views

R = "<int:roadmap_id>/"
ROOM = "room/<int:mentorship_id>/"
A = f"{ROOM}<int:assignment_id>/"

app_name = "roadmaps"
urlpatterns = [
    path("", views.roadmap_list, name="library"),
    path("new/", views.roadmap_new, name="new"),
    path("builtin/<slug:key>/", views.builtin, name="builtin"),
    path("builtin/<slug:key>/adopt/", views.builtin_adopt, name="adopt"),
    path(R, views.roadmap_detail, name="roadmap"),
    path(f"{R}edit/", views.roadmap_edit, name="edit"),
    path(f"{R}archive/", views.roadmap_archive, name="archive"),
    path(f"{R}steps/<int:step_id>/resources/new/", views.resource_add, name="resource_add"),
    path(f"{R}resources/<int:resource_id>/remove/", views.resource_remove, name="resource_remove"),
    path("resources/<int:resource_id>/", views.resource_download, name="resource"),
    path("program/<int:program_id>/", views.program, name="program"),
    path(
        "program/<int:program_id>/assignments/<int:assignment_id>/remove/",
        views.program_unassign,
        name="program_unassign",
    ),
    path(f"{ROOM}choose/", views.room_choose, name="room_choose"),
    path(A, views.room_assignment, name="room_assignment"),
    path(f"{A}steps/<int:step_id>/", views.room_step, name="room_step"),
    path(f"{A}remove/", views.room_unassign, name="room_unassign"),
]
