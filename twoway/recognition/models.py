"""Recognition: kudos between members, milestone celebrations, a program's showcase of stories,
and completion certificates (generated as PDF on request, nothing stored).

Kudos messages and stories are content: a kudos is read by its giver, its receiver and the
audience the giver chose (``threads.audience``); a story is read by the organisation only once
its author publishes it. Celebrations are milestones (no text of anyone's), shown to the
mentorship's members in the room and in their feed.
"""

from __future__ import annotations

from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.mentorships.models import Mentorship
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.threads.models import Visibility

KUDOS_MAX_CHARS = 1_000
STORY_MAX_CHARS = 20_000


class Kudos(OrganisationScopedModel):
    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kudos_given")
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kudos_received")
    mentorship = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For PROGRAM visibility: the program the kudos is shown in.
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField()
    # PRIVATE means giver and receiver only.
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "kudos"
        indexes = [
            models.Index(fields=["organisation", "receiver", "id"], name="kudos_receiver_idx")
        ]

    def __str__(self) -> str:
        return f"Kudos {self.pk}"


class Celebration(OrganisationScopedModel):
    class Kind(models.TextChoices):
        FIRST_SESSION = "first_session", "First session held"
        ROADMAP_COMPLETED = "roadmap_completed", "Roadmap completed"
        PROGRAM_COMPLETED = "program_completed", "Program completed"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # What was completed, e.g. a roadmap's title; part of the uniqueness so each is celebrated once.
    subject = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "kind", "subject"], name="unique_celebration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of mentorship {self.mentorship_id}"


class Story(OrganisationScopedModel):
    """A participant's account of their mentoring, published to the program's showcase only when
    its author chooses."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stories")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title
