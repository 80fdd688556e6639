"""REST endpoints of Growth Threads over the same selectors and services as the pages.

An entry the viewer may not read answers 404 exactly like a missing one; writes to an entry are
its author's (others: 404). A refusal answers 400 with the reason in ``detail``. Authors appear
as ``{id, name}``: never an email address.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from twoway.core.api import OrganisationAPIView, refusal
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.programs.selectors import program_get_for_manager
from twoway.threads import selectors, services
from twoway.threads.audience import Audience, audience_of
from twoway.threads.models import COMMENT_MAX_CHARS, ENTRY_MAX_CHARS, Visibility

VISIBILITY_HELP = "One of: " + ", ".join(Visibility.values)


class ThreadsErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class ThreadAuthorOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class EntrySummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    author = ThreadAuthorOutput()
    visibility = serializers.CharField(help_text=VISIBILITY_HELP)
    program = serializers.IntegerField(source="program_id", allow_null=True)
    prompt = serializers.CharField(help_text="key of the writing prompt answered, or empty")
    body = serializers.CharField(help_text="Markdown as written")
    body_html = serializers.CharField(help_text="rendered and sanitised")
    comment_count = serializers.IntegerField()
    reaction_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EntryPageOutput(serializers.Serializer):
    results = EntrySummaryOutput(many=True)
    next_before = serializers.IntegerField(
        allow_null=True, help_text="pass as ?before= for the next, older page; null at the end"
    )


class ThreadReactionCountOutput(serializers.Serializer):
    kind = serializers.CharField()
    count = serializers.IntegerField()
    pressed = serializers.BooleanField(help_text="whether I reacted so")


class EntryDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    author = ThreadAuthorOutput()
    visibility = serializers.CharField(help_text=VISIBILITY_HELP)
    program = serializers.IntegerField(source="program_id", allow_null=True)
    prompt = serializers.CharField()
    body = serializers.CharField(help_text="Markdown as written")
    body_html = serializers.CharField(help_text="rendered and sanitised")
    goal = serializers.IntegerField(allow_null=True, help_text="the author sees their links")
    session = serializers.IntegerField(allow_null=True)
    roadmap_step = serializers.IntegerField(allow_null=True)
    reactions = ThreadReactionCountOutput(many=True)
    comment_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EntryInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        default="",
        help_text=f"Markdown, at most {ENTRY_MAX_CHARS:,} characters",
    )
    visibility = serializers.CharField(default=Visibility.PRIVATE, help_text=VISIBILITY_HELP)
    program = serializers.IntegerField(required=False, allow_null=True, default=None)
    goal = serializers.IntegerField(required=False, allow_null=True, default=None)
    session = serializers.IntegerField(required=False, allow_null=True, default=None)
    roadmap_step = serializers.IntegerField(required=False, allow_null=True, default=None)
    prompt = serializers.CharField(required=False, allow_blank=True, default="")


class EntryUpdateInput(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    visibility = serializers.CharField(required=False, help_text=VISIBILITY_HELP)
    program = serializers.IntegerField(required=False, allow_null=True)
    goal = serializers.IntegerField(required=False, allow_null=True)
    session = serializers.IntegerField(required=False, allow_null=True)
    roadmap_step = serializers.IntegerField(required=False, allow_null=True)


class ThreadCommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = ThreadAuthorOutput()
    body = serializers.CharField(help_text="Markdown as written")
    body_html = serializers.CharField(help_text="rendered and sanitised")
    created_at = serializers.DateTimeField()


class ThreadCommentInput(serializers.Serializer):
    body = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"Markdown, at most {COMMENT_MAX_CHARS:,} characters",
    )


class ThreadReactionInput(serializers.Serializer):
    kind = serializers.CharField(help_text="One of: applause, insight, support")


class ThreadReactionOutput(serializers.Serializer):
    kind = serializers.CharField()
    pressed = serializers.BooleanField(help_text="whether the reaction is now on")


class ThreadVisibilityCountOutput(serializers.Serializer):
    visibility = serializers.CharField(help_text=VISIBILITY_HELP)
    count = serializers.IntegerField()


class ThreadWeekOutput(serializers.Serializer):
    week_of = serializers.DateField(help_text="the Monday the week starts on")
    count = serializers.IntegerField()


class ProgramCountsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    authors = serializers.IntegerField(help_text="distinct people writing")
    comments = serializers.IntegerField()
    reactions = serializers.IntegerField()
    by_visibility = ThreadVisibilityCountOutput(many=True)
    weeks = ThreadWeekOutput(many=True, help_text="the last eight weeks, oldest first")


class _ThreadsApi(OrganisationAPIView):
    def audience(self) -> Audience:
        return audience_of(membership=self.membership)


def _detail_out(audience: Audience, entry_id: int) -> dict[str, Any]:
    entry = selectors.entry_get_for_reader(audience=audience, entry_id=entry_id)
    detail = selectors.entry_detail(audience=audience, entry=entry)
    return EntryDetailOutput(
        {
            "id": entry.pk,
            "title": entry.title,
            "author": entry.author,
            "visibility": entry.visibility,
            "program_id": entry.program_id,
            "prompt": entry.prompt,
            "body": entry.body,
            "body_html": entry.body_html,
            # The linked goal, session and step belong to the author's mentorship: only the
            # author is told which they are.
            "goal": entry.goal_id if detail.is_author else None,
            "session": entry.session_id if detail.is_author else None,
            "roadmap_step": entry.roadmap_step_id if detail.is_author else None,
            "reactions": [
                {"kind": r.kind, "count": r.count, "pressed": r.pressed} for r in detail.reactions
            ],
            "comment_count": len(detail.comments),
            "created_at": entry.created_at,
            "updated_at": entry.updated_at,
        }
    ).data


class EntriesApi(_ThreadsApi):
    @extend_schema(
        operation_id="threads_entries_list",
        parameters=[
            OpenApiParameter("before", int, required=False, description="an entry id: older"),
            OpenApiParameter("program", int, required=False, description="a program id"),
            OpenApiParameter("q", str, required=False, description="words in title or text"),
            OpenApiParameter("author", str, required=False, description="'me': only mine"),
        ],
        responses=EntryPageOutput,
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """Entries I may read, newest first, 20 a page (keyset: ``?before=<id>``)."""
        audience = self.audience()
        program_id = selectors.parse_before(request.query_params.get("program"))
        program = (
            selectors.program_in_organisation(organisation=self.organisation, program_id=program_id)
            if program_id is not None
            else None
        )
        page = selectors.entry_feed(
            audience=audience,
            program=program,
            before=selectors.parse_before(request.query_params.get("before")),
            q=selectors.search_terms(request.query_params.get("q")),
            mine=request.query_params.get("author") == "me",
        )
        return Response(EntryPageOutput({"results": page.entries, "next_before": page.older}).data)

    @extend_schema(
        operation_id="threads_entries_create",
        request=EntryInput,
        responses={201: EntryDetailOutput, 400: ThreadsErrorOutput},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Write an entry in my Growth Thread, private unless I choose otherwise."""
        payload = EntryInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            entry = services.entry_create(
                membership=self.membership,
                title=data["title"],
                body=data["body"],
                visibility=data["visibility"],
                program_id=data["program"],
                goal_id=data["goal"],
                session_id=data["session"],
                roadmap_step_id=data["roadmap_step"],
                prompt=data["prompt"],
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(_detail_out(self.audience(), entry.pk), status=status.HTTP_201_CREATED)


class EntryApi(_ThreadsApi):
    @extend_schema(operation_id="threads_entry_read", responses=EntryDetailOutput)
    def get(self, request: Request, org_slug: str, entry_id: int) -> Response:
        """An entry I may read, with its reaction counts."""
        return Response(_detail_out(self.audience(), entry_id))

    @extend_schema(
        operation_id="threads_entry_update",
        request=EntryUpdateInput,
        responses={200: EntryDetailOutput, 400: ThreadsErrorOutput},
    )
    def patch(self, request: Request, org_slug: str, entry_id: int) -> Response:
        """Change my own entry; fields left out keep their value."""
        payload = EntryUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        names = {
            "title": "title",
            "body": "body",
            "visibility": "visibility",
            "program": "program_id",
            "goal": "goal_id",
            "session": "session_id",
            "roadmap_step": "roadmap_step_id",
        }
        changes = {names[key]: value for key, value in payload.validated_data.items()}
        try:
            services.entry_update(membership=self.membership, entry_id=entry_id, **changes)
        except ApplicationError as error:
            return refusal(error)
        return Response(_detail_out(self.audience(), entry_id))

    @extend_schema(operation_id="threads_entry_delete", responses={204: None})
    def delete(self, request: Request, org_slug: str, entry_id: int) -> Response:
        """Delete my own entry with its comments and reactions."""
        services.entry_delete(membership=self.membership, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentsApi(_ThreadsApi):
    @extend_schema(operation_id="threads_comments_list", responses=ThreadCommentOutput(many=True))
    def get(self, request: Request, org_slug: str, entry_id: int) -> Response:
        """The comments on an entry I may read, oldest first."""
        audience = self.audience()
        entry = selectors.entry_get_for_reader(audience=audience, entry_id=entry_id)
        detail = selectors.entry_detail(audience=audience, entry=entry)
        return Response(ThreadCommentOutput(detail.comments, many=True).data)

    @extend_schema(
        operation_id="threads_comments_create",
        request=ThreadCommentInput,
        responses={201: ThreadCommentOutput, 400: ThreadsErrorOutput},
    )
    def post(self, request: Request, org_slug: str, entry_id: int) -> Response:
        """Comment on an entry I may read; its author is emailed a link (no text)."""
        payload = ThreadCommentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            comment = services.comment_create(
                membership=self.membership,
                entry_id=entry_id,
                body=payload.validated_data["body"],
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(ThreadCommentOutput(comment).data, status=status.HTTP_201_CREATED)


class ReactionApi(_ThreadsApi):
    @extend_schema(
        operation_id="threads_reaction_toggle",
        request=ThreadReactionInput,
        responses={200: ThreadReactionOutput, 400: ThreadsErrorOutput},
    )
    def post(self, request: Request, org_slug: str, entry_id: int) -> Response:
        """Add my reaction of a kind to an entry I may read, or take it back."""
        payload = ThreadReactionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        kind = payload.validated_data["kind"]
        try:
            pressed = services.reaction_toggle(
                membership=self.membership, entry_id=entry_id, kind=kind
            )
        except ApplicationError as error:
            return refusal(error)
        return Response(ThreadReactionOutput({"kind": kind, "pressed": pressed}).data)


class ProgramCountsApi(OrganisationAPIView):
    required_role = Role.PROGRAM_MANAGER

    @extend_schema(operation_id="threads_program_counts", responses=ProgramCountsOutput)
    def get(self, request: Request, org_slug: str, program_id: int) -> Response:
        """Counts of a program's entries for its managers: never a title, a text or a name."""
        program = program_get_for_manager(membership=self.membership, program_id=program_id)
        activity = selectors.program_activity(program=program, now=timezone.now())
        return Response(
            ProgramCountsOutput(
                {
                    "total": activity.total,
                    "authors": activity.authors,
                    "comments": activity.comments,
                    "reactions": activity.reactions,
                    "by_visibility": [
                        {"visibility": value, "count": count}
                        for value, _, count in activity.by_visibility
                    ],
                    "weeks": [
                        {"week_of": monday, "count": count} for monday, count in activity.weeks
                    ],
                }
            ).data
        )
