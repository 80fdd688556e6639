"""Nudge pages: a program's rules and history for its managers, and a manager's one-click
nudge of a mentorship. Metadata only: who was nudged about which mentorship, and when."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.access import OrganisationRequest, organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.forms import add_refusal
from twoway.core.models import Role
from twoway.nudges.forms import LABELS, NudgeSettingsForm
from twoway.nudges.models import Rule
from twoway.nudges.rules import settings_for
from twoway.nudges.selectors import nudge_list_for_program, recipient_role_label
from twoway.nudges.services import nudge_send_manual, nudge_settings_update
from twoway.programs.selectors import program_get_for_manager
from twoway.rooms.access import mentorship_get_for_manager

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
@organisation_view(Role.PROGRAM_MANAGER)
def program(request: OrganisationRequest, program_id: int) -> HttpResponse:
    """The program's nudge rules (a form) and the history of nudges sent, filterable by rule."""
    found = program_get_for_manager(membership=request.membership, program_id=program_id)
    settings = settings_for(found)
    if request.method == "POST":
        form = NudgeSettingsForm(request.POST)
        if form.is_valid():
            try:
                nudge_settings_update(
                    actor=request.membership, program=found, values=form.cleaned_data
                )
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "Nudge settings saved.")
                return redirect("nudges:program", request.organisation.slug, found.pk)
    else:
        form = NudgeSettingsForm(initial={name: getattr(settings, name) for name in LABELS})
    rule = request.GET.get("rule", "")
    rule = rule if rule in Rule.values else ""
    page = Paginator(nudge_list_for_program(program=found, rule=rule), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    for nudge in rows:
        nudge.role_label = recipient_role_label(nudge)  # type: ignore[attr-defined]
    return render(
        request,
        "nudges/home.html",
        {
            "program": found,
            "form": form,
            "page_obj": page,
            "rows": rows,
            "rule": rule,
            "rules": Rule.choices,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_view(Role.PROGRAM_MANAGER)
def mentorship_nudge(request: OrganisationRequest, mentorship_id: int) -> HttpResponseRedirect:
    """A manager's one-click reminder to a mentorship's members; back to ``next`` (a local
    path) or the program's nudges page."""
    mentorship = mentorship_get_for_manager(
        membership=request.membership, mentorship_id=mentorship_id
    )
    try:
        sent = nudge_send_manual(actor=request.membership, mentorship=mentorship)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Reminder sent to {len(sent)} member{'s' if len(sent) != 1 else ''}."
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = reverse("nudges:program", args=[request.organisation.slug, mentorship.program_id])
    return HttpResponseRedirect(target)
