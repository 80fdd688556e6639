"""Pages of Growth Threads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from twoway.core.access import organisation_view


@organisation_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "threads/home.html", {})


@organisation_view()
def program_counts(request: HttpRequest, program_id: int) -> HttpResponse:
    return render(request, "threads/program_counts.html", {})
