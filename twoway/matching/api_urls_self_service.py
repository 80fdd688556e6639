from django.urls import path

from twoway.matching import api_self_service as api

urlpatterns = [
    path(
        "programs/<int:program_id>/suggestions/",
        api.SuggestionsApi.as_view(),
        name="api_find_a_mentor_suggestions",
    ),
    path(
        "programs/<int:program_id>/requests/",
        api.RequestCreateApi.as_view(),
        name="api_find_a_mentor_request_create",
    ),
    path(
        "programs/<int:program_id>/requests/all/",
        api.ProgramRequestsApi.as_view(),
        name="api_find_a_mentor_program_requests",
    ),
    path("requests/", api.MyRequestsApi.as_view(), name="api_find_a_mentor_my_requests"),
    path(
        "requests/<int:request_id>/accept/",
        api.RequestAcceptApi.as_view(),
        name="api_find_a_mentor_request_accept",
    ),
    path(
        "requests/<int:request_id>/decline/",
        api.RequestDeclineApi.as_view(),
        name="api_find_a_mentor_request_decline",
    ),
    path(
        "requests/<int:request_id>/cancel/",
        api.RequestCancelApi.as_view(),
        name="api_find_a_mentor_request_cancel",
    ),
]
