from django.urls import path

from twoway.programs import api

urlpatterns = [
    path("", api.ProgramListApi.as_view(), name="api_program_list"),
    path("<int:program_id>/", api.ProgramDetailApi.as_view(), name="api_program_detail"),
    path(
        "<int:program_id>/transitions/<str:name>/",
        api.ProgramTransitionApi.as_view(),
        name="api_program_transition",
    ),
]
