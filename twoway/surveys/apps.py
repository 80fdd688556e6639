from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "twoway.surveys"
    label = "surveys"
    verbose_name = "Surveys"
