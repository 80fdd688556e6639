"""Routes of the room's shell and the mentorship lifecycle pages."""

from django.urls import path

from twoway.rooms.views import room

urlpatterns = [
    path("", room.mine, name="mine"),
    path("<int:mentorship_id>/", room.room, name="room"),
    path("<int:mentorship_id>/agreement/", room.agreement_edit, name="agreement_edit"),
    path(
        "<int:mentorship_id>/agreement/accept/",
        room.agreement_accept_view,
        name="agreement_accept",
    ),
    path("<int:mentorship_id>/end/", room.end, name="end"),
    path("<int:mentorship_id>/overview/", room.overview, name="overview"),
    path("<int:mentorship_id>/extend/", room.extend, name="extend"),
    path("program/<int:program_id>/", room.program, name="program"),
]
