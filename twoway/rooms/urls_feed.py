"""The secret calendar feed, outside ``/o/<org>/``: calendar clients cannot sign in, the token
in the URL is the credential."""

from django.urls import path

from twoway.rooms.views.sessions import calendar_feed

app_name = "calendar_feed"
urlpatterns = [path("<str:token>.ics", calendar_feed, name="feed")]
