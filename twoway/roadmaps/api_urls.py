"""Roadmaps REST endpoints under ``/api/o/<org>/roadmaps/``."""

app_name = "roadmaps_api"
urlpatterns: list = []
