from django.urls import path

from twoway.enrolment import views, views_manage

app_name = "enrolment"

urlpatterns = [
    # The participant's pages.
    path("", views.my_programs, name="home"),
    path("programs/<int:program_id>/apply/", views.application_create, name="apply"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path(
        "applications/<int:application_id>/withdraw/",
        views.application_withdraw,
        name="withdraw",
    ),
    path("invitations/<str:token>/", views.invitation_landing, name="invitation"),
    # The program manager's pages (views_manage.py).
    path("programs/<int:program_id>/applicants/", views_manage.applicants, name="applicants"),
    path(
        "programs/<int:program_id>/applicants/decide/",
        views_manage.applicants_decide,
        name="decide",
    ),
    path(
        "programs/<int:program_id>/applicants/<int:application_id>/",
        views_manage.application_detail,
        name="applicant",
    ),
    path(
        "programs/<int:program_id>/applicants/<int:application_id>/decide/",
        views_manage.application_decide,
        name="applicant_decide",
    ),
    path(
        "programs/<int:program_id>/applicants.csv",
        views_manage.applicants_export,
        name="export",
    ),
    path("programs/<int:program_id>/invite/", views_manage.invite, name="invite"),
    path("programs/<int:program_id>/questions/", views_manage.questions, name="questions"),
    path(
        "programs/<int:program_id>/questions/<int:question_id>/",
        views_manage.question_edit,
        name="question_edit",
    ),
    path(
        "programs/<int:program_id>/questions/<int:question_id>/move/",
        views_manage.question_move,
        name="question_move",
    ),
    path(
        "programs/<int:program_id>/questions/<int:question_id>/delete/",
        views_manage.question_delete,
        name="question_delete",
    ),
]
