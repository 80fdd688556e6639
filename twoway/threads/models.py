"""Growth Threads: each participant's journal of their learning journey.

An entry's text is content: who may read it is chosen by its author, entry by entry
(``Visibility``), and decided in one place, ``twoway.threads.audience``. Program managers and
admins read an entry only where its author published it to the whole organisation (they are
colleagues there like anyone else); otherwise they see counts (confidentiality rule 1).
"""

from __future__ import annotations

from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.people.models import Person
from twoway.programs.models import Program

ENTRY_MAX_CHARS = 20_000
COMMENT_MAX_CHARS = 4_000


class Visibility(models.TextChoices):
    """Who may read a piece of content besides its author (entries, kudos)."""

    PRIVATE = "private", "Only me"
    MENTORSHIPS = "mentorships", "My mentorship(s)"
    PROGRAM = "program", "My program"
    ORGANISATION = "organisation", "Everyone in the organisation"


class Entry(OrganisationScopedModel):
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thread_entries")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)  # Markdown as written
    body_html = models.TextField(blank=True)  # rendered and sanitised on save
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # The program the entry belongs to: required for PROGRAM visibility, and what puts the
    # entry in that program's feed.
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="thread_entries"
    )
    # Optional links to what the entry is about; each must be something the author may see.
    goal = models.ForeignKey(
        "rooms.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "rooms.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    roadmap_step = models.ForeignKey(
        "roadmaps.RoadmapStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prompt = models.CharField(max_length=64, blank=True)  # key of the writing prompt answered

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "entries"
        indexes = [
            # Feeds page by keyset on id, newest first (see ``threads.selectors``).
            models.Index(fields=["organisation", "id"], name="entry_feed_idx"),
            models.Index(fields=["organisation", "program", "id"], name="entry_program_feed_idx"),
            models.Index(fields=["organisation", "author", "id"], name="entry_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Entry {self.pk}"


class Comment(OrganisationScopedModel):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on entry {self.entry_id}"


class Reaction(OrganisationScopedModel):
    class Kind(models.TextChoices):
        APPLAUSE = "applause", "Applause"
        INSIGHT = "insight", "Insightful"
        SUPPORT = "support", "Keep going"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "person", "kind"], name="unique_reaction"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on entry {self.entry_id}"
