"""The secret calendar feed, outside ``/o/<org>/``: calendar clients cannot sign in, the token
in the URL is the credential."""

from django.urls import URLPattern

app_name = "calendar_feed"
urlpatterns: list[URLPattern] = []
