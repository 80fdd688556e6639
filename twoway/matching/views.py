"""The program manager's matching pages: settings, runs with their progress, the draft's review
(lock, remove, swap, add by hand, compare two mentors), publishing. Thin: every write is a
service call; managers of the program and organisation admins only, everyone else a 404."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.matching import selectors, services
from twoway.matching.engine import Criterion
from twoway.matching.engine.scoring import prepare
from twoway.matching.forms import (
    AddPairForm,
    CompareForm,
    MatchingSettingsForm,
    SearchForm,
    SwapForm,
    criterion_label,
)
from twoway.matching.models import MatchRun, Proposal
from twoway.matching.problem import program_problem
from twoway.programs.selectors import program_get_for_manager

PROPOSALS_PER_PAGE = 25


def _program(request: HttpRequest, program_id: int) -> Any:
    return program_get_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        program_id=program_id,
    )


def _run(request: HttpRequest, run_id: int) -> MatchRun:
    return selectors.run_get_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        run_id=run_id,
    )


def _run_url(run: MatchRun) -> str:
    return reverse(
        "matching:run", kwargs={"org_slug": run.program.organisation.slug, "run_id": run.pk}
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@organisation_view(Role.PROGRAM_MANAGER)
def matching_home(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's matching: its settings at a glance, its runs, the button to run."""
    program = _program(request, program_id)
    settings = services.matching_settings_get_or_create(program=program)
    weights = services.weights_effective(settings)
    return render(
        request,
        "matching/home.html",
        {
            "program": program,
            "settings": settings,
            "weights": [(criterion_label(c)[0], w) for c, w in weights.items()],
            "runs": selectors.run_list(program=program)[:20],
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_http_methods(["GET", "POST"])
def matching_settings(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    settings = services.matching_settings_get_or_create(program=program)
    form = MatchingSettingsForm(
        request.POST or None,
        initial=MatchingSettingsForm.initial_for(settings, services.weights_effective(settings)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.matching_settings_update(
                actor=request.user,
                program=program,
                weights=form.weights(),
                min_shared_hours=form.cleaned_data["min_shared_hours"],
                load_spreading=form.cleaned_data["load_spreading"],
                self_service=form.cleaned_data["self_service"],
                request_days=form.cleaned_data["request_days"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Matching settings saved.")
            return redirect(
                "matching:home", org_slug=program.organisation.slug, program_id=program.pk
            )
    return render(
        request,
        "matching/settings.html",
        {"program": program, "form": form},
        status=422 if form.errors else 200,
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def run_start(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    try:
        run = services.match_run_start(actor=request.user, program=program)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("matching:home", org_slug=program.organisation.slug, program_id=program.pk)
    return redirect(_run_url(run))


@organisation_view(Role.PROGRAM_MANAGER)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run: its progress while it runs; then the summary, the proposals (25 a page, searchable
    by name), the unmatched with their reasons, and the tools to change the draft."""
    run = _run(request, run_id)
    busy = run.status in services.BUSY
    if request.htmx:  # type: ignore[attr-defined]
        if not busy:  # finished: reload to show the result
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "matching/_run_status.html", {"run": run})
    context: dict[str, Any] = {"run": run, "program": run.program, "busy": busy}
    if run.status in (MatchRun.Status.DONE, MatchRun.Status.PUBLISHED):
        search = SearchForm(request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        page = Paginator(
            selectors.proposal_list(run=run, search=query), PROPOSALS_PER_PAGE
        ).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        for proposal in page.object_list:
            proposal.rows = [  # type: ignore[attr-defined]
                (label, float(value)) for label, value in _breakdown_rows(run, proposal.breakdown)
            ]
        editable = run.status == MatchRun.Status.DONE and _is_latest(run)
        context.update(
            search=search,
            query=query,
            page=page,
            unmatched=[
                (entry, services.rule_label(entry.rule, run.program))
                for entry in selectors.unmatched_list(run=run)
            ],
            editable=editable,
            gap_percent=round(100 * run.gap, 1),
        )
        if editable:
            candidates = selectors.candidates_for_pair(run=run)
            context["swap_form"] = SwapForm(proposals=list(page.object_list))
            context["add_form"] = AddPairForm(
                mentors=candidates.mentors, mentees=candidates.mentees
            )
            context["compare_form"] = CompareForm(
                mentors=candidates.mentors, mentees=candidates.mentees
            )
    return render(request, "matching/run.html", context)


def _breakdown_rows(run: MatchRun, breakdown: dict[str, float]) -> list[tuple[str, float]]:
    if run.kind == MatchRun.Kind.CIRCLES:
        names = {"cohesion": "Shared learning goals", "diversity": "Mix of perspectives"}
        return [(names.get(key, key), value) for key, value in breakdown.items()]
    return [(criterion_label(c)[0], breakdown.get(str(c), 0.0)) for c in Criterion]


def _is_latest(run: MatchRun) -> bool:
    newest = services.latest_run(run.program)
    return newest is not None and newest.pk == run.pk


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    return selectors.proposal_get_for_manager(
        membership=request.membership,  # type: ignore[attr-defined]
        proposal_id=proposal_id,
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def proposal_lock(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    locked = request.POST.get("locked") == "1"
    try:
        services.proposal_lock(actor=request.user, proposal=proposal, locked=locked)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Pair locked." if locked else "Pair unlocked.")
    return redirect(_run_url(proposal.run))


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def proposal_remove(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    run = proposal.run
    try:
        services.proposal_remove(actor=request.user, proposal=proposal)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Pair removed; its people are listed as unplaced.")
    return redirect(_run_url(run))


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def proposal_swap(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    proposals = list(selectors.proposal_list(run=run))
    form = SwapForm(request.POST, proposals=proposals)
    if not form.is_valid():
        messages.error(request, "Choose the two pairs whose mentors you want to swap.")
        return redirect(_run_url(run))
    by_id = {p.pk: p for p in proposals}
    try:
        services.proposal_swap(
            actor=request.user,
            first=by_id[form.cleaned_data["first"]],
            second=by_id[form.cleaned_data["second"]],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Mentors swapped.")
    return redirect(_run_url(run))


@organisation_view(Role.PROGRAM_MANAGER)
@require_POST
def proposal_add(request: HttpRequest, run_id: int) -> HttpResponse:
    """Add a pair by hand; a refusal or a warning shows on the form (the warning with a box to
    confirm it)."""
    run = _run(request, run_id)
    candidates = selectors.candidates_for_pair(run=run)
    form = AddPairForm(request.POST, mentors=candidates.mentors, mentees=candidates.mentees)
    warning = ""
    if form.is_valid():
        try:
            services.proposal_add(
                actor=request.user,
                run=run,
                mentor=selectors.application_get_for_run(
                    run=run, application_id=form.cleaned_data["mentor"]
                ),
                mentee=selectors.application_get_for_run(
                    run=run, application_id=form.cleaned_data["mentee"]
                ),
                confirm_warning=form.cleaned_data["confirm_warning"],
            )
        except services.NeedsConfirmation as error:
            warning = error.warning
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Pair added and locked.")
            return redirect(_run_url(run))
    return render(
        request,
        "matching/add_pair.html",
        {"run": run, "program": run.program, "form": form, "warning": warning},
        status=422,
    )


@organisation_view(Role.PROGRAM_MANAGER)
def compare(request: HttpRequest, run_id: int) -> HttpResponse:
    """One mentee and two candidate mentors side by side: scores, breakdown, reasons, and any
    hard rule a pair would break."""
    run = _run(request, run_id)
    candidates = selectors.candidates_for_pair(run=run)
    form = CompareForm(
        request.GET or None, mentors=candidates.mentors, mentees=selectors.mentee_side(run=run)
    )
    columns: list[dict[str, Any]] = []
    if form.is_valid():
        mentee_id = form.cleaned_data["mentee"]
        mentor_ids = [form.cleaned_data["mentor_a"], form.cleaned_data["mentor_b"]]
        built = program_problem(program=run.program)
        f = prepare(built.problem)
        e_at, m_at = built.mentee_index(), built.mentor_index()
        for mentor_id in mentor_ids:
            if mentee_id not in e_at or mentor_id not in m_at:
                raise Http404
            check = services.pair_check(built, f, e_at[mentee_id], m_at[mentor_id])
            columns.append(
                {
                    "mentor": built.mentors[m_at[mentor_id]],
                    "check": check,
                    "rule": services.rule_label(check.rule, run.program) if check.rule else "",
                    "rows": [
                        (criterion_label(c)[0], check.breakdown.get(str(c), 0.0)) for c in Criterion
                    ],
                }
            )
        mentee = built.mentees[e_at[mentee_id]]
    else:
        mentee = None
    return render(
        request,
        "matching/compare.html",
        {
            "run": run,
            "program": run.program,
            "form": form,
            "mentee": mentee,
            "columns": columns,
            "best": int(np.argmax([c["check"].score for c in columns])) if columns else -1,
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
@require_http_methods(["GET", "POST"])
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    """Confirm, then publish: mentorships are created and everyone is emailed."""
    run = _run(request, run_id)
    if request.method == "POST":
        count = run.proposals.count()
        try:
            services.match_run_publish(actor=request.user, run=run, base_url=_base_url(request))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Published: {count} mentorship{'s' if count != 1 else ''} created; everyone "
                "matched gets an email.",
            )
        return redirect(_run_url(run))
    proposals = run.proposals.count()
    return render(
        request,
        "matching/publish.html",
        {"run": run, "program": run.program, "proposals": proposals},
    )
