"""Roadmaps REST endpoints under ``/api/o/<org>/roadmaps/``."""

from django.urls import path

from twoway.roadmaps import api

ROOM = "mentorships/<int:mentorship_id>/assignments/"

app_name = "roadmaps_api"
urlpatterns = [
    path("", api.LibraryApi.as_view(), name="library"),
    path("<int:roadmap_id>/", api.RoadmapDetailApi.as_view(), name="roadmap"),
    path("<int:roadmap_id>/versions/", api.RoadmapVersionsApi.as_view(), name="versions"),
    path(ROOM, api.RoomAssignmentsApi.as_view(), name="room_assignments"),
    path(f"{ROOM}<int:assignment_id>/", api.RoomAssignmentApi.as_view(), name="room_assignment"),
    path(
        f"{ROOM}<int:assignment_id>/steps/<int:step_id>/done/",
        api.StepDoneApi.as_view(),
        name="step_done",
    ),
    path(
        "programs/<int:program_id>/assignments/",
        api.ProgramAssignmentsApi.as_view(),
        name="program_assignments",
    ),
]
