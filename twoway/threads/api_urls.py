"""Growth Threads REST endpoints under ``/api/o/<org>/threads/``."""

from django.urls import path

from twoway.threads import api

app_name = "threads_api"
urlpatterns = [
    path("entries/", api.EntriesApi.as_view(), name="entries"),
    path("entries/<int:entry_id>/", api.EntryApi.as_view(), name="entry"),
    path("entries/<int:entry_id>/comments/", api.CommentsApi.as_view(), name="comments"),
    path("entries/<int:entry_id>/reactions/", api.ReactionApi.as_view(), name="reaction"),
    path(
        "programs/<int:program_id>/counts/",
        api.ProgramCountsApi.as_view(),
        name="program_counts",
    ),
]
