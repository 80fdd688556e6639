"""Reads of matching for the manager's pages, the API and the command line.

Each starts from the viewer's membership: a run or proposal of a program they do not manage
answers 404, exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from twoway.core.models import Membership
from twoway.enrolment.models import Application, Role
from twoway.matching.models import MatchRun, Proposal, ProposalMember, UnmatchedEntry
from twoway.programs.models import Program
from twoway.programs.selectors import program_list_managed


def run_list(*, program: Program) -> QuerySet[MatchRun]:
    return MatchRun.objects.filter(program=program).order_by("-created_at", "-id")


def run_get_for_manager(*, membership: Membership, run_id: int) -> MatchRun:
    run = (
        MatchRun.objects.filter(
            organisation=membership.organisation,
            program__in=program_list_managed(membership=membership),
            pk=run_id,
        )
        .select_related("program", "program__organisation", "created_by", "published_by")
        .first()
    )
    if run is None:
        raise Http404
    return run


def proposal_get_for_manager(*, membership: Membership, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(
            organisation=membership.organisation,
            program__in=program_list_managed(membership=membership),
            pk=proposal_id,
        )
        .select_related("run", "run__program")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def proposal_list(*, run: MatchRun, search: str = "") -> QuerySet[Proposal]:
    """The run's proposals, best first, with their members' names loaded (a fixed number of
    queries whatever the page size); ``search`` matches a member's first or last name."""
    proposals = Proposal.objects.filter(run=run).prefetch_related(
        Prefetch(
            "members",
            queryset=ProposalMember.objects.select_related("application__person").order_by(
                "role", "id"
            ),
        )
    )
    for word in search.split():
        people = ProposalMember.objects.filter(run_filter(run)).filter(
            Q(application__person__first_name__icontains=word)
            | Q(application__person__last_name__icontains=word)
        )
        proposals = proposals.filter(pk__in=people.values("proposal_id"))
    return proposals.order_by("-score", "id")


def run_filter(run: MatchRun) -> Q:
    return Q(proposal__run=run)


def unmatched_list(*, run: MatchRun) -> QuerySet[UnmatchedEntry]:
    return UnmatchedEntry.objects.filter(run=run).select_related("application__person")


@dataclass
class Candidates:
    """Who a manager may pick when adding a pair by hand."""

    mentors: list[Application]  # mentors and "either" applicants
    mentees: list[Application]  # mentees and "either" applicants not placed in the run


def candidates_for_pair(*, run: MatchRun) -> Candidates:
    approved = (
        Application.objects.filter(program=run.program, status=Application.Status.APPROVED)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    placed = set(
        ProposalMember.objects.filter(proposal__run=run).values_list("application_id", flat=True)
    )
    everyone = list(approved)
    return Candidates(
        mentors=[a for a in everyone if a.role in (Role.MENTOR, Role.EITHER)],
        mentees=[
            a for a in everyone if a.role in (Role.MENTEE, Role.EITHER) and a.pk not in placed
        ],
    )


def application_get_for_run(*, run: MatchRun, application_id: int) -> Application:
    application = (
        Application.objects.filter(program=run.program, pk=application_id)
        .select_related("person")
        .first()
    )
    if application is None:
        raise Http404
    return application


def mentee_side(*, run: MatchRun) -> list[Application]:
    """Every approved mentee (and "either" applicant) of the run's program, placed or not."""
    return list(
        Application.objects.filter(
            program=run.program,
            status=Application.Status.APPROVED,
            role__in=[Role.MENTEE, Role.EITHER],
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
