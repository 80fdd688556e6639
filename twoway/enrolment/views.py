"""The participant's enrolment pages: "My mentoring" (my programs), the application form, one
application, and the landing page of an emailed invitation. Views parse, call a selector or a
service, and render; every rule is in ``services.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.enrolment import availability, eligibility, selectors, services, tipi
from twoway.enrolment.forms import ApplicationForm
from twoway.enrolment.models import Application
from twoway.enrolment.status import applicant_status
from twoway.people.models import Topic


def _org(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


@organisation_view()
def my_programs(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    today = selectors.organisation_today(_org(request))
    rows = [
        (
            row,
            applicant_status(
                program=row.program,
                application=row.application,
                invitation=row.invitation,
                today=today,
            ),
        )
        for row in selectors.my_programs(membership=membership)
    ]
    return render(request, "enrolment/my_programs.html", {"rows": rows})


@organisation_view()
def application_create(request: HttpRequest, program_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    organisation = _org(request)
    program = selectors.program_get_for_applicant(membership=membership, program_id=program_id)
    existing = Application.objects.filter(program=program, user=membership.user).first()
    if existing is not None:
        return redirect(
            "enrolment:application", org_slug=organisation.slug, application_id=existing.pk
        )
    person = selectors.person_for_user(organisation=organisation, user=request.user)
    today = selectors.organisation_today(organisation)
    invitation = selectors.invitation_for(program=program, person=person) if person else None
    problems: list[str] = []
    if person is None:
        problems.append(
            "Your account is not linked to an entry in this organisation's directory, so you "
            "cannot apply yet. Ask your organisation's admin to add you."
        )
    else:
        rules = selectors.eligibility_rules_load(program=program)
        candidate = selectors.candidate_for(person)
        problems = eligibility.application_problems(rules, candidate, "either", today)
    if problems or person is None:
        status = applicant_status(
            program=program, application=None, invitation=invitation, today=today
        )
        return render(
            request,
            "enrolment/cannot_apply.html",
            {"program": program, "problems": problems, "status": status},
        )
    questions = list(selectors.question_list(program=program))
    topics = Topic.objects.for_organisation(organisation).order_by("category", "name")
    form_kwargs: dict[str, Any] = {
        "person": person,
        "questions": questions,
        "skills": topics.filter(kind=Topic.Kind.SKILL, is_curated=True),
        "interests": topics.filter(kind=Topic.Kind.INTEREST),
        "today": today,
    }
    if request.method == "POST":
        form = ApplicationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                application = services.application_submit(
                    actor=request.user, program=program, **form.service_arguments()
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Thank you — your application is in.")
                return redirect(
                    "enrolment:application",
                    org_slug=organisation.slug,
                    application_id=application.pk,
                )
    else:
        directory = selectors.directory_topics(person=person)
        curated_shares = [t for t in directory["shares"] if t.is_curated and t.kind == "skill"]
        curated_learns = [t for t in directory["learns"] if t.is_curated and t.kind == "skill"]
        form = ApplicationForm(
            initial={
                "role": "either",
                "shares": curated_shares,
                "shares_other": ", ".join(
                    t.name for t in directory["shares"] if t not in curated_shares
                ),
                "learns": curated_learns,
                "learns_other": ", ".join(
                    t.name for t in directory["learns"] if t not in curated_learns
                ),
                "interests": [t for t in directory["interest"] if t.kind == "interest"],
                "interests_other": ", ".join(
                    t.name for t in directory["interest"] if t.kind != "interest"
                ),
                "time_zone": person.time_zone,
                "meeting_mode": "either",
                "languages": ", ".join(person.languages),
            },
            **form_kwargs,
        )
    return render(
        request,
        "enrolment/apply.html",
        {
            "program": program,
            "form": form,
            "tipi": tipi,
            "days": availability.DAYS,
            "invitation": invitation,
        },
    )


@organisation_view()
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    application = selectors.application_get_for_applicant(
        membership=membership, application_id=application_id
    )
    today = selectors.organisation_today(_org(request))
    status = applicant_status(
        program=application.program, application=application, invitation=None, today=today
    )
    slots = availability.utc_to_local_slots(
        application.availability_utc, application.time_zone, today
    )
    by_day = [
        (day, [hour for hour in range(24) if (index, hour) in slots])
        for index, day in enumerate(availability.DAYS)
    ]
    return render(
        request,
        "enrolment/application.html",
        {
            "application": application,
            "status": status,
            "availability_by_day": [(day, hours) for day, hours in by_day if hours],
            "shown_time_zone": application.time_zone,
            "can_withdraw": application.status in services.WITHDRAW_FROM,
        },
    )


@require_POST
@organisation_view()
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    application = selectors.application_get_for_applicant(
        membership=membership, application_id=application_id
    )
    try:
        services.application_withdraw(actor=request.user, application=application)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You withdrew your application.")
    return redirect(
        "enrolment:application", org_slug=_org(request).slug, application_id=application.pk
    )


@organisation_view()
def invitation_landing(request: HttpRequest, token: str) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    invitation = selectors.invitation_get_by_token(membership=membership, token=token)
    if request.method == "POST":
        try:
            services.invitation_decline(actor=request.user, invitation=invitation)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "You declined the invitation.")
        return redirect("enrolment:home", org_slug=_org(request).slug)
    program = invitation.program
    application = Application.objects.filter(program=program, user=membership.user).first()
    today = selectors.organisation_today(_org(request))
    status = applicant_status(
        program=program, application=application, invitation=invitation, today=today
    )
    return render(
        request,
        "enrolment/invitation.html",
        {
            "invitation": invitation,
            "program": program,
            "application": application,
            "status": status,
        },
    )
