"""Recognition REST endpoints under ``/api/o/<org>/recognition/``."""

from django.urls import path

from twoway.recognition import api

app_name = "recognition_api"
urlpatterns = [
    path("kudos/", api.KudosApi.as_view(), name="kudos"),
    path("kudos/<int:kudos_id>/", api.KudosDetailApi.as_view(), name="kudos_detail"),
    path("programs/<int:program_id>/stories/", api.ProgramStoriesApi.as_view(), name="stories"),
    path("stories/mine/", api.MyStoriesApi.as_view(), name="my_stories"),
    path("stories/<int:story_id>/publish/", api.StoryPublishApi.as_view(), name="story_publish"),
    path(
        "mentorships/<int:mentorship_id>/celebrations/",
        api.CelebrationsApi.as_view(),
        name="celebrations",
    ),
]
