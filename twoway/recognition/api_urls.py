"""Recognition REST endpoints under ``/api/o/<org>/recognition/``."""

app_name = "recognition_api"
urlpatterns: list = []
