from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "twoway.matching"
    label = "matching"
    verbose_name = "Matching"
