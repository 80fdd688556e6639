"""REST endpoints under ``/api/o/<org>/mentorships/``; each part of the room keeps its own."""

from twoway.rooms.api_urls import room, sessions, work

app_name = "rooms_api"
urlpatterns = [*room.urlpatterns, *sessions.urlpatterns, *work.urlpatterns]
