from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from twoway.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("twoway.accounts.urls")),
    path("admin/", admin.site.urls),
    path("o/<slug:org_slug>/", core_views.organisation_home, name="organisation_home"),
    path("o/<slug:org_slug>/people/", include("twoway.people.urls")),
    path("api/o/<slug:org_slug>/people/", include("twoway.people.api_urls")),
    path("o/<slug:org_slug>/programs/", include("twoway.programs.urls")),
    path("api/o/<slug:org_slug>/programs/", include("twoway.programs.api_urls")),
    path("o/<slug:org_slug>/enrolment/", include("twoway.enrolment.urls")),
    path("api/o/<slug:org_slug>/enrolment/", include("twoway.enrolment.api_urls")),
    path("o/<slug:org_slug>/matching/", include("twoway.matching.urls")),
    path("api/o/<slug:org_slug>/matching/", include("twoway.matching.api_urls")),
    path("o/<slug:org_slug>/find-a-mentor/", include("twoway.matching.urls_self_service")),
    path("api/o/<slug:org_slug>/find-a-mentor/", include("twoway.matching.api_urls_self_service")),
    path("o/<slug:org_slug>/mentorships/", include("twoway.rooms.urls")),
    path("api/o/<slug:org_slug>/mentorships/", include("twoway.rooms.api_urls")),
    path("o/<slug:org_slug>/threads/", include("twoway.threads.urls")),
    path("api/o/<slug:org_slug>/threads/", include("twoway.threads.api_urls")),
    path("o/<slug:org_slug>/roadmaps/", include("twoway.roadmaps.urls")),
    path("api/o/<slug:org_slug>/roadmaps/", include("twoway.roadmaps.api_urls")),
    path("o/<slug:org_slug>/communities/", include("twoway.communities.urls")),
    path("api/o/<slug:org_slug>/communities/", include("twoway.communities.api_urls")),
    path("o/<slug:org_slug>/recognition/", include("twoway.recognition.urls")),
    path("api/o/<slug:org_slug>/recognition/", include("twoway.recognition.api_urls")),
    path("o/<slug:org_slug>/notifications/", include("twoway.notifications.urls")),
    path("api/o/<slug:org_slug>/notifications/", include("twoway.notifications.api_urls")),
    path("o/<slug:org_slug>/nudges/", include("twoway.nudges.urls")),
    path("o/<slug:org_slug>/surveys/", include("twoway.surveys.urls")),
    path("api/o/<slug:org_slug>/surveys/", include("twoway.surveys.api_urls")),
    path("o/<slug:org_slug>/insights/", include("twoway.insights.urls")),
    path("api/o/<slug:org_slug>/insights/", include("twoway.insights.api_urls")),
    path("calendar/", include("twoway.rooms.urls_feed")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
