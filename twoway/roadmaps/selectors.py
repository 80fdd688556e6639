"""Reads of roadmaps: the library, a roadmap's steps, a room's progress and a program's overview.

Every read starts from the organisation's rows. A room's progress is for its members; a
program's managers see counts only (who follows what, how far), never anything the members
wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from twoway.core.models import Membership
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.models import Program
from twoway.roadmaps import builtins
from twoway.roadmaps.access import managed_program_ids, readable_filter
from twoway.roadmaps.models import (
    Roadmap,
    RoadmapAssignment,
    RoadmapStep,
    StepProgress,
    StepResource,
)
from twoway.rooms.access import Seat
from twoway.rooms.agendas import BUILTIN_BY_KEY as AGENDAS

LIBRARY_PER_PAGE = 20
PROGRAM_PER_PAGE = 25
# An annotation of ``_with_step_count`` (spelt as a mapping: the type checker cannot see it).
WITH_STEPS = {"step_count__gt": 0}


def _count_subquery(queryset: QuerySet, outer: str, inner: str) -> Coalesce:
    counted = (
        queryset.filter(**{inner: OuterRef(outer)})
        .order_by()
        .values(inner)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_step_count(roadmaps: QuerySet[Roadmap]) -> QuerySet[Roadmap]:
    return roadmaps.annotate(
        step_count=_count_subquery(RoadmapStep.objects.all(), "current_version_id", "version_id")
    )


def roadmap_list_for_library(*, membership: Membership, search: str = "") -> QuerySet[Roadmap]:
    """The organisation's roadmaps and the program roadmaps of programs the viewer manages;
    archived ones are left out."""
    roadmaps = (
        Roadmap.objects.for_organisation(membership.organisation)
        .filter(is_archived=False)
        .filter(Q(program__isnull=True) | Q(program_id__in=managed_program_ids(membership)))
        .select_related("program", "current_version")
    )
    if search:
        roadmaps = roadmaps.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    return _with_step_count(roadmaps).order_by("title", "pk")


def builtin_list_unadopted(*, membership: Membership, search: str = "") -> list[Any]:
    """Built-in roadmaps the organisation has not adopted yet (adopted ones are its own rows)."""
    adopted = set(
        Roadmap.objects.for_organisation(membership.organisation)
        .exclude(builtin_key="")
        .values_list("builtin_key", flat=True)
    )
    needle = search.lower()
    return [
        builtin
        for builtin in builtins.BUILTIN_ROADMAPS
        if builtin.key not in adopted
        and (not needle or needle in builtin.title.lower() or needle in builtin.summary.lower())
    ]


def steps_of_version(*, version_id: int | None) -> list[RoadmapStep]:
    if version_id is None:
        return []
    steps = list(
        RoadmapStep.objects.filter(version_id=version_id)
        .select_related("agenda_template")
        .prefetch_related("resources")
        .order_by("position")
    )
    for step in steps:
        step.agenda_name = agenda_name(step)  # type: ignore[attr-defined]
    return steps


def agenda_name(step: RoadmapStep) -> str:
    if step.agenda_template_id and step.agenda_template is not None:
        return str(step.agenda_template)
    agenda = AGENDAS.get(step.agenda_key)
    return agenda.name if agenda else ""


def step_get(*, roadmap: Roadmap, step_id: int) -> RoadmapStep:
    step = (
        RoadmapStep.objects.filter(
            organisation_id=roadmap.organisation_id, version__roadmap=roadmap, pk=step_id
        )
        .select_related("version")
        .first()
    )
    if step is None:
        raise Http404
    return step


def resource_get_in_roadmap(*, roadmap: Roadmap, resource_id: int) -> StepResource:
    resource = (
        StepResource.objects.filter(
            organisation_id=roadmap.organisation_id, step__version__roadmap=roadmap, pk=resource_id
        )
        .select_related("step__version")
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def resource_get_for_download(*, membership: Membership, resource_id: int) -> StepResource:
    """An uploaded file of the viewer's organisation (roadmaps are its shared material)."""
    resource = (
        StepResource.objects.for_organisation(membership.organisation)
        .exclude(file="")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise Http404
    return resource


# --- Rooms ---------------------------------------------------------------------------------------


@dataclass
class MemberProgress:
    member: MentorshipMember
    done: int


@dataclass
class AssignmentProgress:
    assignment: RoadmapAssignment
    steps: list[RoadmapStep]
    members: list[MemberProgress]
    my_done_ids: set[int] = field(default_factory=set)
    done_by_step: dict[int, list[MentorshipMember]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def my_done(self) -> int:
        return len(self.my_done_ids)

    @property
    def next_step(self) -> RoadmapStep | None:
        return next((step for step in self.steps if step.pk not in self.my_done_ids), None)

    @property
    def percent(self) -> int:
        """Overall: ticks of every member over every step."""
        possible = self.total * len(self.members)
        if not possible:
            return 0
        return round(100 * sum(m.done for m in self.members) / possible)


def _room_members(seat: Seat) -> list[MentorshipMember]:
    return list(
        MentorshipMember.objects.filter(
            organisation_id=seat.mentorship.organisation_id, mentorship=seat.mentorship
        )
        .select_related("person")
        .order_by("role", "pk")
    )


def _progress_of(
    assignments: list[RoadmapAssignment], members: list[MentorshipMember], me: MentorshipMember
) -> list[AssignmentProgress]:
    """Steps and ticks of ``assignments`` in three queries whatever their number."""
    ids = [a.pk for a in assignments]
    steps_by_version: dict[int, list[RoadmapStep]] = {}
    for step in (
        RoadmapStep.objects.filter(version_id__in={a.version_id for a in assignments})
        .select_related("agenda_template")
        .prefetch_related("resources")
        .order_by("position")
    ):
        step.agenda_name = agenda_name(step)  # type: ignore[attr-defined]
        steps_by_version.setdefault(step.version_id, []).append(step)
    ticks = list(
        StepProgress.objects.filter(assignment_id__in=ids).values_list(
            "assignment_id", "step_id", "member_id"
        )
    )
    by_id = {m.pk: m for m in members}
    result = []
    for assignment in assignments:
        rows = [(step, member) for a, step, member in ticks if a == assignment.pk]
        done_by_step: dict[int, list[MentorshipMember]] = {}
        for step_id, member_id in rows:
            if member_id in by_id:
                done_by_step.setdefault(step_id, []).append(by_id[member_id])
        result.append(
            AssignmentProgress(
                assignment=assignment,
                steps=steps_by_version.get(assignment.version_id, []),
                members=[
                    MemberProgress(member=m, done=sum(1 for _, mid in rows if mid == m.pk))
                    for m in members
                ],
                my_done_ids={step_id for step_id, mid in rows if mid == me.pk},
                done_by_step=done_by_step,
            )
        )
    return result


def _room_assignments(seat: Seat) -> QuerySet[RoadmapAssignment]:
    return (
        RoadmapAssignment.objects.filter(
            organisation_id=seat.mentorship.organisation_id, mentorship=seat.mentorship
        )
        .select_related("roadmap", "version")
        .order_by("pk")
    )


def roadmap_for_room(*, seat: Seat) -> dict[str, Any]:
    """What the room page shows of the mentorship's roadmaps: progress and the next step."""
    members = _room_members(seat)
    assignments = list(_room_assignments(seat))
    return {
        "roadmap_progress": _progress_of(assignments, members, seat.member) if assignments else []
    }


def assignment_progress_in_room(*, seat: Seat, assignment_id: int) -> AssignmentProgress:
    """One assignment of the viewer's room with its steps and everyone's ticks, or 404."""
    assignment = _room_assignments(seat).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    [progress] = _progress_of([assignment], _room_members(seat), seat.member)
    for step in progress.steps:
        step.done_by = progress.done_by_step.get(step.pk, [])  # type: ignore[attr-defined]
        step.done_by_me = step.pk in progress.my_done_ids  # type: ignore[attr-defined]
    return progress


def assignment_get_in_room(*, seat: Seat, assignment_id: int) -> RoadmapAssignment:
    assignment = _room_assignments(seat).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment


def step_get_in_assignment(*, assignment: RoadmapAssignment, step_id: int) -> RoadmapStep:
    step = RoadmapStep.objects.filter(version_id=assignment.version_id, pk=step_id).first()
    if step is None:
        raise Http404
    return step


def roadmap_list_for_mentorship(
    *, membership: Membership, mentorship: Mentorship
) -> QuerySet[Roadmap]:
    """What a mentorship may choose: the organisation's roadmaps and its program's own, current,
    with steps, not already followed."""
    followed = RoadmapAssignment.objects.filter(mentorship=mentorship).values("roadmap_id")
    return (
        _with_step_count(
            Roadmap.objects.for_organisation(membership.organisation).filter(
                Q(program__isnull=True) | Q(program_id=mentorship.program_id),
                is_archived=False,
            )
        )
        .filter(**WITH_STEPS)
        .exclude(pk__in=followed)
        .order_by("title", "pk")
    )


def roadmap_get_for_mentorship(
    *, membership: Membership, mentorship: Mentorship, roadmap_id: int
) -> Roadmap:
    roadmap = (
        Roadmap.objects.for_organisation(membership.organisation)
        .filter(Q(program__isnull=True) | Q(program_id=mentorship.program_id), pk=roadmap_id)
        .select_related("current_version")
        .first()
    )
    if roadmap is None:
        raise Http404
    return roadmap


# --- Program managers ----------------------------------------------------------------------------


def program_mentorships_with_roadmaps(*, program: Program) -> QuerySet[Mentorship]:
    """The program's mentorships with their members' names and, per assignment, counts only:
    steps of its version and ticks so far (for an overall percentage)."""
    assignments = (
        RoadmapAssignment.objects.filter(organisation_id=program.organisation_id)
        .select_related("roadmap")
        .annotate(
            step_count=_count_subquery(RoadmapStep.objects.all(), "version_id", "version_id"),
            done_count=_count_subquery(StepProgress.objects.all(), "pk", "assignment_id"),
        )
        .order_by("pk")
    )
    return (
        Mentorship.objects.for_organisation(program.organisation)
        .filter(program=program)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=MentorshipMember.objects.select_related("person").order_by("role", "pk"),
            ),
            Prefetch("roadmap_assignments", queryset=assignments),
        )
        .order_by("-started_at", "-pk")
    )


