from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "twoway.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"
