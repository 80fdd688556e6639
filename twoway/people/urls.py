from django.urls import path

from twoway.people import views, views_import

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("chart/", views.org_chart, name="org_chart"),
    path("chart/<int:person_id>/children/", views.org_chart_children, name="org_chart_children"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    # Import and export (views_import.py).
    path("import/", views_import.person_import, name="import"),
    path("import/<int:job_id>/", views_import.import_job, name="import_job"),
    path("import/<int:job_id>/errors.csv", views_import.import_job_errors, name="import_errors"),
    path("export.csv", views_import.person_export, name="export"),
]
