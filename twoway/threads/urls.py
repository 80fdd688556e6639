"""Growth Threads pages under ``/o/<org>/threads/``."""

from django.urls import path

from twoway.threads import views

app_name = "threads"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/<int:program_id>/", views.program_counts, name="program_counts"),
]
