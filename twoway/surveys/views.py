"""Survey pages: the surveys a participant may answer and the answer page; for a program's
managers, its surveys, the builder, opening and closing, and the results.

Each view fetches through a selector (what the viewer may not see is a 404), parses a form and
calls a service; a refusal re-shows the page with the reason on the field it concerns.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from twoway.core.access import OrganisationRequest, organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.forms import add_refusal
from twoway.core.models import Role
from twoway.insights.suppression import MIN_GROUP
from twoway.programs.selectors import program_get_for_manager, program_list_managed
from twoway.surveys import selectors, services
from twoway.surveys.forms import AnswerForm, NewSurveyForm, QuestionForm, SettingsForm
from twoway.surveys.models import Survey

PAGE_SIZE = 20


def _page(request: HttpRequest, rows: Any, param: str = "page") -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))


# --- Participants --------------------------------------------------------------------------------


@organisation_view()
def home(request: OrganisationRequest) -> HttpResponse:
    """Open surveys I may answer (and whether I did); for managers, the programs they manage."""
    membership = request.membership
    context: dict[str, Any] = {
        "surveys": _page(request, selectors.survey_list_open_for_member(membership=membership)),
    }
    if membership.has_role(Role.PROGRAM_MANAGER):
        context["programs"] = _page(
            request, program_list_managed(membership=membership).only("pk", "name"), "programs"
        )
    return render(request, "surveys/home.html", context)


@organisation_view()
def answer(request: OrganisationRequest, survey_id: int) -> HttpResponse:
    membership = request.membership
    survey = selectors.survey_get_for_respondent(membership=membership, survey_id=survey_id)
    answered = selectors.has_answered(survey=survey, user_id=membership.user_id)
    questions = selectors.questions_of(survey=survey)
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(membership=membership, survey=survey, answers=form.answers())
        except ApplicationError as error:
            form.add_refusal(error)
            answered = error.extra.get("code") == "already_answered"
        else:
            messages.success(request, "Thank you: your answers were saved.")
            return redirect("surveys:home", org_slug=membership.organisation.slug)
    status = 400 if form.errors else 200
    context = {"survey": survey, "form": form, "answered": answered, "min_group": MIN_GROUP}
    return render(request, "surveys/answer.html", context, status=status)


# --- Managers ------------------------------------------------------------------------------------


@organisation_view(Role.PROGRAM_MANAGER)
def program(request: OrganisationRequest, program_id: int) -> HttpResponse:
    """The program's surveys and the form to start one."""
    program = program_get_for_manager(membership=request.membership, program_id=program_id)
    form = NewSurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                actor=request.membership,
                program=program,
                template=form.cleaned_data["template"],
                title=form.cleaned_data["title"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Survey created as a draft: add or change its questions.")
            return redirect("surveys:edit", org_slug=program.organisation.slug, survey_id=survey.pk)
    context = {
        "program": program,
        "surveys": _page(request, selectors.survey_list_for_program(program=program)),
        "form": form,
    }
    return render(request, "surveys/program.html", context, status=400 if form.errors else 200)


def _edit_page(
    request: OrganisationRequest,
    survey: Survey,
    *,
    settings_form: SettingsForm | None = None,
    question_form: QuestionForm | None = None,
) -> HttpResponse:
    settings_form = settings_form or SettingsForm(
        initial={
            "title": survey.title,
            "intro": survey.intro,
            "is_anonymous": survey.is_anonymous,
            "audience": survey.audience,
        }
    )
    question_form = question_form or QuestionForm(auto_id="id_new_%s")
    failed = bool(settings_form.errors or question_form.errors)
    context = {
        "survey": survey,
        "program": survey.program,
        "questions": selectors.questions_of(survey=survey),
        "settings_form": settings_form,
        "question_form": question_form,
        "audience_size": len(selectors.audience_user_ids(survey=survey)),
    }
    return render(request, "surveys/edit.html", context, status=400 if failed else 200)


@organisation_view(Role.PROGRAM_MANAGER)
def edit(request: OrganisationRequest, survey_id: int) -> HttpResponse:
    """The builder: the survey's settings and its questions."""
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    if request.method != "POST":
        return _edit_page(request, survey)
    form = SettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_update(
                actor=request.membership,
                survey=survey,
                title=data["title"],
                intro=data["intro"],
                is_anonymous=data["is_anonymous"],
                audience=data["audience"],
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Survey saved.")
            return redirect("surveys:edit", org_slug=request.organisation.slug, survey_id=survey.pk)
    survey.refresh_from_db()
    return _edit_page(request, survey, settings_form=form)


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def question_new(request: OrganisationRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    form = QuestionForm(request.POST, auto_id="id_new_%s")
    if form.is_valid():
        try:
            services.question_add(actor=request.membership, survey=survey, **form.service_kwargs())
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("surveys:edit", org_slug=request.organisation.slug, survey_id=survey.pk)
    return _edit_page(request, survey, question_form=form)


@organisation_view(Role.PROGRAM_MANAGER)
def question_edit(request: OrganisationRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    question = selectors.question_get_for_manager(survey=survey, question_id=question_id)
    question.survey = survey
    if request.method == "POST":
        form = QuestionForm(request.POST, auto_id="id_edit_%s")
        if form.is_valid():
            try:
                services.question_update(
                    actor=request.membership, question=question, **form.service_kwargs()
                )
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "Question saved.")
                return redirect(
                    "surveys:edit", org_slug=request.organisation.slug, survey_id=survey.pk
                )
    else:
        form = QuestionForm.for_question(question)
    context = {"survey": survey, "program": survey.program, "question": question, "form": form}
    return render(request, "surveys/question.html", context, status=400 if form.errors else 200)


def _action(request: OrganisationRequest, survey: Survey, action: Any, done: str) -> HttpResponse:
    """Run a builder action; a refusal comes back as a message on the builder."""
    try:
        action()
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("surveys:edit", org_slug=request.organisation.slug, survey_id=survey.pk)


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def question_delete(request: OrganisationRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    question = selectors.question_get_for_manager(survey=survey, question_id=question_id)
    question.survey = survey
    return _action(
        request,
        survey,
        lambda: services.question_delete(actor=request.membership, question=question),
        "Question deleted.",
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def question_move(request: OrganisationRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    question = selectors.question_get_for_manager(survey=survey, question_id=question_id)
    question.survey = survey
    up = request.POST.get("direction") == "up"
    return _action(
        request,
        survey,
        lambda: services.question_move(actor=request.membership, question=question, up=up),
        "Question moved up." if up else "Question moved down.",
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def survey_open(request: OrganisationRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    return _action(
        request,
        survey,
        lambda: services.survey_open(actor=request.membership, survey=survey),
        "The survey is open; the people it is for were notified.",
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def survey_close(request: OrganisationRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    return _action(
        request,
        survey,
        lambda: services.survey_close(actor=request.membership, survey=survey),
        "The survey is closed; it takes no more answers.",
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def survey_delete(request: OrganisationRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    try:
        services.survey_delete(actor=request.membership, survey=survey)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("surveys:edit", org_slug=request.organisation.slug, survey_id=survey.pk)
    messages.success(request, "Draft survey deleted.")
    return redirect(
        "surveys:program", org_slug=request.organisation.slug, program_id=survey.program_id
    )


@organisation_view(Role.PROGRAM_MANAGER)
def results(request: OrganisationRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_manager(membership=request.membership, survey_id=survey_id)
    context = {
        "survey": survey,
        "program": survey.program,
        "results": selectors.survey_results(survey=survey),
    }
    return render(request, "surveys/results.html", context)
