"""Recognition pages under ``/o/<org>/recognition/``."""

from django.urls import path

from twoway.recognition import views

app_name = "recognition"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/<int:program_id>/", views.showcase, name="showcase"),
]
