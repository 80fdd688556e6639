"""Writes of roadmaps: adopting built-ins, authoring versions and resources, assigning a roadmap
to a mentorship, and each member's progress.

Versions: the steps a pair works through live in a ``RoadmapVersion``. ``roadmap_revise``
always makes a new version and moves ``current_version``; assignments keep the version they
were given, so a pair halfway through keeps its steps and ticks.

Resources change in place, on purpose: a link or a file is reference material attached to a
step, not part of the path (its steps, order and descriptions). Adding a better link for
everyone, including pairs already on the step, is what authors want; progress never depends on
resources. A file shared by copied resources of several versions is deleted from storage only
when its last resource goes.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.core.markdown import render_markdown
from twoway.core.models import Membership, Role
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.models import Format, Program
from twoway.programs.selectors import program_list_managed
from twoway.recognition.models import Celebration
from twoway.recognition.services import celebration_record
from twoway.roadmaps import builtins
from twoway.roadmaps.access import can_author
from twoway.roadmaps.models import (
    RESOURCE_EXTENSIONS,
    RESOURCE_MAX_BYTES,
    Roadmap,
    RoadmapAssignment,
    RoadmapStep,
    RoadmapVersion,
    StepProgress,
    StepResource,
)
from twoway.rooms.access import LIVE, Seat, require_live
from twoway.rooms.agendas import BUILTIN_BY_KEY as AGENDAS

MAX_STEPS = 30
MAX_DESCRIPTION_CHARS = 10_000
MIN_EFFORT, MAX_EFFORT = 5, 600
MAX_RESOURCES_PER_STEP = 10

# What a file must start with, by extension; text files are checked for being text instead.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
TEXT_EXTENSIONS = {"txt", "md", "csv"}
BINARY_SIGNATURES = (*{sig for sigs in MAGIC.values() for sig in sigs}, b"MZ", b"\x7fELF", b"GIF8")
# The type we serve is decided by us from the extension, never taken from the uploader.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class StepInput:
    """One step of a revision. ``source_step_id`` names the step of the current version it
    keeps (its resources are copied); None for a new step."""

    title: str
    description: str = ""
    effort_minutes: int = 60
    agenda_key: str = ""
    source_step_id: int | None = None


# --- Built-ins and authoring --------------------------------------------------------------------


def _clean_steps(steps: list[StepInput]) -> None:
    if not steps:
        raise ApplicationError("Steps: a roadmap needs at least one step.")
    if len(steps) > MAX_STEPS:
        raise ApplicationError(f"Steps: a roadmap has at most {MAX_STEPS} steps.")
    for number, step in enumerate(steps, start=1):
        if not step.title.strip():
            raise ApplicationError(f"Step {number}: give the step a title.")
        if len(step.title) > 200:
            raise ApplicationError(f"Step {number}: the title is longer than 200 characters.")
        if len(step.description) > MAX_DESCRIPTION_CHARS:
            raise ApplicationError(
                f"Step {number}: the description is longer than {MAX_DESCRIPTION_CHARS:,} "
                "characters."
            )
        if not MIN_EFFORT <= step.effort_minutes <= MAX_EFFORT:
            raise ApplicationError(
                f"Step {number}: the effort must be between {MIN_EFFORT} and {MAX_EFFORT} minutes."
            )
        if step.agenda_key and step.agenda_key not in AGENDAS:
            raise ApplicationError(f"Step {number}: “{step.agenda_key}” is not a known agenda.")


def _step_create(version: RoadmapVersion, position: int, step: StepInput) -> RoadmapStep:
    row = RoadmapStep(
        organisation_id=version.organisation_id,
        version=version,
        position=position,
        title=step.title.strip(),
        description=step.description,
        description_html=render_markdown(step.description),
        effort_minutes=step.effort_minutes,
        agenda_key=step.agenda_key,
    )
    row.full_clean()
    row.save()
    return row


def _version_create(
    *, roadmap: Roadmap, number: int, change_note: str, user: object | None
) -> RoadmapVersion:
    version = RoadmapVersion(
        organisation_id=roadmap.organisation_id,
        roadmap=roadmap,
        number=number,
        change_note=change_note[:200],
        created_by=user,  # type: ignore[misc]
    )
    version.save()
    return version


@transaction.atomic
def roadmap_adopt_builtin(*, membership: Membership, key: str) -> Roadmap:
    """Copy a built-in roadmap into the organisation (version 1), once: a second call returns
    the same row. Any active member may adopt, because the content is fixed and choosing a
    built-in path from a room needs it; the adopted copy is then the admins' to edit."""
    builtin = builtins.builtin_get(key)
    if builtin is None:
        raise ApplicationError(f"“{key}” is not a roadmap of the built-in library.")
    organisation = membership.organisation
    existing = Roadmap.objects.for_organisation(organisation).filter(builtin_key=key).first()
    if existing is not None:
        return existing
    roadmap = Roadmap(
        organisation=organisation,
        title=builtin.title,
        summary=builtin.summary,
        formats=list(builtin.formats),
        builtin_key=key,
        created_by=membership.user,
    )
    try:
        with transaction.atomic():
            roadmap.save()
    except IntegrityError:  # adopted by someone else at the same moment
        return Roadmap.objects.for_organisation(organisation).get(builtin_key=key)
    version = _version_create(
        roadmap=roadmap, number=1, change_note="From the built-in library", user=membership.user
    )
    for position, builtin_step in enumerate(builtin.steps, start=1):
        step = _step_create(
            version,
            position,
            StepInput(
                title=builtin_step.title,
                description=builtin_step.description,
                effort_minutes=builtin_step.effort_minutes,
                agenda_key=builtin_step.agenda_key,
            ),
        )
        for index, resource in enumerate(builtin_step.resources, start=1):
            StepResource.objects.create(
                organisation=organisation,
                step=step,
                position=index,
                title=resource.title,
                url=resource.url,
            )
    roadmap.current_version = version
    roadmap.save(update_fields=["current_version", "updated_at"])
    return roadmap


