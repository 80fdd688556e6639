"""Reads for enrolment. Every read starts from the viewer's membership or from a program the
viewer has already been authorised for; an application or invitation that is not the viewer's
answers like a missing one (404).

Nothing here reads ``DiversityResponse``: individual diversity answers never reach a page, an
export or an API response.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from twoway.core.models import Membership, Organisation
from twoway.enrolment.eligibility import Candidate, RoleRule
from twoway.enrolment.models import Application, CustomAnswer, CustomQuestion, Invitation
from twoway.people.models import Person, PersonTopic, Topic
from twoway.programs.models import EligibilityRule, Program


def organisation_today(organisation: Organisation) -> dt.date:
    """Program dates are kept in the organisation's time zone."""
    try:
        zone = zoneinfo.ZoneInfo(organisation.default_time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def person_for_user(*, organisation: Organisation, user: Any) -> Person | None:
    """The directory entry linked to ``user`` in ``organisation``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    people: QuerySet[Person] = Person.objects.for_organisation(organisation)
    return people.select_related("department", "manager").filter(user=user).first()


def candidate_for(person: Person) -> Candidate:
    return Candidate(
        person_id=person.pk,
        level=person.level,
        hire_date=person.hire_date,
        department_id=person.department_id,
        department_name=person.department.name if person.department else "",
    )


def eligibility_rules_load(*, program: Program) -> dict[str, RoleRule]:
    """The program's eligibility rules as plain values for ``eligibility.py`` (four queries)."""
    rules = EligibilityRule.objects.filter(program=program).prefetch_related(
        "departments", "included", "excluded"
    )
    return {
        rule.role: RoleRule(
            role=rule.role,
            min_level=rule.min_level,
            max_level=rule.max_level,
            min_tenure_months=rule.min_tenure_months,
            departments={d.pk: d.name for d in rule.departments.all()},
            included=frozenset(p.pk for p in rule.included.all()),
            excluded=frozenset(p.pk for p in rule.excluded.all()),
        )
        for rule in rules
    }


def directory_topics(*, person: Person) -> dict[str, list[Topic]]:
    """The person's directory topics by relation (shares, learns, interest), to pre-fill the
    questionnaire."""
    by_relation: dict[str, list[Topic]] = {relation: [] for relation in PersonTopic.Relation}
    for link in (
        PersonTopic.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("topic")
        .order_by("topic__name")
    ):
        by_relation[link.relation].append(link.topic)
    return by_relation


def question_list(*, program: Program) -> QuerySet[CustomQuestion]:
    return CustomQuestion.objects.filter(
        organisation_id=program.organisation_id, program=program
    ).order_by("position", "id")


def question_get(*, program: Program, question_id: int) -> CustomQuestion:
    question = question_list(program=program).filter(pk=question_id).first()
    if question is None:
        raise Http404
    return question


# --- The participant's side -------------------------------------------------------------------


def application_list_for_user(*, membership: Membership) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation=membership.organisation, user=membership.user)
        .select_related("program")
        .order_by("-submitted_at", "-id")
    )


def application_get_for_applicant(*, membership: Membership, application_id: int) -> Application:
    application = (
        application_list_for_user(membership=membership)
        .select_related("person", "program__organisation")
        .prefetch_related("shares", "learns", "interests")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def invitation_list_for_user(*, membership: Membership) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            organisation=membership.organisation, person__user=membership.user
        )
        .select_related("program")
        .order_by("-created_at", "-id")
    )


