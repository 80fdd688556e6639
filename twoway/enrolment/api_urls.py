from django.urls import path

from twoway.enrolment import api

urlpatterns = [
    path("applications/", api.MyApplicationsApi.as_view(), name="api_my_applications"),
    path(
        "applications/<int:application_id>/",
        api.MyApplicationApi.as_view(),
        name="api_my_application",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        api.MyApplicationWithdrawApi.as_view(),
        name="api_application_withdraw",
    ),
    path("invitations/", api.MyInvitationsApi.as_view(), name="api_my_invitations"),
    path(
        "programs/<int:program_id>/applications/",
        api.ProgramApplicationsApi.as_view(),
        name="api_program_applications",
    ),
    path(
        "programs/<int:program_id>/applications/bulk/",
        api.BulkDecisionApi.as_view(),
        name="api_applications_bulk",
    ),
    path(
        "programs/<int:program_id>/applications/<int:application_id>/<slug:action>/",
        api.ApplicationDecisionApi.as_view(),
        name="api_application_decide",
    ),
    path(
        "programs/<int:program_id>/invitations/",
        api.ProgramInvitationsApi.as_view(),
        name="api_program_invitations",
    ),
    path(
        "programs/<int:program_id>/questions/",
        api.ProgramQuestionsApi.as_view(),
        name="api_program_questions",
    ),
    path(
        "programs/<int:program_id>/questions/<int:question_id>/",
        api.ProgramQuestionApi.as_view(),
        name="api_program_question",
    ),
    path("programs/<int:program_id>/funnel/", api.FunnelApi.as_view(), name="api_program_funnel"),
]
