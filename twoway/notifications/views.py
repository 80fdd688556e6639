"""Pages of notifications: the centre (the person's own notifications), the header's unread
badge, opening one (marks it read, then goes to its page on this site), preferences, and the
organisation admin's chat webhook settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from twoway.core.access import OrganisationRequest, organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.forms import add_refusal
from twoway.core.models import Role
from twoway.notifications import selectors, services
from twoway.notifications.models import Kind, NotificationPreference, WebhookEndpoint

PAGE_SIZE = 20


class NotificationsForm(forms.Form):
    """Labels without Django's trailing colon, as on the other pages of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PreferenceForm(NotificationsForm):
    email = forms.ChoiceField(
        label="Email",
        choices=NotificationPreference.Email.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you want to be emailed.",
            "invalid_choice": "Choose one of the options listed.",
        },
    )
    chat = forms.BooleanField(
        label="Also post my notifications to the organisation's chat channel",
        required=False,
        help_text="Only if your organisation connected Slack or Microsoft Teams.",
    )
    muted_kinds = forms.MultipleChoiceField(
        label="Mute these kinds (no email, no chat; they stay in your notification centre)",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose kinds from the list."},
    )


class WebhookForm(NotificationsForm):
    service = forms.ChoiceField(
        label="Chat service",
        choices=WebhookEndpoint.Service.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Slack or Microsoft Teams."},
    )
    # A CharField, not a URLField: the service explains what is wrong with the address.
    url = forms.CharField(
        label="Incoming webhook URL",
        required=False,
        max_length=500,
        help_text="Starts with https://. Treat it like a password: anyone with it can post.",
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    is_active = forms.BooleanField(label="Send notifications to this channel", required=False)


def _centre_url(request: OrganisationRequest, page: str | None = None) -> str:
    url = reverse("notifications:centre", args=[request.organisation.slug])
    return f"{url}?page={page}" if page and page.isdigit() else url


@organisation_view()
def centre(request: OrganisationRequest) -> HttpResponse:
    """My notifications in this organisation, newest first, 20 a page."""
    rows = selectors.notification_list(user=request.user, organisation=request.organisation)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = selectors.unread_count(user=request.user, organisation=request.organisation)
    return render(request, "notifications/centre.html", {"page": page, "unread": unread})


@organisation_view()
def badge(request: OrganisationRequest) -> HttpResponse:
    """The unread count beside "Notifications" in the header (fetched by HTMX on load)."""
    unread = selectors.unread_count(user=request.user, organisation=request.organisation)
    if not unread:
        return HttpResponse("")
    return HttpResponse(
        f' <span class="badge">{unread}<span class="visually-hidden"> unread</span></span>'
    )


@organisation_view()
def open_notification(request: OrganisationRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go to its page (only ever a path on this site)."""
    notification = selectors.notification_get_for_user(
        user=request.user, organisation=request.organisation, notification_id=notification_id
    )
    services.notification_mark_read(actor=request.user, notification=notification)
    if not services.is_local_path(notification.url):
        return redirect(_centre_url(request))
    return redirect(notification.url)


@require_POST
@organisation_view()
def mark_read(request: OrganisationRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get_for_user(
        user=request.user, organisation=request.organisation, notification_id=notification_id
    )
    services.notification_mark_read(actor=request.user, notification=notification)
    messages.success(request, f"Marked “{notification.title}” as read.")
    return redirect(_centre_url(request, request.POST.get("page")))


@require_POST
@organisation_view()
def mark_all_read(request: OrganisationRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(
        actor=request.user, organisation=request.organisation
    )
    messages.success(request, f"Marked {count} notification{'' if count == 1 else 's'} as read.")
    return redirect(_centre_url(request))


@organisation_view()
def preferences(request: OrganisationRequest) -> HttpResponse:
    """How I am told: email at once, weekly or not at all, chat on or off, muted kinds."""
    organisation = request.organisation
    preference = selectors.preference_get(user=request.user, organisation=organisation)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.notification_preference_update(
                    actor=request.user,
                    organisation=organisation,
                    email=data["email"],
                    chat=data["chat"],
                    muted_kinds=data["muted_kinds"],
                )
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "Your notification preferences are saved.")
                return redirect("notifications:preferences", org_slug=organisation.slug)
    else:
        form = PreferenceForm(
            initial={
                "email": preference.email,
                "chat": preference.chat,
                "muted_kinds": preference.muted_kinds,
            }
        )
    context = {
        "form": form,
        "bounce": selectors.address_bounce(user=request.user),
        "has_webhook": selectors.webhook_get(organisation=organisation) is not None,
    }
    return render(request, "notifications/preferences.html", context)


@require_POST
@organisation_view()
def bounce_clear(request: OrganisationRequest) -> HttpResponse:
    services.bounced_address_clear(actor=request.user)
    messages.success(request, "Thank you: we will email your address again.")
    return redirect("notifications:preferences", org_slug=request.organisation.slug)


@organisation_view(Role.ADMIN)
def webhook(request: OrganisationRequest) -> HttpResponse:
    """The organisation's Slack or Teams incoming webhook (organisation admins only)."""
    organisation = request.organisation
    endpoint = selectors.webhook_get(organisation=organisation)
    if request.method == "POST":
        form = WebhookForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.webhook_endpoint_save(
                    actor=request.user,
                    organisation=organisation,
                    service=data["service"],
                    url=data["url"],
                    is_active=data["is_active"],
                )
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "The chat webhook is saved.")
                return redirect("notifications:webhook", org_slug=organisation.slug)
    elif endpoint is not None:
        form = WebhookForm(
            initial={
                "service": endpoint.service,
                "url": endpoint.url,
                "is_active": endpoint.is_active,
            }
        )
    else:
        form = WebhookForm(initial={"service": WebhookEndpoint.Service.SLACK, "is_active": True})
    return render(request, "notifications/webhook.html", {"form": form, "endpoint": endpoint})


@require_POST
@organisation_view(Role.ADMIN)
def webhook_test(request: OrganisationRequest) -> HttpResponse:
    endpoint = selectors.webhook_get(organisation=request.organisation)
    if endpoint is None:
        messages.error(request, "Save a webhook URL before sending a test message.")
    else:
        services.webhook_test_enqueue(actor=request.user, endpoint=endpoint)
        messages.success(
            request,
            "A test message is on its way. Reload this page in a minute to see whether it arrived.",
        )
    return redirect("notifications:webhook", org_slug=request.organisation.slug)