def invitation_get_by_token(*, membership: Membership, token: str) -> Invitation:
    """The invitation behind an emailed link — only for the invitee it was sent to."""
    invitation = (
        invitation_list_for_user(membership=membership)
        .select_related("person", "program__organisation")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitation_for(*, program: Program, person: Person) -> Invitation | None:
    return Invitation.objects.filter(program=program, person=person).first()


@dataclass
class MyProgram:
    """One row of the participant's "My programs": a program with the viewer's invitation and
    application, if any."""

    program: Program
    invitation: Invitation | None = None
    application: Application | None = None


def my_programs(*, membership: Membership) -> list[MyProgram]:
    """Programs the member applied to, was invited to, or may apply to now (three queries)."""
    from twoway.programs.selectors import program_list_open

    rows: dict[int, MyProgram] = {}
    # The program's matching settings come along: the page links self-service programs.
    applications = application_list_for_user(membership=membership).select_related(
        "program__matching_settings"
    )
    for application in applications:
        rows[application.program_id] = MyProgram(
            program=application.program, application=application
        )
    for invitation in invitation_list_for_user(membership=membership):
        row = rows.setdefault(invitation.program_id, MyProgram(program=invitation.program))
        row.invitation = invitation
    for program in program_list_open(membership=membership):
        rows.setdefault(program.pk, MyProgram(program=program))
    return list(rows.values())


# --- The program manager's side ---------------------------------------------------------------


def applicant_list(
    *, program: Program, status: str = "", role: str = "", search: str = ""
) -> QuerySet[Application]:
    """A program's applications with what the list and the export show already loaded: a page
    of any size costs the same four queries (count, rows, and two topic prefetches)."""
    applications = (
        Application.objects.filter(organisation_id=program.organisation_id, program=program)
        .select_related("person", "person__department")
        .prefetch_related(
            Prefetch("shares", queryset=Topic.objects.order_by("name")),
            Prefetch("learns", queryset=Topic.objects.order_by("name")),
        )
        .order_by("-submitted_at", "-id")
    )
    if status:
        applications = applications.filter(status=status)
    if role:
        applications = applications.filter(role=role)
    for word in search.split():
        applications = applications.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(person__job_title__icontains=word)
        )
    return applications


def applicant_export_rows(*, program: Program) -> QuerySet[Application]:
    return applicant_list(program=program).prefetch_related(
        Prefetch("interests", queryset=Topic.objects.order_by("name")),
        Prefetch("answers", queryset=CustomAnswer.objects.select_related("question")),
    )


def application_get_for_manager(*, program: Program, application_id: int) -> Application:
    application = applicant_list(program=program).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def application_detail_for_manager(*, program: Program, application_id: int) -> Application:
    """One application of ``program`` with everything its detail page shows loaded (the
    questionnaire, custom answers with their questions, the invitation, who decided); 404 when
    it is not this program's. Diversity answers are not among them."""
    application = (
        Application.objects.filter(organisation_id=program.organisation_id, program=program)
        .select_related("person", "person__department", "invitation", "decided_by")
        .prefetch_related(
            Prefetch("shares", queryset=Topic.objects.order_by("name")),
            Prefetch("learns", queryset=Topic.objects.order_by("name")),
            Prefetch("interests", queryset=Topic.objects.order_by("name")),
            Prefetch(
                "answers",
                queryset=CustomAnswer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            ),
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def invitation_list_for_program(*, program: Program) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation_id=program.organisation_id, program=program)
        .select_related("person")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Funnel:
    invited: int
    applied: int
    approved: int
    matched: int
    active: int
    waitlisted: int
    declined: int
    withdrawn: int

    def steps(self) -> list[tuple[str, int]]:
        return [
            ("Invited", self.invited),
            ("Applied", self.applied),
            ("Approved", self.approved),
            ("Matched", self.matched),
            ("Active", self.active),
        ]


def funnel(*, program: Program) -> Funnel:
    """Counts for the manager's funnel in two queries. "Applied" counts every application,
    withdrawn ones included; matched and active stay 0 until matching exists."""
    status = Application.Status
    counts = Application.objects.filter(program=program).aggregate(
        applied=Count("pk"),
        approved=Count("pk", filter=Q(status=status.APPROVED)),
        waitlisted=Count("pk", filter=Q(status=status.WAITLISTED)),
        declined=Count("pk", filter=Q(status=status.DECLINED)),
        withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
    )
    return Funnel(
        invited=Invitation.objects.filter(program=program).count(),
        matched=0,
        active=0,
        **counts,
    )


def program_get_for_applicant(*, membership: Membership, program_id: int) -> Program:
    """A program the member may apply to or has dealt with: open for applications, or one they
    were invited to or applied to; else 404."""
    from twoway.programs.access import open_for_applications_filter

    organisation = membership.organisation
    programs: QuerySet[Program] = Program.objects.for_organisation(organisation)
    mine = Q(invitations__person__user=membership.user) | Q(applications__user=membership.user)
    program = (
        programs.filter(open_for_applications_filter(organisation) | mine)
        .select_related("organisation")
        .distinct()
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404
    return program
