from django.urls import path

from twoway.matching import views_self_service as views

app_name = "find_a_mentor"

urlpatterns = [
    # The mentee's page and their request.
    path("programs/<int:program_id>/", views.find_a_mentor, name="find"),
    path("programs/<int:program_id>/ask/", views.ask, name="ask"),
    path("requests/<int:request_id>/cancel/", views.cancel, name="cancel"),
    # The mentor's page and their answers.
    path("programs/<int:program_id>/requests/", views.mentoring_requests, name="requests"),
    path("requests/<int:request_id>/accept/", views.accept, name="accept"),
    path("requests/<int:request_id>/decline/", views.decline, name="decline"),
    # The program managers' metadata-only list.
    path("programs/<int:program_id>/overview/", views.overview, name="overview"),
]