@transaction.atomic
def roadmap_create(
    *,
    membership: Membership,
    title: str,
    summary: str = "",
    formats: list[str] | None = None,
    program: Program | None = None,
    steps: list[StepInput] | None = None,
) -> Roadmap:
    """A new roadmap at version 1 (with ``steps``, or none yet: add them by revising)."""
    formats = formats or []
    if program is None:
        if not membership.has_role(Role.ADMIN):
            raise ApplicationError("Only the organisation's admins write organisation roadmaps.")
    elif not program_list_managed(membership=membership).filter(pk=program.pk).exists():
        raise ApplicationError("Only the program's managers write roadmaps for it.")
    if not title.strip():
        raise ApplicationError("Title: give the roadmap a title.")
    unknown = [value for value in formats if value not in Format.values]
    if unknown:
        raise ApplicationError(f"Formats: “{unknown[0]}” is not a program format.")
    if steps:
        _clean_steps(steps)
    roadmap = Roadmap(
        organisation=membership.organisation,
        title=title.strip(),
        summary=summary.strip(),
        formats=formats,
        program=program,
        created_by=membership.user,
    )
    try:
        roadmap.full_clean(exclude=["current_version"])
    except ValidationError as error:
        raise ApplicationError(_first_message(error)) from error
    roadmap.save()
    version = _version_create(roadmap=roadmap, number=1, change_note="", user=membership.user)
    for position, step in enumerate(steps or [], start=1):
        _step_create(version, position, step)
    roadmap.current_version = version
    roadmap.save(update_fields=["current_version", "updated_at"])
    return roadmap


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return f"{field.replace('_', ' ').capitalize()}: {messages[0]}"
    return error.messages[0]


def _require_author(membership: Membership, roadmap: Roadmap) -> None:
    if not can_author(membership, roadmap):
        raise ApplicationError("Only the roadmap's authors may change it.")


@transaction.atomic
def roadmap_revise(
    *, membership: Membership, roadmap: Roadmap, steps: list[StepInput], change_note: str = ""
) -> RoadmapVersion:
    """Make version N+1 with ``steps`` and make it current. Assignments keep their version."""
    _require_author(membership, roadmap)
    _clean_steps(steps)
    given = roadmap
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    current = roadmap.current_version
    kept = {}
    if current is not None:
        kept = {
            step.pk: step
            for step in RoadmapStep.objects.filter(version=current).prefetch_related("resources")
        }
    for step in steps:
        if step.source_step_id is not None and step.source_step_id not in kept:
            raise ApplicationError("Steps: a kept step does not belong to the current version.")
    last = roadmap.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = _version_create(
        roadmap=roadmap, number=last + 1, change_note=change_note.strip(), user=membership.user
    )
    for position, step in enumerate(steps, start=1):
        row = _step_create(version, position, step)
        if step.source_step_id is not None:
            for resource in kept[step.source_step_id].resources.all():
                StepResource.objects.create(
                    organisation_id=roadmap.organisation_id,
                    step=row,
                    position=resource.position,
                    title=resource.title,
                    url=resource.url,
                    file=resource.file.name,
                    content_type=resource.content_type,
                    size=resource.size,
                )
    roadmap.current_version = version
    roadmap.save(update_fields=["current_version", "updated_at"])
    given.current_version = version
    return version


