"""Routes of the room's work pages (filled by the feature that owns them)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
