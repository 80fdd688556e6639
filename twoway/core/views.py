from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from twoway.core.access import organisation_view
from twoway.core.selectors import membership_list_for_user


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors see the welcome page; members go to their (first) organisation."""
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    return _home_for_member(request)


@login_required
def _home_for_member(request: HttpRequest) -> HttpResponse:
    memberships = list(membership_list_for_user(user=request.user))
    if len(memberships) == 1:
        return redirect("organisation_home", org_slug=memberships[0].organisation.slug)
    return render(request, "core/choose_organisation.html", {"memberships": memberships})


@organisation_view()
def organisation_home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/organisation_home.html")


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
