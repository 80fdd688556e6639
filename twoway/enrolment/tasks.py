"""Enrolment emails, sent in the background (django-tasks). Each carries a link and nothing of
what an application says."""

from __future__ import annotations

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task


@task()
def send_invitation_emails(invitation_ids: list[int], base_url: str) -> None:
    from twoway.enrolment.models import Invitation

    for invitation in Invitation.objects.filter(pk__in=invitation_ids, sent_at__isnull=True):
        link = base_url + reverse(
            "enrolment:invitation",
            kwargs={"org_slug": invitation.program.organisation.slug, "token": invitation.token},
        )
        send_mail(
            subject=f"You are invited to {invitation.program.name}",
            message=(
                f"Hello {invitation.person.first_name},\n\n"
                f"You are invited to take part in a mentoring program. Read about it and "
                f"apply here:\n\n{link}\n\nYou will be asked to sign in first.\n"
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at", "updated_at"])


@task()
def notify_applicant_manager(application_id: int) -> None:
    """Tell the applicant's directory manager that their report applied — only that."""
    from twoway.enrolment.models import Application

    application = (
        Application.objects.select_related("person__manager", "program")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return
    manager = application.person.manager
    if manager is None or not manager.email or not manager.is_active:
        return
    send_mail(
        subject=f"{application.person.full_name} applied to a mentoring program",
        message=(
            f"Hello {manager.first_name},\n\n"
            f"{application.person.full_name}, who reports to you, has applied to take part in "
            f"the mentoring program “{application.program.name}”. You do not need to do "
            "anything.\n"
        ),
        from_email=None,
        recipient_list=[manager.email],
    )
