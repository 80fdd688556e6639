from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "twoway.communities"
    label = "communities"
    verbose_name = "Communities"
