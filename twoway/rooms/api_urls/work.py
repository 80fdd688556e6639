"""REST routes of the room's work endpoints (filled by the feature that owns them)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
