"""The program manager's enrolment pages: funnel and applicants, decisions, CSV export,
invitations, custom questions. Every page fetches the program through the programs app's
``program_get_for_manager`` — organisation admins and the program's own managers; anyone else,
including the manager of another program, gets a 404.

Nothing here reads diversity responses.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError, FileValidationError
from twoway.enrolment import availability, selectors, services
from twoway.enrolment.forms import InviteByCsvForm, InviteByFiltersForm, QuestionForm
from twoway.enrolment.models import Application, CustomQuestion, Role
from twoway.people import selectors as people_selectors
from twoway.programs.models import Program
from twoway.programs.selectors import program_get_for_manager

PER_PAGE = 25
DECISIONS = {
    "approve": (services.application_bulk_approve, "approved"),
    "decline": (services.application_bulk_decline, "declined"),
}

# One application's decisions: service, the statuses it may leave, and what the message says.
SINGLE_DECISIONS = {
    "approve": (services.application_approve, services.APPROVE_FROM, "Approve", "approved"),
    "waitlist": (
        services.application_waitlist,
        services.WAITLIST_FROM,
        "Put on the waiting list",
        "put on the waiting list",
    ),
    "decline": (services.application_decline, services.DECLINE_FROM, "Decline", "declined"),
}
TIPI_LABELS = {
    "extraversion": "Extraversion",
    "agreeableness": "Agreeableness",
    "conscientiousness": "Conscientiousness",
    "emotional_stability": "Emotional stability",
    "openness": "Openness to experiences",
}


def _program(request: HttpRequest, program_id: int) -> Program:
    return program_get_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )


def _applicants_url(request: HttpRequest, program: Program) -> str:
    return reverse(
        "enrolment:applicants",
        kwargs={"org_slug": request.organisation.slug, "program_id": program.pk},  # type: ignore[attr-defined]
    )


@organisation_view()
def applicants(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    status = request.GET.get("status", "")
    status = status if status in Application.Status.values else ""
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    search = " ".join(request.GET.get("q", "").split())[:200]
    page_obj = Paginator(
        selectors.applicant_list(program=program, status=status, role=role, search=search),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "enrolment/manage/applicants.html",
        {
            "program": program,
            "funnel": selectors.funnel(program=program),
            "page_obj": page_obj,
            "filters": {"status": status, "role": role, "q": search},
            "is_filtered": bool(status or role or search),
            "statuses": Application.Status.choices,
            "roles": Role.choices,
        },
    )


@require_POST
@organisation_view()
def applicants_decide(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    decision = DECISIONS.get(request.POST.get("action", ""))
    ids = [int(pk) for pk in request.POST.getlist("application") if pk.isdigit()]
    back = _applicants_url(request, program) + request.POST.get("next_query", "")
    if decision is None:
        messages.error(request, "Choose approve or decline.")
        return redirect(back)
    service, done = decision
    try:
        count = service(actor=request.user, program=program, application_ids=ids)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{count} {'application' if count == 1 else 'applications'} {done}."
        )
    return redirect(back)


@organisation_view()
def application_detail(request: HttpRequest, program_id: int, application_id: int) -> HttpResponse:
    """One applicant's questionnaire for the manager deciding on it. The availability grid is
    shown in the viewer's own time zone, so a manager compares everyone on one clock. Diversity
    answers are never read here."""
    program = _program(request, program_id)
    application = selectors.application_detail_for_manager(
        program=program, application_id=application_id
    )
    zone = timezone.get_current_timezone_name()
    slots = availability.utc_to_local_slots(
        application.availability_utc, zone, timezone.localdate()
    )
    hours = sorted({hour for _, hour in slots})
    grid = [
        (
            hour,
            [
                ((day, hour) in slots, f"{name} {hour:02d}:00")
                for day, name in enumerate(availability.DAYS)
            ],
        )
        for hour in (range(hours[0], hours[-1] + 1) if hours else ())
    ]
    deciding = program.status in services.DECIDING_STATUSES
    decisions = [
        (action, label)
        for action, (_service, allowed, label, _done) in SINGLE_DECISIONS.items()
        if deciding and application.status in allowed
    ]
    return render(
        request,
        "enrolment/manage/application.html",
        {
            "program": program,
            "application": application,
            "history": _history(application),
            "tipi": [
                (label, getattr(application, name))
                for name, label in TIPI_LABELS.items()
                if getattr(application, name) is not None
            ],
            "days": availability.DAYS,
            "grid": grid,
            "available_hours": len(slots),
            "viewer_time_zone": zone,
            "answers": [
                (answer.question.text, _answer_text(answer.value))
                for answer in application.answers.all()
            ],
            "decisions": decisions,
        },
    )


def _history(application: Application) -> list[tuple[Any, str]]:
    """What happened to the application and when, oldest first. Only the latest decision is
    kept, so an earlier decision a manager changed does not appear."""
    events: list[tuple[Any, str]] = []
    invitation = application.invitation
    if invitation is not None:
        events.append((invitation.sent_at or invitation.created_at, "Invited"))
    events.append((application.submitted_at, "Applied"))
    if application.promoted_at:
        events.append((application.promoted_at, "Moved off the waiting list (a place opened up)"))
    if application.decided_at:
        who = application.decided_by
        events.append(
            (application.decided_at, f"Decided by {who}" if who else "Decided automatically")
        )
    if application.withdrawn_at:
        events.append((application.withdrawn_at, "Withdrawn by the applicant"))
    return sorted(events, key=lambda event: event[0])


@require_POST
@organisation_view()
def application_decide(request: HttpRequest, program_id: int, application_id: int) -> HttpResponse:
    program = _program(request, program_id)
    application = selectors.application_get_for_manager(
        program=program, application_id=application_id
    )
    decision = SINGLE_DECISIONS.get(request.POST.get("action", ""))
    if decision is None:
        messages.error(request, "Choose approve, waiting list or decline.")
    else:
        service, _allowed, _label, done = decision
        try:
            service(actor=request.user, application=application)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{application.person.full_name} was {done}.")
    return redirect(
        "enrolment:applicant",
        org_slug=program.organisation.slug,
        program_id=program.pk,
        application_id=application.pk,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@organisation_view()
def applicants_export(request: HttpRequest, program_id: int) -> HttpResponse:
    """The applicants as CSV: who, role, status, dates and questionnaire answers a manager needs
    to plan — never diversity data, never working-style scores."""
    program = _program(request, program_id)
    questions = list(selectors.question_list(program=program))
    header = [
        "employee_id",
        "first_name",
        "last_name",
        "email",
        "department",
        "level",
        "role",
        "status",
        "submitted_at",
        "decided_at",
        "shares",
        "learns",
        "interests",
        "meeting_mode",
        "languages",
        "available_hours_per_week",
        *(question.text for question in questions),
    ]
    rows: list[list[Any]] = [header]
    for application in selectors.applicant_export_rows(program=program).iterator(chunk_size=2000):
        person = application.person
        answers = {answer.question_id: answer.value for answer in application.answers.all()}
        rows.append(
            [
                person.employee_id,
                person.first_name,
                person.last_name,
                person.email,
                person.department.name if person.department else "",
                person.level or "",
                application.role,
                application.status,
                application.submitted_at.isoformat(),
                application.decided_at.isoformat() if application.decided_at else "",
                "; ".join(t.name for t in application.shares.all()),
                "; ".join(t.name for t in application.learns.all()),
                "; ".join(t.name for t in application.interests.all()),
                application.meeting_mode,
                "; ".join(application.languages),
                application.available_hours,
                *(_answer_text(answers.get(question.pk)) for question in questions),
            ]
        )
    writer = csv.writer(_Echo())
    response = HttpResponse(
        "".join(writer.writerow([_safe_cell(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="applicants-{program.pk}.csv"'
    return response


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _safe_cell(value: Any) -> Any:
    """Spreadsheets run cells that start like a formula; quote them."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


