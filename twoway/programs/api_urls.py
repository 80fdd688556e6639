from django.urls import path

from twoway.programs import api

urlpatterns = [
    path("", api.ProgramListApi.as_view(), name="api_program_list"),
    path("playbooks/", api.PlaybookListApi.as_view(), name="api_playbook_list"),
    path("<int:program_id>/", api.ProgramDetailApi.as_view(), name="api_program_detail"),
    path(
        "<int:program_id>/transitions/<str:name>/",
        api.ProgramTransitionApi.as_view(),
        name="api_program_transition",
    ),
    path(
        "<int:program_id>/eligibility/<str:role>/",
        api.ProgramEligibilityApi.as_view(),
        name="api_program_eligibility",
    ),
    path(
        "<int:program_id>/checklist/",
        api.ProgramChecklistApi.as_view(),
        name="api_program_checklist",
    ),
    path(
        "<int:program_id>/checklist/<str:step>/",
        api.ProgramChecklistStepApi.as_view(),
        name="api_program_checklist_step",
    ),
    path(
        "<int:program_id>/managers/",
        api.ProgramManagersApi.as_view(),
        name="api_program_managers",
    ),
    path(
        "<int:program_id>/save-as-playbook/",
        api.ProgramSaveAsPlaybookApi.as_view(),
        name="api_program_save_playbook",
    ),
]
