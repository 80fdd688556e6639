"""Communities pages under ``/o/<org>/communities/``."""

from django.urls import path

from twoway.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/<int:program_id>/", views.program_space, name="program_space"),
]
