from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "twoway.nudges"
    label = "nudges"
    verbose_name = "Nudges"
