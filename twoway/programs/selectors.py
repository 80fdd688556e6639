"""Reads of programs and playbooks. Every read starts from the viewer's membership (and so from
their organisation); a program the viewer may not see answers exactly like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from twoway.core.models import Membership, Organisation, Role
from twoway.people.models import Department, Level, Topic
from twoway.programs import access
from twoway.programs.models import EligibilityRule, Playbook, Program


def _programs(organisation: Organisation) -> QuerySet[Program]:
    programs: QuerySet[Program] = Program.objects.for_organisation(organisation)
    return programs


def _visible(membership: Membership) -> QuerySet[Program]:
    """Managed or open for applications. (An admin's "managed" is everything; combining an empty
    Q with another would narrow it, so admins are handled first.)"""
    programs = _programs(membership.organisation)
    if access.is_org_admin(membership):
        return programs
    managed_ids = programs.filter(access.managed_filter(membership)).values("pk")
    return programs.filter(
        Q(pk__in=managed_ids) | access.open_for_applications_filter(membership.organisation)
    )


def program_list_managed(*, membership: Membership) -> QuerySet[Program]:
    """Admins: all of the organisation's programs; program managers: the ones they manage;
    participants: none."""
    return (
        _programs(membership.organisation)
        .filter(access.managed_filter(membership))
        .distinct()
        .order_by("-created_at", "-pk")
    )


def program_list_open(*, membership: Membership) -> QuerySet[Program]:
    """Programs any member may apply to now (the enrolment app extends participant visibility
    with the programs a person was invited to or applied to)."""
    return (
        _programs(membership.organisation)
        .filter(access.open_for_applications_filter(membership.organisation))
        .order_by("application_closes", "name", "pk")
    )


def program_list_for_member(*, membership: Membership) -> QuerySet[Program]:
    """Every program the member may see, each with ``is_managed``: for admins all programs, for
    program managers the ones they manage, and for everyone the programs open for applications."""
    organisation = membership.organisation
    managed = _programs(organisation).filter(access.managed_filter(membership))
    return (
        _visible(membership)
        .annotate(is_managed=Exists(managed.filter(pk=OuterRef("pk"))))
        .prefetch_related("key_areas")
        .order_by("-created_at", "-pk")
    )


def program_get_for_manager(*, membership: Membership, program_id: int) -> Program:
    """The program if the viewer is an organisation admin or one of its managers; else 404 —
    also for a manager of another program of the same organisation."""
    program = (
        program_list_managed(membership=membership)
        .select_related("organisation")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404
    return program


def program_get_for_participant(*, membership: Membership, program_id: int) -> Program:
    """A program the member may read as a (prospective) participant: open for applications, or
    one they manage; else 404."""
    program = _visible(membership).prefetch_related("key_areas").filter(pk=program_id).first()
    if program is None:
        raise Http404
    return program


def program_detail(*, program: Program) -> Program:
    """The program with what its pages show already loaded."""
    return (
        Program.objects.filter(pk=program.pk)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("key_areas", queryset=Topic.objects.order_by("category", "name")),
            Prefetch("managers", queryset=get_user_model().objects.order_by("display_name")),
            Prefetch(
                "eligibility",
                queryset=EligibilityRule.objects.prefetch_related(
                    "departments", "included", "excluded"
                ),
            ),
        )
        .get()
    )


def eligibility_get(*, program: Program, role: str) -> EligibilityRule | None:
    return (
        EligibilityRule.objects.filter(program=program, role=role)
        .prefetch_related("departments", "included", "excluded")
        .first()
    )


def manager_candidates(*, organisation: Organisation) -> QuerySet[Any]:
    """Users who may manage a program: active members with the program manager role or above."""
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=[Role.PROGRAM_MANAGER, Role.ADMIN],
            is_active=True,
        )
        .order_by("display_name", "email")
        .distinct()
    )


def playbook_list(*, organisation: Organisation) -> QuerySet[Playbook]:
    playbooks: QuerySet[Playbook] = Playbook.objects.for_organisation(organisation)
    return playbooks.order_by("name")


def playbook_get(*, organisation: Organisation, playbook_id: int) -> Playbook:
    playbook = playbook_list(organisation=organisation).filter(pk=playbook_id).first()
    if playbook is None:
        raise Http404
    return playbook


def key_area_choices(*, organisation: Organisation) -> QuerySet[Topic]:
    """Skills and topics of the taxonomy a program may focus on (not interests)."""
    topics: QuerySet[Topic] = Topic.objects.for_organisation(organisation)
    return topics.filter(kind=Topic.Kind.SKILL).order_by("category", "name")


def level_list(*, organisation: Organisation) -> QuerySet[Level]:
    levels: QuerySet[Level] = Level.objects.for_organisation(organisation)
    return levels.order_by("number")


def department_list(*, organisation: Organisation) -> QuerySet[Department]:
    departments: QuerySet[Department] = Department.objects.for_organisation(organisation)
    return departments.order_by("name")
