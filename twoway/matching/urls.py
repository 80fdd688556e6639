from django.urls import path

from twoway.matching import views

app_name = "matching"

urlpatterns = [
    path("programs/<int:program_id>/", views.matching_home, name="home"),
    path("programs/<int:program_id>/settings/", views.matching_settings, name="settings"),
    path("programs/<int:program_id>/run/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/swap/", views.proposal_swap, name="swap"),
    path("runs/<int:run_id>/add/", views.proposal_add, name="add"),
    path("runs/<int:run_id>/compare/", views.compare, name="compare"),
    path("runs/<int:run_id>/publish/", views.run_publish, name="publish"),
    path("proposals/<int:proposal_id>/lock/", views.proposal_lock, name="lock"),
    path("proposals/<int:proposal_id>/remove/", views.proposal_remove, name="remove"),
]
