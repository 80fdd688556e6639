"""Room pages under ``/o/<org>/mentorships/``; each part of the room keeps its own routes."""

from twoway.rooms.urls import room, sessions, work

app_name = "rooms"
urlpatterns = [*room.urlpatterns, *sessions.urlpatterns, *work.urlpatterns]
