"""Pages of Communities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from twoway.core.access import organisation_view


@organisation_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "communities/home.html", {})


@organisation_view()
def program_space(request: HttpRequest, program_id: int) -> HttpResponse:
    return render(request, "communities/program_space.html", {})
