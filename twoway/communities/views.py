"""Pages of Communities. Each view fetches and authorises through ``access`` (404 otherwise),
calls a selector or a service, and renders; refusals show next to the field they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from twoway.communities import selectors, services
from twoway.communities.access import (
    SpaceAccess,
    access_for,
    post_get_for_member,
    report_get_for_moderator,
    require_moderator_or_404,
    space_get_for_member,
    topic_get_for_member,
)
from twoway.communities.models import POST_MAX_CHARS, RunnersOptIn
from twoway.core.access import organisation_view
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Role
from twoway.programs.models import Program


class CommunityForm(forms.Form):
    """Labels without Django's trailing colon, as on the other pages of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def refuse(self, error: ApplicationError) -> None:
        field = error.extra.get("field")
        self.add_error(field if field in self.fields else None, error.message)


class PostForm(CommunityForm):
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
        required=False,
        help_text=f"Markdown; at most {POST_MAX_CHARS:,} characters. Mention someone with @ and "
        "their name as shown.",
    )


class TopicForm(PostForm):
    title = forms.CharField(label="Title", required=False, max_length=1000)
    field_order = ["title", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "First post"


class ReportForm(CommunityForm):
    reason = forms.CharField(
        label="What is wrong with this post?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Only the moderators of this space read it.",
    )


def _membership(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined]


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _page(request: HttpRequest, rows: Any, per_page: int) -> Any:
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(
        f"communities:{name}",
        kwargs={"org_slug": request.organisation.slug, **kwargs},  # type: ignore[attr-defined]
    )


@organisation_view()
def home(request: HttpRequest) -> HttpResponse:
    """The spaces the viewer may enter, and a search across their visible topics and posts."""
    membership = _membership(request)
    spaces = selectors.space_list_for_member(membership=membership)
    query = request.GET.get("q", "").strip()
    results = None
    if query:
        results = _page(
            request,
            selectors.search_visible(membership=membership, spaces=spaces, query=query),
            selectors.TOPICS_PER_PAGE,
        )
        for topic in results.object_list:
            topic.author_label = selectors.author_label(
                space=topic.space, author=topic.author, organisation=topic.author_organisation
            )
    return render(
        request,
        "communities/home.html",
        {"spaces": spaces, "query": query, "results": results},
    )


def _space_page(request: HttpRequest, access: SpaceAccess) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = _page(
        request, selectors.topic_list(access=access, search=query), selectors.TOPICS_PER_PAGE
    )
    library = list(selectors.best_practice_list(access=access)[: selectors.BEST_PRACTICE_PREVIEW])
    selectors.label_authors(access.space, page.object_list)
    return render(
        request,
        "communities/space.html",
        {
            "access": access,
            "space": access.space,
            "page_obj": page,
            "library": library,
            "query": query,
        },
    )


@organisation_view()
def space(request: HttpRequest, space_id: int) -> HttpResponse:
    return _space_page(
        request, space_get_for_member(membership=_membership(request), space_id=space_id)
    )


@organisation_view()
def program_space(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's space, made on first visit; 404 for anyone who may not read it."""
    membership = _membership(request)
    program = (
        Program.objects.for_organisation(membership.organisation).filter(pk=program_id).first()
    )
    if program is None:
        raise Http404
    # The space row holds no content, so making it before the reader check reveals nothing.
    space = services.space_ensure_program(program=program)
    return _space_page(request, access_for(membership, space))


@organisation_view()
def best_practice(request: HttpRequest, space_id: int) -> HttpResponse:
    access = space_get_for_member(membership=_membership(request), space_id=space_id)
    page = _page(request, selectors.best_practice_list(access=access), selectors.TOPICS_PER_PAGE)
    selectors.label_authors(access.space, page.object_list)
    return render(
        request,
        "communities/library.html",
        {"access": access, "space": access.space, "page_obj": page},
    )


@organisation_view()
def topic_create(request: HttpRequest, space_id: int) -> HttpResponse:
    access = space_get_for_member(membership=_membership(request), space_id=space_id)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                access=access,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                base_url=_base_url(request),
            )
        except ApplicationError as error:
            form.refuse(error)
        else:
            return redirect(_url(request, "topic", topic_id=topic.pk))
    return render(
        request,
        "communities/topic_form.html",
        {"access": access, "space": access.space, "form": form},
    )


@organisation_view()
def topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    """The posts of a topic, 20 a page, and the reply form unless the topic is locked."""
    access, topic = topic_get_for_member(membership=_membership(request), topic_id=topic_id)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(
                access=access,
                topic=topic,
                body=form.cleaned_data["body"],
                base_url=_base_url(request),
            )
        except ApplicationError as error:
            form.refuse(error)
        else:
            last = selectors.post_list(access=access, topic=topic).count()
            page_number = (last - 1) // selectors.POSTS_PER_PAGE + 1
            return redirect(
                f"{_url(request, 'topic', topic_id=topic.pk)}?page={page_number}#post-{post.pk}"
            )
    page = _page(request, selectors.post_list(access=access, topic=topic), selectors.POSTS_PER_PAGE)
    selectors.label_authors(access.space, page.object_list)
    topic.author_label = selectors.author_label(  # type: ignore[attr-defined]
        space=access.space, author=topic.author, organisation=topic.author_organisation
    )
    return render(
        request,
        "communities/topic.html",
        {
            "access": access,
            "space": access.space,
            "topic": topic,
            "page_obj": page,
            "form": form,
            "me": access.membership.user_id,
        },
        status=400 if request.method == "POST" else 200,
    )


TOPIC_ACTIONS = {
    "lock": services.topic_lock,
    "unlock": services.topic_unlock,
    "pin": services.topic_pin,
    "unpin": services.topic_unpin,
    "hide": services.topic_hide,
    "unhide": services.topic_unhide,
}


@require_POST
@organisation_view()
def topic_moderate(request: HttpRequest, topic_id: int) -> HttpResponse:
    access, topic = topic_get_for_member(membership=_membership(request), topic_id=topic_id)
    require_moderator_or_404(access)
    action = TOPIC_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse(
            "Unknown action: choose lock, unlock, pin, unpin, hide or unhide.", status=400
        )
    action(access=access, topic=topic)
    return redirect(_url(request, "topic", topic_id=topic.pk))


@require_POST
@organisation_view()
def post_moderate(request: HttpRequest, post_id: int) -> HttpResponse:
    access, post = post_get_for_member(membership=_membership(request), post_id=post_id)
    require_moderator_or_404(access)
    action = request.POST.get("action", "")
    if action == "hide":
        services.post_hide(access=access, post=post)
    elif action == "unhide":
        services.post_unhide(access=access, post=post)
    else:
        return HttpResponse("Unknown action: choose hide or unhide.", status=400)
    return redirect(f"{_url(request, 'topic', topic_id=post.topic_id)}#post-{post.pk}")


@organisation_view()
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """The author's own post only; anyone else gets 404."""
    access, post = post_get_for_member(membership=_membership(request), post_id=post_id)
    if post.author_id != access.membership.user_id:
        raise Http404
    form = PostForm(request.POST or None, initial={"body": post.body})
    form.fields["body"].label = "Your post"
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(access=access, post=post, body=form.cleaned_data["body"])
        except ApplicationError as error:
            form.refuse(error)
        else:
            return redirect(f"{_url(request, 'topic', topic_id=post.topic_id)}#post-{post.pk}")
    return render(
        request,
        "communities/post_edit.html",
        {"access": access, "space": access.space, "post": post, "form": form},
    )


@organisation_view()
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    access, post = post_get_for_member(membership=_membership(request), post_id=post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(access=access, post=post, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.refuse(error)
        else:
            return render(
                request,
                "communities/report_sent.html",
                {"access": access, "space": access.space, "post": post},
            )
    return render(
        request,
        "communities/report_form.html",
        {"access": access, "space": access.space, "post": post, "form": form},
    )


@organisation_view()
def moderation(request: HttpRequest, space_id: int) -> HttpResponse:
    """The moderators' queue: open reports, oldest first, with the post they concern."""
    access = space_get_for_member(membership=_membership(request), space_id=space_id)
    require_moderator_or_404(access)
    page = _page(request, selectors.report_queue(access=access), selectors.TOPICS_PER_PAGE)
    selectors.label_authors(access.space, [report.post for report in page.object_list])
    return render(
        request,
        "communities/moderation.html",
        {"access": access, "space": access.space, "page_obj": page},
    )


@require_POST
@organisation_view()
def report_act(request: HttpRequest, report_id: int) -> HttpResponse:
    access, report = report_get_for_moderator(membership=_membership(request), report_id=report_id)
    action = request.POST.get("action", "")
    try:
        if action == "dismiss":
            services.report_dismiss(access=access, report=report)
        else:
            services.report_resolve(access=access, report=report, action=action)
    except ApplicationError as error:
        return HttpResponse(error.message, status=400)
    return redirect(_url(request, "moderation", space_id=access.space.pk))


@organisation_view(Role.ADMIN)
def runners_settings(request: HttpRequest) -> HttpResponse:
    """Admins opt their organisation in or out of the cross-organisation runners space."""
    membership = _membership(request)
    if request.method == "POST":
        if request.POST.get("action") == "opt_in":
            services.runners_opt_in(actor=membership)
        elif request.POST.get("action") == "opt_out":
            services.runners_opt_out(actor=membership)
        return redirect(_url(request, "runners_settings"))
    opted_in = RunnersOptIn.objects.filter(organisation=membership.organisation).exists()
    return render(request, "communities/runners_settings.html", {"opted_in": opted_in})
