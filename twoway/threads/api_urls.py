"""Growth Threads REST endpoints under ``/api/o/<org>/threads/``."""

app_name = "threads_api"
urlpatterns: list = []
