"""Roadmaps: curated learning paths that guide a mentorship's discussions.

A roadmap's steps live in a ``RoadmapVersion``. Editing a roadmap makes a new version, and an
assignment keeps the version it was given, so an edit never changes a path a pair is halfway
through. Built-in roadmaps (``twoway.roadmaps.builtins``) become an organisation's own rows the
first time they are used (``builtin_key``).

Roadmaps are the organisation's shared material, readable by its members; progress on a step is
a mentorship's own and is shown to its members (managers see counts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from twoway.core.models import OrganisationScopedModel
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.models import Program

RESOURCE_MAX_BYTES = 10 * 1024 * 1024
RESOURCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "txt", "md", "docx", "pptx", "xlsx", "csv")


class Roadmap(OrganisationScopedModel):
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    # Which formats it suits, as Program.Format values (empty: any).
    formats = models.JSONField(default=list, blank=True)
    builtin_key = models.CharField(max_length=64, blank=True)  # made from the built-in library
    # A program's own roadmap (authored by its managers); None for the organisation's library.
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="roadmaps"
    )
    current_version = models.ForeignKey(
        "RoadmapVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "builtin_key"],
                condition=~models.Q(builtin_key=""),
                name="unique_builtin_roadmap",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoadmapVersion(OrganisationScopedModel):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["roadmap_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="unique_roadmap_version"),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap_id} v{self.number}"


class RoadmapStep(OrganisationScopedModel):
    version = models.ForeignKey(RoadmapVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()  # 1-based order within the version
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)  # Markdown
    description_html = models.TextField(blank=True)
    effort_minutes = models.PositiveSmallIntegerField(default=60)
    # A suggested agenda: a built-in agenda key (``rooms.agendas``) or an organisation template.
    agenda_key = models.CharField(max_length=64, blank=True)
    agenda_template = models.ForeignKey(
        "rooms.AgendaTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_step_position"),
        ]

    def __str__(self) -> str:
        return self.title


class StepResource(OrganisationScopedModel):
    """A link or an uploaded file attached to a step (files are served to members only)."""

    step = models.ForeignKey(RoadmapStep, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    file = models.FileField(upload_to="roadmaps/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["step_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class RoadmapAssignment(OrganisationScopedModel):
    """A roadmap version given to a mentorship (a pair or a circle)."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="roadmap_assignments"
    )
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="assignments")
    version = models.ForeignKey(RoadmapVersion, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)  # every member did every step

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "roadmap"], name="unique_roadmap_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"Roadmap {self.roadmap_id} for mentorship {self.mentorship_id}"


class StepProgress(OrganisationScopedModel):
    """One member has done one step of an assignment."""

    assignment = models.ForeignKey(
        RoadmapAssignment, on_delete=models.CASCADE, related_name="progress"
    )
    step = models.ForeignKey(RoadmapStep, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(MentorshipMember, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "step", "member"], name="unique_step_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.step_id} done by member {self.member_id}"
