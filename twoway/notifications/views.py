"""Pages of the notification centre (first cut: the list)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from twoway.core.access import OrganisationRequest, organisation_view
from twoway.notifications.models import Notification


@organisation_view()
def centre(request: OrganisationRequest) -> HttpResponse:
    notifications = Notification.objects.for_organisation(request.organisation).filter(
        user=request.user
    )[:50]
    return render(request, "notifications/centre.html", {"notifications": notifications})


@organisation_view()
def badge(request: OrganisationRequest) -> HttpResponse:
    """The unread count beside "Notifications" in the header (fetched by HTMX on load)."""
    unread = (
        Notification.objects.for_organisation(request.organisation)
        .filter(user=request.user, read_at__isnull=True)
        .count()
    )
    if not unread:
        return HttpResponse("")
    return HttpResponse(
        f' <span class="badge">{unread}<span class="visually-hidden"> unread</span></span>'
    )
