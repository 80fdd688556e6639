"""Communities: spaces where people running and joining programs share practice.

Three kinds of space:

- ORGANISATION: one per organisation, for all its members.
- PROGRAM: one per program, for its participants and managers.
- RUNNERS: one for the whole installation, for the program managers and admins of every
  organisation that opted in (``RunnersOptIn``). There a member shows only their display name
  and organisation — never their email, role, level or anything from the directory.

Topics hold posts (the first post opens the topic); replies notify the topic's participants and
``@mentions`` notify who is mentioned, by link only. Moderators (the organisation's admins for
its spaces, a program's managers for its space, staff operators for the runners space) hide
posts and topics, lock topics, and pin topics into the space's best-practice library; anyone may
report a post into the moderators' queue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import Organisation, OrganisationScopedModel, TimeStampedModel
from twoway.programs.models import Program

POST_MAX_CHARS = 10_000


class Space(TimeStampedModel):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        PROGRAM = "program", "Program"
        RUNNERS = "runners", "Program runners"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # None only for the RUNNERS space, which belongs to no organisation.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    program = models.OneToOneField(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="space"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(kind="organisation"),
                name="unique_organisation_space",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="runners"), name="unique_runners_space"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RunnersOptIn(OrganisationScopedModel):
    """The organisation lets its program managers and admins into the runners space."""

    opted_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="unique_runners_opt_in"),
        ]

    def __str__(self) -> str:
        return f"Runners space opt-in of {self.organisation_id}"


class Topic(TimeStampedModel):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The organisation the author wrote from (shown in the runners space).
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=200)
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)  # in the space's best-practice library
    last_post_at = models.DateTimeField(null=True, blank=True)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [
            models.Index(fields=["space", "is_hidden", "last_post_at"], name="topic_list_idx")
        ]

    def __str__(self) -> str:
        return self.title


class Post(TimeStampedModel):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField()  # Markdown as written
    body_html = models.TextField(blank=True)  # rendered and sanitised on save
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["topic", "id"], name="post_topic_idx")]

    def __str__(self) -> str:
        return f"Post {self.pk}"


class Mention(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="unique_mention")]

    def __str__(self) -> str:
        return f"Mention of {self.user_id} in post {self.post_id}"


class Report(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"  # the moderator acted (hid, locked)
        DISMISSED = "dismissed", "Dismissed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(status="open"),
                name="unique_open_report",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on post {self.post_id}"
