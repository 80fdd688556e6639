"""REST routes of the mentorship lifecycle: my mentorships, a room's summary and agreement,
ending; a program's mentorships and one mentorship's overview for its managers."""

from django.urls import path

from twoway.rooms.api import room

urlpatterns = [
    path("", room.MyMentorshipsApi.as_view(), name="mine"),
    path("<int:mentorship_id>/", room.RoomApi.as_view(), name="room"),
    path("<int:mentorship_id>/agreement/", room.AgreementUpdateApi.as_view(), name="agreement"),
    path(
        "<int:mentorship_id>/agreement/accept/",
        room.AgreementAcceptApi.as_view(),
        name="agreement_accept",
    ),
    path("<int:mentorship_id>/end/", room.MentorshipEndApi.as_view(), name="end"),
    path("<int:mentorship_id>/overview/", room.MentorshipOverviewApi.as_view(), name="overview"),
    path("<int:mentorship_id>/extend/", room.MentorshipExtendApi.as_view(), name="extend"),
    path("program/<int:program_id>/", room.ProgramMentorshipsApi.as_view(), name="program"),
]
