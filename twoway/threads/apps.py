from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "twoway.threads"
    label = "threads"
    verbose_name = "Growth Threads"
