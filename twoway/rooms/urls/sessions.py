"""Routes of the room's sessions pages (filled by the feature that owns them)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
