from django.urls import path

from twoway.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_new, name="new"),
    path("<int:program_id>/", views.program_home, name="home"),
    path("<int:program_id>/about/", views.program_about, name="about"),
    path("<int:program_id>/design/", views.program_design, name="design"),
    path(
        "<int:program_id>/eligibility/<str:role>/",
        views.program_eligibility,
        name="eligibility",
    ),
    path("<int:program_id>/checklist/<str:step>/", views.checklist_tick, name="checklist_tick"),
    path(
        "<int:program_id>/transitions/<str:name>/",
        views.program_transition,
        name="transition",
    ),
    path("<int:program_id>/save-as-playbook/", views.playbook_save, name="save_playbook"),
]
