"""REST routes of the room's room endpoints (filled by the feature that owns them)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
