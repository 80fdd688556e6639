from django.urls import path

from twoway.accounts import views

urlpatterns = [
    path("", views.profile, name="profile"),
]
