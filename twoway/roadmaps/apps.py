from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "twoway.roadmaps"
    label = "roadmaps"
    verbose_name = "Roadmaps"