def assignment_percent(assignment: RoadmapAssignment, member_count: int) -> int:
    possible = getattr(assignment, "step_count", 0) * member_count
    return round(100 * getattr(assignment, "done_count", 0) / possible) if possible else 0


def roadmap_list_for_program(*, program: Program) -> QuerySet[Roadmap]:
    """What a program's managers may assign: the organisation's roadmaps and the program's."""
    return (
        _with_step_count(
            Roadmap.objects.for_organisation(program.organisation).filter(
                Q(program__isnull=True) | Q(program=program), is_archived=False
            )
        )
        .filter(**WITH_STEPS)
        .order_by("title", "pk")
    )


def assignment_get_for_program(*, program: Program, assignment_id: int) -> RoadmapAssignment:
    assignment = (
        RoadmapAssignment.objects.filter(
            organisation_id=program.organisation_id, mentorship__program=program, pk=assignment_id
        )
        .select_related("mentorship", "roadmap")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def mentorship_get_in_program(*, program: Program, mentorship_id: int) -> Mentorship:
    mentorship = (
        Mentorship.objects.for_organisation(program.organisation)
        .filter(program=program, pk=mentorship_id)
        .first()
    )
    if mentorship is None:
        raise Http404
    return mentorship


def readable_roadmaps(membership: Membership) -> QuerySet[Roadmap]:
    return Roadmap.objects.for_organisation(membership.organisation).filter(
        readable_filter(membership)
    )
