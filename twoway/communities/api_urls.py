"""Communities REST endpoints under ``/api/o/<org>/communities/``."""

from django.urls import path

from twoway.communities import api

app_name = "communities_api"
urlpatterns = [
    path("spaces/", api.SpacesApi.as_view(), name="spaces"),
    path("spaces/<int:space_id>/topics/", api.TopicsApi.as_view(), name="topics"),
    path("spaces/<int:space_id>/reports/", api.ReportsApi.as_view(), name="reports"),
    path("topics/<int:topic_id>/", api.TopicDetailApi.as_view(), name="topic"),
    path("topics/<int:topic_id>/replies/", api.ReplyApi.as_view(), name="reply"),
    path(
        "topics/<int:topic_id>/moderation/",
        api.TopicModerationApi.as_view(),
        name="topic_moderation",
    ),
    path("posts/<int:post_id>/reports/", api.ReportApi.as_view(), name="report"),
    path(
        "posts/<int:post_id>/moderation/", api.PostModerationApi.as_view(), name="post_moderation"
    ),
    path("reports/<int:report_id>/", api.ReportModerationApi.as_view(), name="report_moderation"),
]
