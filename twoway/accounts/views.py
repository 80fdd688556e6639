"""Pages for the signed-in user's own account. Views parse input and call services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from twoway.accounts.forms import ProfileForm
from twoway.accounts.models import User
from twoway.accounts.services import user_update_profile
from twoway.core.errors import ApplicationError


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees a real user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                user_update_profile(
                    user=user,
                    display_name=form.cleaned_data["display_name"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("profile")
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "time_zone": user.time_zone})
    return render(request, "accounts/profile.html", {"form": form})
