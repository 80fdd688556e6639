"""Communities REST endpoints under ``/api/o/<org>/communities/``."""

app_name = "communities_api"
urlpatterns: list = []
