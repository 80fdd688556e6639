from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "twoway.enrolment"
    label = "enrolment"
    verbose_name = "Enrolment"
