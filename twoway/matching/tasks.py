"""Background tasks of matching (django-tasks; the worker is ``twoway worker``): the engine's
runs, and the emails that tell people they were matched — a link and their partner's name,
never a score or anything else about anyone."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task


@task()
def run_match(run_id: int) -> None:
    from twoway.matching.models import MatchRun
    from twoway.matching.services import match_run_execute

    run = MatchRun.objects.filter(pk=run_id).first()
    if run is not None:
        match_run_execute(run=run)


def site_url(base_url: str = "") -> str:
    """The address links point to: the one the request came in on, else the first allowed host
    (for the command line)."""
    if base_url:
        return base_url.rstrip("/")
    hosts = [host for host in settings.ALLOWED_HOSTS if host and "*" not in host]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    scheme = "https" if getattr(settings, "PRODUCTION", False) else "http"
    return f"{scheme}://{host}"


@task()
def send_match_published_emails(mentorship_ids: list[int], base_url: str = "") -> None:
    from twoway.mentorships.models import Mentorship

    mentorships = (
        Mentorship.objects.filter(pk__in=mentorship_ids)
        .select_related("program__organisation")
        .prefetch_related("members__person", "members__user")
    )
    for mentorship in mentorships:
        program = mentorship.program
        link = site_url(base_url) + reverse(
            "enrolment:home", kwargs={"org_slug": program.organisation.slug}
        )
        members = list(mentorship.members.all())
        for member in members:
            address = (member.user.email if member.user else "") or member.person.email
            if not address:
                continue
            if mentorship.kind == Mentorship.Kind.PAIR:
                partner = next(m for m in members if m.pk != member.pk)
                role = "mentor" if partner.role == "mentor" else "mentee"
                news = f"Your {role} is {partner.person.full_name}."
            else:
                news = f"You are in a mentoring circle of {len(members)}."
            send_mail(
                subject=f"You have been matched in {program.name}",
                message=(
                    f"Hello {member.person.first_name},\n\n{news}\n\n"
                    f"See your mentoring and what comes next here:\n\n{link}\n"
                ),
                from_email=None,
                recipient_list=[address],
            )
