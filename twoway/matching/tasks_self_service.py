"""Self-service matching in the background (django-tasks): the emails, each a name and a link
and nothing of what a request says, and the periodic expiry of unanswered requests."""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def expire_match_requests(base_url: str = "") -> int:
    """Expire every overdue request (each passing on to the mentee's next suggestion); run it
    every hour or so. The pages also expire their program's overdue requests when opened."""
    from twoway.matching.self_service import match_requests_expire

    return match_requests_expire(base_url=base_url)


@task()
def send_match_request_email(
    kind: str, request_id: int, base_url: str, previous_id: int | None = None
) -> None:
    """``kind``: "requested" (to the mentor), "accepted", "passed_on" or "none_left" (to the
    mentee). The mentee never learns whether an earlier mentor declined or did not answer."""
    from twoway.matching.models import MatchRequest
    from twoway.matching.self_service import find_a_mentor_url, mentoring_requests_url

    related = ("program__organisation", "mentee__person", "mentee__user", "mentor__person")
    match_request = (
        MatchRequest.objects.select_related(*related, "mentor__user").filter(pk=request_id).first()
    )
    if match_request is None:
        return
    program = match_request.program
    mentee_name = match_request.mentee.person.full_name
    mentor_name = match_request.mentor.person.full_name
    if kind == "requested":
        link = mentoring_requests_url(program, base_url)
        recipient = match_request.mentor.user.email
        subject = f"{mentee_name} asked you to be their mentor"
        body = (
            f"{mentee_name} asked you to be their mentor. Read the request and answer it "
            f"here:\n\n{link}\n"
        )
    else:
        link = find_a_mentor_url(program, base_url)
        recipient = match_request.mentee.user.email
        if kind == "accepted":
            subject = f"{mentor_name} accepted your request"
            body = (
                f"{mentor_name} accepted your request to be your mentor. See it here:\n\n{link}\n"
            )
        elif kind == "passed_on":
            earlier = (
                MatchRequest.objects.select_related("mentor__person")
                .filter(pk=previous_id or 0)
                .first()
            )
            was = earlier.mentor.person.full_name if earlier else "The mentor you asked"
            subject = "We asked another mentor for you"
            body = (
                f"{was} is not available, so we asked {mentor_name}, your next suggestion, "
                f"for you. Follow your request here:\n\n{link}\n"
            )
        elif kind == "none_left":
            subject = "Your mentor request"
            body = (
                f"{mentor_name} is not available, and no other mentor with a free place fits "
                "you right now. Look again later, or ask your program's managers for help:"
                f"\n\n{link}\n"
            )
        else:
            raise ValueError(f"unknown email kind {kind!r}")
    if not recipient:
        return
    send_mail(
        subject=subject,
        message=f"Hello,\n\n{body}\nYou will be asked to sign in first.\n",
        from_email=None,
        recipient_list=[recipient],
    )