@transaction.atomic
def roadmap_archive(*, membership: Membership, roadmap: Roadmap) -> Roadmap:
    """Hide it from the library and from new assignments; existing assignments go on."""
    _require_author(membership, roadmap)
    roadmap.is_archived = True
    roadmap.save(update_fields=["is_archived", "updated_at"])
    return roadmap


# --- Resources ------------------------------------------------------------------------------------


def _step_of_current_version(roadmap: Roadmap, step: RoadmapStep) -> None:
    if step.version_id != roadmap.current_version_id:
        raise ApplicationError("Resources are added to the steps of the current version only.")


def _next_resource_position(step: RoadmapStep) -> int:
    count = step.resources.count()
    if count >= MAX_RESOURCES_PER_STEP:
        raise ApplicationError(f"A step has at most {MAX_RESOURCES_PER_STEP} resources.")
    return count + 1


@transaction.atomic
def resource_add_link(
    *, membership: Membership, roadmap: Roadmap, step: RoadmapStep, title: str, url: str
) -> StepResource:
    _require_author(membership, roadmap)
    _step_of_current_version(roadmap, step)
    if not title.strip():
        raise ApplicationError("Title: give the resource a title.")
    if not url.lower().startswith(("https://", "http://")):
        raise ApplicationError("Link: give a web address starting with https:// or http://.")
    resource = StepResource(
        organisation_id=roadmap.organisation_id,
        step=step,
        position=_next_resource_position(step),
        title=title.strip(),
        url=url.strip(),
    )
    try:
        resource.full_clean(exclude=["file"])
    except ValidationError as error:
        raise ApplicationError(_first_message(error).replace("Url:", "Link:")) from error
    resource.save()
    return resource


def file_check(upload: UploadedFile) -> str:
    """The extension of an acceptable upload, or a refusal naming why (size, type)."""
    allowed = ", ".join(RESOURCE_EXTENSIONS)
    name = upload.name or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in RESOURCE_EXTENSIONS:
        shown = f".{extension} files" if extension else "Files without an extension"
        raise ApplicationError(f"File: {shown} are not accepted. Allowed types: {allowed}.")
    size = upload.size or 0
    if size > RESOURCE_MAX_BYTES:
        raise ApplicationError(
            f"File: it is {size / (1024 * 1024):.1f} MB; the limit is "
            f"{RESOURCE_MAX_BYTES // (1024 * 1024)} MB."
        )
    if size == 0:
        raise ApplicationError("File: the file is empty.")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if extension in MAGIC:
        if not head.startswith(MAGIC[extension]):
            raise ApplicationError(
                f"File: its content is not a real .{extension} file. Allowed types: {allowed}."
            )
    elif extension in TEXT_EXTENSIONS and (
        b"\x00" in head or head.startswith(BINARY_SIGNATURES) or not _is_utf8(head)
    ):
        raise ApplicationError(
            f"File: its content is not plain text, as a .{extension} file must be."
        )
    return extension


def _is_utf8(head: bytes) -> bool:
    # The 2 KB read may cut a multi-byte character: allow up to 3 trailing bytes to be partial.
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


@transaction.atomic
def resource_add_file(
    *, membership: Membership, roadmap: Roadmap, step: RoadmapStep, title: str, upload: UploadedFile
) -> StepResource:
    _require_author(membership, roadmap)
    _step_of_current_version(roadmap, step)
    if not title.strip():
        raise ApplicationError("Title: give the resource a title.")
    if len(title.strip()) > 200:
        raise ApplicationError("Title: the title is longer than 200 characters.")
    extension = file_check(upload)
    resource = StepResource(
        organisation_id=roadmap.organisation_id,
        step=step,
        position=_next_resource_position(step),
        title=title.strip(),
        content_type=CONTENT_TYPES[extension],
        size=upload.size or 0,
    )
    # A random stored name: the uploader's file name may say more than the title does.
    resource.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    resource.save()
    return resource


@transaction.atomic
def resource_remove(*, membership: Membership, roadmap: Roadmap, resource: StepResource) -> None:
    _require_author(membership, roadmap)
    if resource.step.version.roadmap_id != roadmap.pk:
        raise ApplicationError("This resource belongs to another roadmap.")
    _step_of_current_version(roadmap, resource.step)
    name = resource.file.name if resource.file else ""
    storage = resource.file.storage if resource.file else None
    resource.delete()
    if name and storage is not None and not StepResource.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


