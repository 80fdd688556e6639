"""Insights pages: a program's health dashboard with its export, and the organisation roll-up.
Program managers see the programs they manage, admins every program; anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from twoway.core.access import OrganisationRequest, organisation_view
from twoway.core.models import Role
from twoway.insights import export, selectors, services
from twoway.insights.suppression import MIN_GROUP


@organisation_view(Role.PROGRAM_MANAGER)
def home(request: OrganisationRequest) -> HttpResponse:
    rollup = selectors.organisation_rollup(
        organisation=request.organisation,
        membership=request.membership,
        now=timezone.now(),
        page=request.GET.get("page", 1),
    )
    return render(request, "insights/home.html", {"rollup": rollup, "min_group": MIN_GROUP})


@organisation_view(Role.PROGRAM_MANAGER)
def program(request: OrganisationRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_for_insights(
        membership=request.membership, program_id=program_id
    )
    now = timezone.now()
    snapshot = services.health_snapshot_current(program=program, now=now)
    health = snapshot.health
    at_risk = selectors.at_risk_page_from(
        snapshot, program=program, now=now, page=request.GET.get("page", 1)
    )
    charts = {
        "trend": {
            "weeks": [week.isoformat() for week in health.trend.weeks],
            "sessions_held": health.trend.sessions_held,
            "mentorships_started": health.trend.mentorships_started,
            "pulse_mean": health.trend.pulse_mean,
        },
        "funnel": [health.invited, health.applied, health.approved, health.matched],
        "mentorships": health.mentorships,
        "goals": health.goals,
        "pulse": health.pulse.distribution.cells,
    }
    return render(
        request,
        "insights/program.html",
        {
            "program": program,
            "health": health,
            "snapshot": snapshot,
            "refresh_minutes": int(services.SNAPSHOT_EVERY.total_seconds() // 60),
            "at_risk": at_risk,
            "charts": charts,
            "min_group": MIN_GROUP,
            "outcome_labels": [selectors.OUTCOME_LABELS[c] for c in selectors.OUTCOMES],
            "trend_rows": list(
                zip(
                    health.trend.weeks,
                    health.trend.sessions_held,
                    health.trend.mentorships_started,
                    health.trend.pulse_mean,
                    strict=True,
                )
            ),
        },
    )


@organisation_view(Role.PROGRAM_MANAGER)
def program_export(request: OrganisationRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_for_insights(
        membership=request.membership, program_id=program_id
    )
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest("Format: choose csv or xlsx.", content_type="text/plain")
    health = services.health_snapshot_current(program=program, now=timezone.now()).health
    name = f"{slugify(program.name) or 'program'}-health.{kind}"
    if kind == "csv":
        response = HttpResponse(export.as_csv(program, health), content_type="text/csv")
    else:
        response = HttpResponse(
            export.as_xlsx(program, health),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@organisation_view(Role.PROGRAM_MANAGER)
def program_refresh(request: OrganisationRequest, program_id: int) -> HttpResponse:
    """Recompute the dashboard's figures now instead of waiting for the worker."""
    program = selectors.program_get_for_insights(
        membership=request.membership, program_id=program_id
    )
    if services.health_snapshot_recompute(program=program, now=timezone.now()):
        messages.success(request, "The figures were recomputed just now.")
    else:
        messages.info(request, "The figures were recomputed less than a minute ago.")
    return redirect("insights:program", org_slug=request.organisation.slug, program_id=program.pk)
