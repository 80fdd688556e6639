"""Pages of Roadmaps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from twoway.core.access import organisation_view


@organisation_view()
def library(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmaps/library.html", {})


@organisation_view()
def program(request: HttpRequest, program_id: int) -> HttpResponse:
    return render(request, "roadmaps/program.html", {})
