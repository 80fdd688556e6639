"""Nudges pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from twoway.core.access import OrganisationRequest, organisation_view


@organisation_view()
def program(request: OrganisationRequest, program_id: int) -> HttpResponse:
    from twoway.programs.selectors import program_get_for_manager

    program = program_get_for_manager(membership=request.membership, program_id=program_id)
    return render(request, "nudges/home.html", {"program": program})
