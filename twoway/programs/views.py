"""Program pages: the role-aware list, creating a program from a playbook, the manager's home
(lifecycle, checklist, key dates), the design and eligibility forms, saving as a playbook.

Views parse the request, fetch through selectors (a program the viewer may not manage is a 404)
and call services; a refusal from a service is shown next to the form. The checklist ticks in
place with HTMX and works as a plain form without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.enrolment import selectors as enrolment_selectors
from twoway.programs import lifecycle, selectors, services
from twoway.programs.forms import (
    EligibilityForm,
    PlaybookSaveForm,
    ProgramDesignForm,
    ProgramListFilterForm,
    ProgramNameForm,
)
from twoway.programs.models import EligibilityRule, Program
from twoway.programs.playbooks import BUILTIN_BY_KEY, BUILTIN_PLAYBOOKS, CUSTOM_PREFIX

PROGRAMS_PER_PAGE = 25


def _program(request: HttpRequest, program_id: int) -> Program:
    return selectors.program_get_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )


def _home_url(request: HttpRequest, program: Program) -> str:
    return reverse(
        "programs:home",
        args=[request.organisation.slug, program.pk],  # type: ignore[attr-defined]
    )


def _form_error(form: Any, error: ApplicationError) -> None:
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


def _involved(program: Program) -> bool:
    """Invited or applied (annotated by ``selectors.program_list_for_member``)."""
    return bool(program.is_invited or program.has_applied)  # type: ignore[attr-defined]


@organisation_view()
def program_list(request: HttpRequest) -> HttpResponse:
    """Managers and admins: the programs they manage, searchable, filterable and paginated.
    Everyone: the programs they were invited to or applied to, and those open for applications."""
    membership = request.membership  # type: ignore[attr-defined]
    can_create = membership.has_role(Role.PROGRAM_MANAGER)
    filter_form = ProgramListFilterForm(request.GET)
    page_obj = None
    filters: dict[str, str] = {}
    if can_create:
        filters = filter_form.filters()
        page_obj = Paginator(
            selectors.program_list_managed(membership=membership, **filters), PROGRAMS_PER_PAGE
        ).get_page(request.GET.get("page"))
    participating = list(selectors.program_list_participating(membership=membership))
    return render(
        request,
        "programs/list.html",
        {
            "page_obj": page_obj,
            "filter_form": filter_form,
            "is_filtered": any(filters.values()),
            "involved": [p for p in participating if _involved(p)],
            "open": [p for p in participating if not _involved(p)],
            "can_create": can_create,
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    """Choose a playbook (``?playbook=<key>``), then name the program."""
    organisation = request.organisation  # type: ignore[attr-defined]
    own_playbooks = selectors.playbook_list(organisation=organisation)
    key = request.POST.get("playbook") or request.GET.get("playbook", "")
    chosen: dict[str, Any] | None = None
    if key in BUILTIN_BY_KEY:
        builtin = BUILTIN_BY_KEY[key]
        chosen = {"key": key, "name": builtin.name, "summary": builtin.summary, "builtin": builtin}
    elif key.startswith(CUSTOM_PREFIX) and key[len(CUSTOM_PREFIX) :].isdigit():
        playbook = selectors.playbook_get(
            organisation=organisation, playbook_id=int(key[len(CUSTOM_PREFIX) :])
        )
        chosen = {
            "key": key,
            "name": playbook.name,
            "summary": playbook.description,
            "own": playbook,
        }
    elif key:
        raise Http404
    form = ProgramNameForm(request.POST or None, initial={"name": chosen["name"] if chosen else ""})
    if chosen and request.method == "POST" and form.is_valid():
        try:
            program = services.program_create_from_playbook(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                name=form.cleaned_data["name"],
                playbook_key=key if "builtin" in chosen else "",
                playbook=chosen.get("own"),
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{program.name} was created from the playbook.")
            return redirect(_home_url(request, program))
    return render(
        request,
        "programs/new.html",
        {
            "builtins": BUILTIN_PLAYBOOKS,
            "own_playbooks": own_playbooks,
            "chosen": chosen,
            "form": form,
            "custom_prefix": CUSTOM_PREFIX,
        },
    )


@organisation_view()
def program_home(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_detail_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )
    org_slug = request.organisation.slug  # type: ignore[attr-defined]
    current = lifecycle.STATUS_ORDER.index(Program.Status(program.status))
    transitions = [
        {"transition": t, "problems": lifecycle.problems_for(t, program)}
        for t in lifecycle.transitions_from(program.status)
    ]
    rules = {rule.role: rule for rule in program.eligibility.all()}
    return render(
        request,
        "programs/home.html",
        {
            "program": program,
            "steps": [
                {"status": s, "state": "done" if i < current else "current" if i == current else ""}
                for i, s in enumerate(lifecycle.STATUS_ORDER)
            ],
            "checklist": selectors.checklist_rows(program=program, org_slug=org_slug),
            "funnel": enrolment_selectors.funnel(program=program),
            "transitions": transitions,
            "eligibility": [
                (role, label, rules.get(role)) for role, label in EligibilityRule.Role.choices
            ],
        },
    )


@organisation_view()
def program_about(request: HttpRequest, program_id: int) -> HttpResponse:
    """What a (prospective) participant reads about a program open for applications."""
    program = selectors.program_get_for_participant(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )
    return render(request, "programs/about.html", {"program": program})


@organisation_view()
@require_POST
def checklist_tick(request: HttpRequest, program_id: int, step: str) -> HttpResponse:
    program = _program(request, program_id)
    try:
        program = services.checklist_tick(
            actor=request.user,  # type: ignore[arg-type]
            program=program,
            step=step,
            done=request.POST.get("done") == "1",
        )
    except ApplicationError:
        raise Http404 from None  # only an unknown step gets here
    if getattr(request, "htmx", False):
        org_slug = request.organisation.slug  # type: ignore[attr-defined]
        row = next(
            r
            for r in selectors.checklist_rows(program=program, org_slug=org_slug)
            if r["step"].key == step
        )
        response = render(
            request, "programs/_checklist_step.html", {"row": row, "program": program, "swap": True}
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    return redirect(_home_url(request, program) + f"#step-{step}")


@organisation_view()
@require_http_methods(["GET", "POST"])
def program_transition(request: HttpRequest, program_id: int, name: str) -> HttpResponse:
    """GET asks for confirmation (or says why the step is not possible); POST takes it."""
    program = _program(request, program_id)
    transition = lifecycle.TRANSITIONS_BY_NAME.get(name)
    if transition is None:
        raise Http404
    error: str = ""
    if request.method == "POST":
        try:
            lifecycle.program_transition(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                name=name,
            )
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(
                request, f"{program.name} is now {Program.Status(program.status).label.lower()}."
            )
            return redirect(_home_url(request, program))
    problems = lifecycle.problems_for(transition, program)
    return render(
        request,
        "programs/transition.html",
        {"program": program, "transition": transition, "problems": problems, "error": error},
        status=400 if error else 200,
    )


@organisation_view()
@require_http_methods(["GET", "POST"])
def program_design(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_detail_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )
    organisation = request.organisation  # type: ignore[attr-defined]
    form = ProgramDesignForm(
        request.POST or None,
        organisation=organisation,
        initial=ProgramDesignForm.initial_for(program),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key_areas = data.pop("key_areas")
        managers = list(data.pop("managers"))
        try:
            services.program_update(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                key_areas=key_areas,
                **data,
            )
            services.program_set_managers(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                managers=managers,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "The design was saved.")
            return redirect(_home_url(request, program))
    return render(request, "programs/design.html", {"program": program, "form": form})


@organisation_view()
@require_http_methods(["GET", "POST"])
def program_eligibility(request: HttpRequest, program_id: int, role: str) -> HttpResponse:
    if role not in EligibilityRule.Role.values:
        raise Http404
    program = _program(request, program_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    rule = selectors.eligibility_get(program=program, role=role)
    form = EligibilityForm(
        request.POST or None, organisation=organisation, initial=EligibilityForm.initial_for(rule)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.eligibility_set(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                role=role,
                **form.cleaned_data,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Who may be a {role} was saved.")
            return redirect(_home_url(request, program))
    return render(
        request,
        "programs/eligibility.html",
        {
            "program": program,
            "form": form,
            "role": role,
            "role_label": EligibilityRule.Role(role).label,
            "other_roles": [r for r in EligibilityRule.Role if r != role],
        },
    )


@organisation_view()
@require_http_methods(["GET", "POST"])
def playbook_save(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    form = PlaybookSaveForm(request.POST or None, initial={"name": program.name})
    if request.method == "POST" and form.is_valid():
        try:
            playbook = services.playbook_save_from_program(
                actor=request.user,  # type: ignore[arg-type]
                program=program,
                name=form.cleaned_data["name"],
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"Saved as the playbook “{playbook.name}” for your organisation."
            )
            return redirect(_home_url(request, program))
    return render(request, "programs/save_playbook.html", {"program": program, "form": form})
