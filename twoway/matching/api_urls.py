from django.urls import path

from twoway.matching import api

urlpatterns = [
    path("programs/<int:program_id>/runs/", api.RunListApi.as_view(), name="api_match_runs"),
    path(
        "programs/<int:program_id>/settings/",
        api.SettingsApi.as_view(),
        name="api_matching_settings",
    ),
    path("runs/<int:run_id>/", api.RunDetailApi.as_view(), name="api_match_run"),
    path("runs/<int:run_id>/proposals/", api.ProposalListApi.as_view(), name="api_proposals"),
    path("runs/<int:run_id>/proposals/add/", api.ProposalAddApi.as_view(), name="api_add"),
    path("runs/<int:run_id>/unmatched/", api.UnmatchedListApi.as_view(), name="api_unmatched"),
    path("runs/<int:run_id>/swap/", api.SwapApi.as_view(), name="api_swap"),
    path("runs/<int:run_id>/publish/", api.PublishApi.as_view(), name="api_publish"),
    path("proposals/<int:proposal_id>/", api.ProposalDetailApi.as_view(), name="api_proposal"),
    path("proposals/<int:proposal_id>/lock/", api.ProposalLockApi.as_view(), name="api_lock"),
]