# --- Assignments and progress ---------------------------------------------------------------------


def _may_assign(membership: Membership, mentorship: Mentorship) -> bool:
    if program_list_managed(membership=membership).filter(pk=mentorship.program_id).exists():
        return True
    return MentorshipMember.objects.filter(
        mentorship=mentorship, person__user=membership.user
    ).exists()


@transaction.atomic
def roadmap_assign(
    *, membership: Membership, mentorship: Mentorship, roadmap: Roadmap
) -> RoadmapAssignment:
    """Give the roadmap's current version to the mentorship (its managers, or one of its
    members choosing their own path)."""
    if mentorship.organisation_id != membership.organisation_id or not _may_assign(
        membership, mentorship
    ):
        raise ApplicationError("Only the mentorship's members and managers choose its roadmaps.")
    if mentorship.status not in LIVE:
        raise ApplicationError("This mentorship has ended; its room is read-only.")
    if roadmap.organisation_id != mentorship.organisation_id or (
        roadmap.program_id is not None and roadmap.program_id != mentorship.program_id
    ):
        raise ApplicationError("Roadmap: this roadmap belongs to another program.")
    # Read afresh: the version to give is the current one now, not when the caller loaded it.
    roadmap = Roadmap.objects.select_related("current_version").get(pk=roadmap.pk)
    if roadmap.is_archived:
        raise ApplicationError("Roadmap: this roadmap is archived; choose a current one.")
    version = roadmap.current_version
    if version is None or not version.steps.exists():
        raise ApplicationError("Roadmap: this roadmap has no steps yet.")
    if RoadmapAssignment.objects.filter(mentorship=mentorship, roadmap=roadmap).exists():
        raise ApplicationError(f"Roadmap: this mentorship already follows “{roadmap.title}”.")
    assignment = RoadmapAssignment(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        roadmap=roadmap,
        version=version,
        assigned_by=membership.user,
    )
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:
        raise ApplicationError(
            f"Roadmap: this mentorship already follows “{roadmap.title}”."
        ) from error
    return assignment


@transaction.atomic
def roadmap_unassign(*, membership: Membership, assignment: RoadmapAssignment) -> None:
    """Stop following a roadmap; the members' ticks on it go with it."""
    mentorship = assignment.mentorship
    if not _may_assign(membership, mentorship):
        raise ApplicationError("Only the mentorship's members and managers choose its roadmaps.")
    if mentorship.status not in LIVE:
        raise ApplicationError("This mentorship has ended; its room is read-only.")
    assignment.delete()


def _check_step(seat: Seat, assignment: RoadmapAssignment, step: RoadmapStep) -> None:
    require_live(seat)
    if assignment.mentorship_id != seat.mentorship.pk:
        raise ApplicationError("This roadmap is not followed in this room.")
    if step.version_id != assignment.version_id:
        raise ApplicationError("This step is not part of the version you follow.")


@transaction.atomic
def step_mark_done(*, seat: Seat, assignment: RoadmapAssignment, step: RoadmapStep) -> StepProgress:
    """Tick the step for the viewer; when every member has done every step, the assignment is
    complete and the mentorship gets a celebration."""
    _check_step(seat, assignment, step)
    progress, _ = StepProgress.objects.get_or_create(
        assignment=assignment,
        step=step,
        member=seat.member,
        defaults={"organisation_id": assignment.organisation_id, "done_at": timezone.now()},
    )
    _update_completion(assignment)
    return progress


@transaction.atomic
def step_mark_undone(*, seat: Seat, assignment: RoadmapAssignment, step: RoadmapStep) -> None:
    _check_step(seat, assignment, step)
    StepProgress.objects.filter(assignment=assignment, step=step, member=seat.member).delete()
    _update_completion(assignment)


def _update_completion(assignment: RoadmapAssignment) -> None:
    assignment = RoadmapAssignment.objects.select_for_update().get(pk=assignment.pk)
    members = MentorshipMember.objects.filter(mentorship_id=assignment.mentorship_id).count()
    steps = RoadmapStep.objects.filter(version_id=assignment.version_id).count()
    done = StepProgress.objects.filter(assignment=assignment).count()
    complete = members > 0 and steps > 0 and done >= members * steps
    if complete and assignment.completed_at is None:
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at", "updated_at"])
        celebration_record(
            mentorship=assignment.mentorship,
            kind=Celebration.Kind.ROADMAP_COMPLETED,
            subject=assignment.roadmap.title,
        )
    elif not complete and assignment.completed_at is not None:
        assignment.completed_at = None
        assignment.save(update_fields=["completed_at", "updated_at"])
