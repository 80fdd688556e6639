"""Reads of programs and playbooks. Every read starts from the viewer's membership (and so from
their organisation); a program the viewer may not see answers exactly like a missing one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from twoway.core.models import Membership, Organisation, Role
from twoway.enrolment.models import Application, Invitation
from twoway.people.models import Department, Level, Person, Topic
from twoway.programs import access
from twoway.programs.models import EligibilityRule, Playbook, Program
from twoway.programs.playbooks import CHECKLIST


def _programs(organisation: Organisation) -> QuerySet[Program]:
    programs: QuerySet[Program] = Program.objects.for_organisation(organisation)
    return programs


def _invited(membership: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=membership.organisation, person__user=membership.user_id
    )


def _applied(membership: Membership) -> QuerySet[Application]:
    return Application.objects.filter(organisation=membership.organisation, user=membership.user_id)


def _involved_filter(membership: Membership) -> Q:
    """The programs ``membership``'s user was invited to or applied to, whatever the status of
    the invitation or application: having dealt with a program, they may read it again."""
    return Q(pk__in=_invited(membership).values("program_id")) | Q(
        pk__in=_applied(membership).values("program_id")
    )


def _managed_ids(membership: Membership) -> QuerySet[Program, Any]:
    return _programs(membership.organisation).filter(access.managed_filter(membership)).values("pk")


def _visible(membership: Membership) -> QuerySet[Program]:
    """Managed, open for applications, or one the member was invited to or applied to; never a
    draft they have nothing to do with. (An admin's "managed" is everything; combining an empty
    Q with another would narrow it, so admins are handled first.) Subqueries rather than joins,
    so no row repeats and no ``distinct()`` is needed."""
    programs = _programs(membership.organisation)
    if access.is_org_admin(membership):
        return programs
    return programs.filter(
        Q(pk__in=_managed_ids(membership))
        | access.open_for_applications_filter(membership.organisation)
        | _involved_filter(membership)
    )


def _filtered(
    programs: QuerySet[Program], *, search: str = "", status: str = "", format: str = ""
) -> QuerySet[Program]:
    """Narrow by a search on the name and by status and format (unknown values are the
    caller's to refuse; empty means "any")."""
    search = " ".join(search.split())
    if search:
        programs = programs.filter(name__icontains=search)
    if status:
        programs = programs.filter(status=status)
    if format:
        programs = programs.filter(format=format)
    return programs


def program_list_managed(
    *, membership: Membership, search: str = "", status: str = "", format: str = ""
) -> QuerySet[Program]:
    """Admins: all of the organisation's programs; program managers: the ones they manage;
    participants: none. Newest first."""
    return _filtered(
        _programs(membership.organisation)
        .filter(pk__in=_managed_ids(membership))
        .order_by("-created_at", "-pk"),
        search=search,
        status=status,
        format=format,
    )


def program_list_open(*, membership: Membership) -> QuerySet[Program]:
    """Programs any member may apply to now."""
    return (
        _programs(membership.organisation)
        .filter(access.open_for_applications_filter(membership.organisation))
        .order_by("application_closes", "name", "pk")
    )


def _annotated(programs: QuerySet[Program], membership: Membership) -> QuerySet[Program]:
    """Each program with the viewer's relation to it: ``is_managed``, ``is_invited``,
    ``has_applied`` (one query whatever the number of programs)."""
    managed = _programs(membership.organisation).filter(access.managed_filter(membership))
    return programs.annotate(
        is_managed=Exists(managed.filter(pk=OuterRef("pk"))),
        is_invited=Exists(_invited(membership).filter(program=OuterRef("pk"))),
        has_applied=Exists(_applied(membership).filter(program=OuterRef("pk"))),
    )


def program_list_for_member(
    *, membership: Membership, search: str = "", status: str = "", format: str = ""
) -> QuerySet[Program]:
    """Every program the member may see, annotated (see ``_annotated``): for admins all
    programs, for program managers the ones they manage, and for everyone the programs open for
    applications and the ones they were invited to or applied to. Newest first."""
    return _filtered(
        _annotated(_visible(membership), membership)
        .prefetch_related(Prefetch("key_areas", queryset=Topic.objects.order_by("name")))
        .order_by("-created_at", "-pk"),
        search=search,
        status=status,
        format=format,
    )


def program_list_participating(*, membership: Membership) -> QuerySet[Program]:
    """What the member sees as a (prospective) participant: programs they were invited to or
    applied to and the ones open for applications, leaving out the ones they manage (those are
    listed as managed). Soonest-closing application window first."""
    return (
        program_list_for_member(membership=membership)
        .exclude(pk__in=_managed_ids(membership))
        .order_by(F("application_closes").asc(nulls_last=True), "name", "pk")
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
    """A program the member may read as a (prospective) participant: open for applications, one
    they were invited to or applied to, or one they manage; else 404."""
    program = _visible(membership).prefetch_related("key_areas").filter(pk=program_id).first()
    if program is None:
        raise Http404
    return program


def _with_detail(programs: QuerySet[Program]) -> QuerySet[Program]:
    """What a program's pages and API show, loaded in a fixed number of queries whatever the
    number of key areas, managers and eligibility rules."""
    return programs.select_related("organisation").prefetch_related(
        Prefetch("key_areas", queryset=Topic.objects.order_by("category", "name")),
        Prefetch("managers", queryset=get_user_model().objects.order_by("display_name", "pk")),
        Prefetch(
            "eligibility",
            queryset=EligibilityRule.objects.prefetch_related(
                "departments", "included", "excluded"
            ),
        ),
    )


def program_detail(*, program: Program, membership: Membership | None = None) -> Program:
    """The program with what its pages show already loaded (and, given the viewer's
    membership, annotated with their relation to it as in ``program_list_for_member``)."""
    programs: QuerySet[Program] = Program.objects.filter(pk=program.pk)
    if membership is not None:
        programs = _annotated(programs, membership)
    return _with_detail(programs).get()


def program_get_detail_for_manager(*, membership: Membership, program_id: int) -> Program:
    """``program_get_for_manager`` and ``program_detail`` in one step (one query fewer)."""
    program = (
        _with_detail(program_list_managed(membership=membership)).filter(pk=program_id).first()
    )
    if program is None:
        raise Http404
    return program


def checklist_rows(*, program: Program, org_slug: str) -> list[dict[str, Any]]:
    """The playbook checklist of ``program``: each step, whether and when it was ticked, and the
    page where it is done (empty when a later part of the product will do it)."""
    rows = []
    for step in CHECKLIST:
        done_at = program.checklist.get(step.key)
        url = ""
        if step.url_name:
            args: list[Any] = [org_slug, program.pk]
            if step.url_name == "programs:eligibility":
                args.append(EligibilityRule.Role.MENTOR.value)
            url = reverse(step.url_name, args=args)
            if step.anchor:
                url += f"#{step.anchor}"
        rows.append(
            {
                "step": step,
                "done": bool(done_at),
                "done_at": dt.datetime.fromisoformat(done_at) if done_at else None,
                "url": url,
            }
        )
    return rows


def eligibility_get(*, program: Program, role: str) -> EligibilityRule | None:
    return (
        EligibilityRule.objects.filter(program=program, role=role)
        .prefetch_related("departments", "included", "excluded")
        .first()
    )


def rows_by_id(queryset: QuerySet[Any], ids: Sequence[int]) -> tuple[list[Any], list[int]]:
    """The rows of ``queryset`` (already scoped to the organisation) with these ids, in the
    order given, and the ids that matched none — a foreign row counts as missing."""
    found = {row.pk: row for row in queryset.filter(pk__in=set(ids))}
    missing = sorted({pk for pk in ids if pk not in found})
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found], missing


def people_for_eligibility(*, organisation: Organisation) -> QuerySet[Person]:
    people: QuerySet[Person] = Person.objects.for_organisation(organisation)
    return people


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
