from django.urls import path

from twoway.people import api

urlpatterns = [
    path("", api.PersonListApi.as_view(), name="api_person_list"),
    path("<int:person_id>/", api.PersonDetailApi.as_view(), name="api_person_detail"),
    path("<int:person_id>/chain/", api.PersonChainApi.as_view(), name="api_person_chain"),
]
