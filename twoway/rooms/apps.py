from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "twoway.rooms"
    label = "rooms"
    verbose_name = "Mentorship Rooms"