@organisation_view()
def invite(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    choices = {
        "departments": people_selectors.department_list(organisation=organisation),
        "teams": people_selectors.team_list(organisation=organisation),
        "levels": people_selectors.level_list(organisation=organisation),
        "topics": people_selectors.topic_list(organisation=organisation),
    }
    filters_form = InviteByFiltersForm(request.GET or None, **choices)
    csv_form = InviteByCsvForm()
    matching: list[Any] | None = None
    report = None
    if filters_form.is_bound and filters_form.is_valid() and filters_form.has_filter():
        matching = _people_for(organisation, filters_form.cleaned_data)
    if request.method == "POST":
        try:
            if request.POST.get("source") == "csv":
                csv_form = InviteByCsvForm(request.POST, request.FILES)
                if not csv_form.is_valid():
                    raise ApplicationError("Choose a CSV file of email addresses.")
                upload = csv_form.cleaned_data["file"]
                if upload.size > 2_000_000:
                    raise ApplicationError("The file is larger than 2 MB.")
                people = services.invitation_people_from_csv(
                    organisation=organisation, content=upload.read()
                )
            else:
                posted = InviteByFiltersForm(request.POST, **choices)
                if not posted.is_valid() or not posted.has_filter():
                    raise ApplicationError("Choose at least one filter before inviting.")
                people = _people_for(organisation, posted.cleaned_data)
            batch = services.invitation_send_bulk(
                actor=request.user,
                program=program,
                people=people,
                base_url=request.build_absolute_uri("/"),
            )
        except FileValidationError as error:
            messages.error(request, error.message)
            report = error.report
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            parts = [f"{len(batch.invited)} invited"]
            if batch.already_invited:
                parts.append(f"{len(batch.already_invited)} had been invited already")
            if batch.already_applied:
                parts.append(f"{len(batch.already_applied)} had applied already")
            if batch.without_email:
                parts.append(f"{len(batch.without_email)} have no email address")
            messages.success(request, "; ".join(parts) + ".")
            return redirect("enrolment:invite", org_slug=organisation.slug, program_id=program.pk)
    return render(
        request,
        "enrolment/manage/invite.html",
        {
            "program": program,
            "filters_form": filters_form,
            "csv_form": csv_form,
            "matching": matching,
            "report": report,
            "invitations": selectors.invitation_list_for_program(program=program)[:50],
            "invitation_count": selectors.invitation_list_for_program(program=program).count(),
        },
    )


def _people_for(organisation: Any, data: dict[str, Any]) -> list[Any]:
    return services.invitation_people_from_filters(
        organisation=organisation,
        search=data.get("q") or "",
        department_id=data.get("department"),
        team_id=data.get("team"),
        level=data.get("level"),
        topic_id=data.get("topic"),
    )


@organisation_view()
def questions(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(
                actor=request.user, program=program, **form.service_arguments()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Question added.")
            return redirect(
                "enrolment:questions",
                org_slug=program.organisation.slug,
                program_id=program.pk,
            )
    return render(
        request,
        "enrolment/manage/questions.html",
        {"program": program, "form": form, "questions": selectors.question_list(program=program)},
    )


@organisation_view()
def question_edit(request: HttpRequest, program_id: int, question_id: int) -> HttpResponse:
    program = _program(request, program_id)
    question: CustomQuestion = selectors.question_get(program=program, question_id=question_id)
    initial = {
        "text": question.text,
        "help_text": question.help_text,
        "kind": question.kind,
        "choices": "\n".join(question.choices),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "required": question.required,
        "used_for_matching": question.used_for_matching,
        "weight": question.weight,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    # The kind stays: answers already given are of that kind.
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        arguments.pop("kind")
        try:
            services.question_update(actor=request.user, question=question, **arguments)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Question saved.")
            return redirect(
                "enrolment:questions", org_slug=program.organisation.slug, program_id=program.pk
            )
    return render(
        request,
        "enrolment/manage/question_edit.html",
        {"program": program, "form": form, "question": question},
    )


@require_POST
@organisation_view()
def question_move(request: HttpRequest, program_id: int, question_id: int) -> HttpResponse:
    """Move a question one place up or down the form."""
    program = _program(request, program_id)
    question: CustomQuestion = selectors.question_get(program=program, question_id=question_id)
    ids = list(selectors.question_list(program=program).values_list("pk", flat=True))
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    position = ids.index(question.pk) + step
    if step and 0 <= position < len(ids):
        try:
            services.question_move(actor=request.user, question=question, position=position)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"“{question.text}” moved {request.POST['direction']}.")
    return redirect(
        "enrolment:questions", org_slug=program.organisation.slug, program_id=program.pk
    )


@require_POST
@organisation_view()
def question_delete(request: HttpRequest, program_id: int, question_id: int) -> HttpResponse:
    program = _program(request, program_id)
    question: CustomQuestion = selectors.question_get(program=program, question_id=question_id)
    try:
        services.question_delete(actor=request.user, question=question)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Question deleted.")
    return redirect(
        "enrolment:questions", org_slug=program.organisation.slug, program_id=program.pk
    )
