"""Writes of matching: settings, runs of the engine, the manager's edits of the draft, publishing.

A run goes queued → running → done (or failed) in the task worker (``match_run_execute``); its
proposals are a draft the managers edit — lock, remove, swap mentors, add a pair by hand — and
then publish, which creates the mentorships. Locked proposals (and pairs added by hand, which are
locked) of the latest unpublished run are copied into the next run, which keeps them.

Every service but ``match_run_execute`` (the worker's) takes the acting user first and checks
they manage the program. A hard rule broken by an edit is refused naming the rule
(``RuleBroken``); something a manager may do on purpose — a mentor over capacity, a person
placed twice — is refused with a warning (``NeedsConfirmation``) until they confirm it.
Participants hear of a match only on publishing, by an email with a link and their partner's
name, never a score.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.enrolment.models import Application, Role
from twoway.matching.engine import Criterion, MatchResult, Rule, Weight, match
from twoway.matching.engine.explain import pair_reason
from twoway.matching.engine.scoring import (
    Features,
    block_criteria,
    block_rules,
    pair_criteria,
    pair_total,
    prepare,
)
from twoway.matching.models import (
    MatchingSettings,
    MatchRun,
    Proposal,
    ProposalMember,
    UnmatchedEntry,
)
from twoway.matching.problem import ProgramProblem, program_problem
from twoway.mentorships.models import Mentorship
from twoway.mentorships.services import mentorship_create
from twoway.programs import access, lifecycle
from twoway.programs.models import Format, Program

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
MAX_SHARED_HOURS = 40
MAX_REQUEST_DAYS = 60
BUSY = (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING)
# Rules for people left unplaced that the engine does not name.
RULE_REMOVED = "removed"
RULE_NO_MENTEE = "no_mentee"


class RuleBroken(ApplicationError):
    """An edit would break a hard rule; ``rule`` is the engine's ``Rule`` value."""

    def __init__(self, message: str, *, rule: str) -> None:
        super().__init__(message, extra={"rule": rule})
        self.rule = rule


class NeedsConfirmation(ApplicationError):
    """An edit a manager may make on purpose, once they confirm the warning."""

    def __init__(self, warning: str) -> None:
        super().__init__(warning, extra={"warning": warning})
        self.warning = warning


def rule_label(rule: str, program: Program | None = None) -> str:
    """A hard rule in the manager's words."""
    gap = program.min_level_gap if program else 1
    direction = "junior" if program is None or program.format == Format.REVERSE else "senior"
    labels = {
        Rule.NO_MENTORS: "no mentors in the program",
        Rule.LANGUAGE: "the shared-language rule (they have no language in common)",
        Rule.LEVEL: (
            f"the level rule (the mentor must be at least {gap} level{'s' if gap != 1 else ''} "
            f"more {direction})"
        ),
        Rule.REPORTING_CHAIN: "the reporting-chain rule (one of them reports to the other)",
        Rule.SAME_TEAM: "the same-team rule (they are on the same team)",
        Rule.SHARED_HOURS: "the shared-hours rule (not enough free hours in common)",
        Rule.EXCLUDED: "a pair exclusion (a manager said they must never be matched)",
        Rule.PREVIOUS_PAIRING: "the no-repeat rule (they have been paired before)",
        Rule.MUST: "a must-have criterion of the matching settings",
        Rule.CAPACITY: "capacity (every eligible mentor is full)",
        RULE_REMOVED: "removed from the draft by a manager",
        RULE_NO_MENTEE: "no mentee placed with this mentor",
    }
    return labels.get(rule, rule.replace("_", " "))


# --- Settings --------------------------------------------------------------------------------


def matching_settings_get_or_create(*, program: Program) -> MatchingSettings:
    found, _ = MatchingSettings.objects.get_or_create(
        program=program, defaults={"organisation_id": program.organisation_id}
    )
    return found


def weights_effective(settings: MatchingSettings) -> dict[str, str]:
    """Every criterion's weight: the stored one, or the engine's default."""
    from twoway.matching.engine import DEFAULT_WEIGHTS

    return {
        c.value: str(settings.weights.get(c.value, DEFAULT_WEIGHTS[c].value)) for c in Criterion
    }


@transaction.atomic
def matching_settings_update(
    *,
    actor: Any,
    program: Program,
    weights: Mapping[str, str],
    min_shared_hours: int,
    load_spreading: bool,
    self_service: bool,
    request_days: int,
) -> MatchingSettings:
    access.require_manager(actor=actor, program=program)
    clean: dict[str, str] = {}
    for criterion, weight in weights.items():
        if criterion not in Criterion.__members__.values():
            raise ApplicationError(
                f"{criterion!r} is not a matching criterion; the criteria are "
                + ", ".join(c.value for c in Criterion)
                + ".",
                extra={"field": "weights"},
            )
        if weight not in Weight.__members__.values():
            raise ApplicationError(
                f"{weight!r} is not a weight (for {criterion}); use one of "
                + ", ".join(w.value for w in Weight)
                + ".",
                extra={"field": "weights"},
            )
        clean[criterion] = weight
    if not 0 <= min_shared_hours <= MAX_SHARED_HOURS:
        raise ApplicationError(
            f"Shared free hours a week must be between 0 and {MAX_SHARED_HOURS}.",
            extra={"field": "min_shared_hours"},
        )
    if not 1 <= request_days <= MAX_REQUEST_DAYS:
        raise ApplicationError(
            f"Days to answer a request must be between 1 and {MAX_REQUEST_DAYS}.",
            extra={"field": "request_days"},
        )
    settings = matching_settings_get_or_create(program=program)
    settings.weights = {**settings.weights, **clean}
    settings.min_shared_hours = min_shared_hours
    settings.load_spreading = load_spreading
    settings.self_service = self_service
    settings.request_days = request_days
    settings.save(
        update_fields=[
            "weights",
            "min_shared_hours",
            "load_spreading",
            "self_service",
            "request_days",
            "updated_at",
        ]
    )
    return settings


# --- Runs ------------------------------------------------------------------------------------


def _require_pairs_format(program: Program) -> None:
    if Format(program.format).is_circle:
        raise ApplicationError(
            "This program forms circles: a dry run or a hand-made change works on pairs only."
        )


def _require_circle_sizes(program: Program) -> tuple[int, int]:
    low, high = program.circle_min_size, program.circle_max_size
    if low is None or high is None or low < 2 or high < low:
        raise ApplicationError(
            "Set the smallest and largest circle size (at least 2, smallest ≤ largest) in the "
            "program's design before matching circles."
        )
    return low, high


def _require_matching(program: Program) -> None:
    if program.status != Program.Status.MATCHING:
        status = Program.Status(program.status).label.lower()
        raise ApplicationError(
            f"Matching runs only while the program is in matching; this one is {status}."
        )


def latest_run(program: Program) -> MatchRun | None:
    return MatchRun.objects.filter(program=program).order_by("-created_at", "-id").first()


@transaction.atomic
def match_run_start(*, actor: Any, program: Program) -> MatchRun:
    """Queue a run over the program's approved applications, keeping the locked proposals of
    the latest unpublished run."""
    from twoway.matching.tasks import run_match

    program = Program.objects.select_for_update().get(pk=program.pk)
    access.require_manager(actor=actor, program=program)
    run = _run_create(program=program, actor=actor)
    transaction.on_commit(lambda: run_match.enqueue(run.pk))
    return run


@transaction.atomic
def match_run_create_unattended(*, program: Program) -> MatchRun:
    """A queued run for the operator's command line, which then executes it itself; the same
    rules as ``match_run_start`` except the actor."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    return _run_create(program=program, actor=None)


def match_run_check(*, program: Program) -> None:
    """Refuse, saying why, a program that cannot be matched now."""
    _require_matching(program)
    if Format(program.format).is_circle:
        _require_circle_sizes(program)


def _run_create(*, program: Program, actor: Any) -> MatchRun:
    match_run_check(program=program)
    previous = latest_run(program)
    if previous is not None and previous.status in BUSY:
        raise ApplicationError("A matching run of this program is already under way.")
    run = MatchRun.objects.create(
        organisation_id=program.organisation_id,
        program=program,
        kind=MatchRun.Kind.CIRCLES if Format(program.format).is_circle else MatchRun.Kind.PAIRS,
        created_by=actor,
        step="queued",
    )
    if (
        run.kind == MatchRun.Kind.PAIRS
        and previous
        and previous.status != MatchRun.Status.PUBLISHED
    ):
        _copy_locked(previous, run)
    return run


def _copy_locked(source: MatchRun, target: MatchRun) -> None:
    kept = list(source.proposals.filter(locked=True).prefetch_related("members").order_by("id"))
    copies = Proposal.objects.bulk_create(
        Proposal(
            organisation_id=target.organisation_id,
            run=target,
            program_id=target.program_id,
            score=p.score,
            breakdown=p.breakdown,
            reason=p.reason,
            locked=True,
            manual=p.manual,
            warning=p.warning,
        )
        for p in kept
    )
    ProposalMember.objects.bulk_create(
        ProposalMember(
            organisation_id=target.organisation_id,
            proposal=copy,
            application_id=member.application_id,
            role=member.role,
        )
        for original, copy in zip(kept, copies, strict=True)
        for member in original.members.all()
    )


def _locked_pairs(run: MatchRun) -> tuple[list[tuple[int, int]], dict[tuple[int, int], Proposal]]:
    """(mentee application id, mentor application id) of the run's locked pairs."""
    pairs: list[tuple[int, int]] = []
    by_pair: dict[tuple[int, int], Proposal] = {}
    for proposal in run.proposals.filter(locked=True).prefetch_related("members"):
        roles = {m.role: m.application_id for m in proposal.members.all()}
        if ProposalMember.Role.MENTEE in roles and ProposalMember.Role.MENTOR in roles:
            pair = (roles[ProposalMember.Role.MENTEE], roles[ProposalMember.Role.MENTOR])
            pairs.append(pair)
            by_pair[pair] = proposal
    return pairs, by_pair


@dataclass
class Preview:
    """A run's result before it is stored (and all the CLI's dry run keeps)."""

    built: ProgramProblem
    result: MatchResult


def match_preview(
    *,
    program: Program,
    locked: Sequence[tuple[int, int]] = (),
    progress: Any = None,
) -> Preview:
    """Run the engine over the program now, storing nothing (pairs)."""
    _require_pairs_format(program)
    built = program_problem(program=program, locked=locked)
    if progress is None:
        return Preview(built=built, result=match(built.problem))
    return Preview(built=built, result=match(built.problem, progress=progress))


def match_run_execute(*, run: MatchRun) -> MatchRun:
    """Run the engine for a queued run and store its proposals (called by the worker)."""
    run = MatchRun.objects.select_related("program", "program__organisation").get(pk=run.pk)
    if run.status != MatchRun.Status.QUEUED:
        return run
    now = timezone.now()
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.RUNNING, step="prepare", progress=0.0, started_at=now
    )
    last = [0.0]

    def progress(step: str, share: float) -> None:
        # Outside any transaction and throttled: the polling page sees it move.
        clock = time.monotonic()
        if clock - last[0] >= PROGRESS_EVERY_SECONDS or share >= 1.0:
            last[0] = clock
            MatchRun.objects.filter(pk=run.pk).update(step=step, progress=min(share, 0.99))

    try:
        if run.kind == MatchRun.Kind.CIRCLES:
            _circles_execute(run, progress)
        else:
            locked, by_pair = _locked_pairs(run)
            preview = match_preview(program=run.program, locked=locked, progress=progress)
            with transaction.atomic():
                _store(run, preview, by_pair)
    except ApplicationError as error:
        return _fail(run, error.message)
    except Exception:
        # Never leave the page polling a run that died: say so, keep the details in the log.
        logger.exception("Matching run %s failed", run.pk)
        return _fail(run, "The run stopped on an unexpected error; nothing was stored.")
    run.refresh_from_db()
    return run


def _fail(run: MatchRun, message: str) -> MatchRun:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.FAILED, step="failed", error=message, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def _store(run: MatchRun, preview: Preview, by_pair: dict[tuple[int, int], Proposal]) -> None:
    built, result = preview.built, preview.result
    org_id = run.organisation_id
    run.proposals.all().delete()
    run.unmatched_entries.all().delete()
    pairs: list[tuple[Application, Application]] = []
    drafts: list[Proposal] = []
    for k in range(result.matched):
        mentee = built.mentees[int(result.mentee[k])]
        mentor = built.mentors[int(result.mentor[k])]
        kept = by_pair.get((mentee.pk, mentor.pk))
        pairs.append((mentee, mentor))
        drafts.append(
            Proposal(
                organisation_id=org_id,
                run=run,
                program_id=run.program_id,
                score=float(result.score[k]),
                breakdown={c.value: round(float(v[k]), 4) for c, v in result.breakdown.items()},
                reason=result.reasons[k],
                locked=bool(result.locked[k]),
                manual=kept.manual if kept else False,
                warning=kept.warning if kept else "",
            )
        )
    proposals = Proposal.objects.bulk_create(drafts)
    ProposalMember.objects.bulk_create(
        ProposalMember(organisation_id=org_id, proposal=proposal, application=app, role=role)
        for (mentee, mentor), proposal in zip(pairs, proposals, strict=True)
        for app, role in (
            (mentor, ProposalMember.Role.MENTOR),
            (mentee, ProposalMember.Role.MENTEE),
        )
    )
    entries = [
        UnmatchedEntry(
            organisation_id=org_id,
            run=run,
            application=built.mentees[int(e)],
            rule=str(rule),
            reason=reason,
        )
        for e, rule, reason in zip(
            result.unmatched.tolist(), result.unmatched_rule, result.unmatched_reasons, strict=True
        )
    ]
    placed_mentors = set(result.mentor.tolist())
    capacity = built.problem.mentors.capacity
    entries += [
        UnmatchedEntry(
            organisation_id=org_id,
            run=run,
            application=application,
            rule=RULE_NO_MENTEE,
            reason=f"no mentee was placed with {application.person.full_name}",
        )
        for j, application in enumerate(built.mentors)
        if j not in placed_mentors and capacity[j] > 0
    ]
    UnmatchedEntry.objects.bulk_create(entries)
    run.status = MatchRun.Status.DONE
    run.step = "done"
    run.progress = 1.0
    run.finished_at = timezone.now()
    run.error = ""
    run.matched = result.matched
    run.unmatched = len(result.unmatched)
    run.total_score, run.upper_bound = shown_totals(result)
    run.participation_proven = result.participation_proven
    run.seconds = {step: round(s, 4) for step, s in result.seconds.items()}
    run.save(
        update_fields=[
            "status",
            "step",
            "progress",
            "finished_at",
            "error",
            "matched",
            "unmatched",
            "total_score",
            "upper_bound",
            "participation_proven",
            "seconds",
            "updated_at",
        ]
    )


def shown_totals(result: MatchResult) -> tuple[float, float]:
    """The run's total score and bound as shown to people.

    The engine's totals count consented diversity answers; the pairs' scores do not. The shown
    total is the sum of the pairs' scores and the bound keeps only the distance the engine
    proved, so no difference between figures on a page recovers the answers (rule 4).
    """
    shown = float(result.score.sum())
    return shown, shown + max(result.upper_bound - result.total_score, 0.0)


def _circles_execute(run: MatchRun, progress: Any) -> None:
    """Circles: ``form_circles`` over the program's problem; one proposal per circle."""
    from twoway.matching.engine.circles import form_circles

    low, high = _require_circle_sizes(run.program)
    built = program_problem(program=run.program)
    result = form_circles(built.problem, min_size=low, max_size=high, progress=progress)
    org_id = run.organisation_id
    with transaction.atomic():
        run.proposals.all().delete()
        run.unmatched_entries.all().delete()
        proposals = Proposal.objects.bulk_create(
            Proposal(
                organisation_id=org_id,
                run=run,
                program_id=run.program_id,
                score=float(circle.score),
                breakdown={
                    "cohesion": round(float(circle.cohesion), 4),
                    "diversity": round(float(circle.diversity), 4),
                },
                reason=circle.reason,
            )
            for circle in result.circles
        )
        ProposalMember.objects.bulk_create(
            ProposalMember(organisation_id=org_id, proposal=proposal, application=app, role=role)
            for circle, proposal in zip(result.circles, proposals, strict=True)
            for app, role in [
                *((built.mentors[int(j)], ProposalMember.Role.MENTOR) for j in circle.mentors),
                *((built.mentees[int(i)], ProposalMember.Role.MENTEE) for i in circle.mentees),
            ]
        )
        entries = [
            UnmatchedEntry(
                organisation_id=org_id,
                run=run,
                application=built.mentees[int(e)],
                rule=str(rule),
                reason=reason,
            )
            for e, rule, reason in zip(
                result.unplaced.tolist(),
                result.unplaced_rule,
                result.unplaced_reasons,
                strict=True,
            )
        ]
        entries += [
            UnmatchedEntry(
                organisation_id=org_id,
                run=run,
                application=built.mentors[int(j)],
                rule=RULE_NO_MENTEE,
                reason=f"{built.mentors[int(j)].person.full_name} leads no circle",
            )
            for j in result.unused_mentors.tolist()
        ]
        UnmatchedEntry.objects.bulk_create(entries)
        placed = sum(len(c.mentees) for c in result.circles)
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.DONE,
            step="done",
            progress=1.0,
            finished_at=timezone.now(),
            error="",
            matched=placed,
            unmatched=len(result.unplaced),
            total_score=result.total_score,
            upper_bound=0.0,  # form_circles proves no bound
            participation_proven=False,
            seconds={step: round(sec, 4) for step, sec in result.seconds.items()},
            updated_at=timezone.now(),
        )


# --- Editing the draft -----------------------------------------------------------------------


def _require_editable(run: MatchRun) -> None:
    if run.status == MatchRun.Status.PUBLISHED:
        raise ApplicationError("This run is published; its proposals can no longer change.")
    if run.status != MatchRun.Status.DONE:
        raise ApplicationError("Only a finished run's proposals can be changed.")
    newest = latest_run(run.program)
    if newest is not None and newest.pk != run.pk:
        raise ApplicationError(
            "A newer run of this program exists; change the proposals of the latest run."
        )


def _locked_run(run: MatchRun, actor: Any) -> MatchRun:
    """The run row locked for the edit, after the actor and the run's state are checked."""
    locked = MatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    access.require_manager(actor=actor, program=locked.program)
    _require_editable(locked)
    return locked


def _require_pairs_run(run: MatchRun) -> None:
    if run.kind != MatchRun.Kind.PAIRS:
        raise ApplicationError(
            "Circles can be removed or published; locking, swapping and adding by hand work "
            "on pairs only."
        )


def _pair_of(proposal: Proposal) -> tuple[Application, Application]:
    """(mentee, mentor) applications of a pair proposal."""
    members = {
        m.role: m.application for m in proposal.members.select_related("application__person")
    }
    if set(members) != {ProposalMember.Role.MENTOR, ProposalMember.Role.MENTEE}:
        raise ApplicationError("Only pairs can be swapped.")
    return members[ProposalMember.Role.MENTEE], members[ProposalMember.Role.MENTOR]


@dataclass
class PairCheck:
    """What the engine says of one pair: its score, breakdown, reason, and a broken rule."""

    score: float
    breakdown: dict[str, float]
    reason: str
    rule: str | None
    shared_hours: int


def pair_check(built: ProgramProblem, f: Features, mentee: int, mentor: int) -> PairCheck:
    e, m = np.array([mentee], dtype=np.int64), np.array([mentor], dtype=np.int64)
    criteria, hours = pair_criteria(f, e, m)
    score = float(pair_total(f, criteria)[0])
    values = {c: float(v[0]) for c, v in criteria.items()}
    reason = pair_reason(f, mentee, mentor, values, int(hours[0]))
    return PairCheck(
        score=score,
        breakdown={c.value: round(v, 4) for c, v in values.items()},
        reason=reason,
        rule=broken_rule(f, mentee, mentor),
        shared_hours=int(hours[0]),
    )


def broken_rule(f: Features, mentee: int, mentor: int) -> str | None:
    """The first hard rule the pair breaks, in the order the engine explains them, or None."""
    rows = np.array([mentee], dtype=np.int64)
    criteria, hours = block_criteria(f, rows)
    for rule, mask in block_rules(f, rows, criteria, hours):
        if not bool(mask[0, mentor]):
            return str(rule)
    return None


def _refuse_rule(rule: str, program: Program, mentee: Application, mentor: Application) -> None:
    raise RuleBroken(
        f"{mentor.person.full_name} and {mentee.person.full_name} cannot be paired: it breaks "
        f"{rule_label(rule, program)}.",
        rule=rule,
    )


def _apply_check(proposal: Proposal, check: PairCheck) -> None:
    proposal.score = check.score
    proposal.breakdown = check.breakdown
    proposal.reason = check.reason
    proposal.save(update_fields=["score", "breakdown", "reason", "updated_at"])


@transaction.atomic
def proposal_lock(*, actor: Any, proposal: Proposal, locked: bool) -> Proposal:
    """Keep (or release) a proposal when the program is matched again."""
    _require_pairs_run(_locked_run(proposal.run, actor))
    proposal.locked = locked
    proposal.save(update_fields=["locked", "updated_at"])
    return proposal


@transaction.atomic
def proposal_remove(*, actor: Any, proposal: Proposal) -> None:
    """Take a proposal out of the draft; its people are listed as unplaced."""
    run = _locked_run(proposal.run, actor)
    members = list(proposal.members.select_related("application__person"))
    proposal.delete()
    still_placed = set(
        ProposalMember.objects.filter(
            proposal__run=run, application__in=[m.application for m in members]
        ).values_list("application_id", flat=True)
    )
    UnmatchedEntry.objects.bulk_create(
        UnmatchedEntry(
            organisation_id=run.organisation_id,
            run=run,
            application=m.application,
            rule=RULE_REMOVED,
            reason=f"{m.application.person.full_name}'s proposal was removed by a manager",
        )
        for m in members
        if m.application_id not in still_placed
    )


@transaction.atomic
def proposal_swap(*, actor: Any, first: Proposal, second: Proposal) -> tuple[Proposal, Proposal]:
    """Exchange the mentors of two pairs of the same run; refused if a new pair breaks a rule."""
    run = _locked_run(first.run, actor)
    _require_pairs_run(run)
    if second.run_id != run.pk:
        raise ApplicationError("Both proposals must belong to the same run.")
    if first.pk == second.pk:
        raise ApplicationError("Choose two different proposals to swap.")
    mentee_1, mentor_1 = _pair_of(first)
    mentee_2, mentor_2 = _pair_of(second)
    built = program_problem(program=run.program)
    f = prepare(built.problem)
    mentee_at, mentor_at = built.mentee_index(), built.mentor_index()
    checks = []
    for mentee, mentor in ((mentee_1, mentor_2), (mentee_2, mentor_1)):
        if mentee.pk not in mentee_at or mentor.pk not in mentor_at:
            raise ApplicationError(
                f"{mentor.person.full_name} and {mentee.person.full_name} cannot be paired: "
                "one of them is no longer an approved participant on that side."
            )
        check = pair_check(built, f, mentee_at[mentee.pk], mentor_at[mentor.pk])
        if check.rule is not None:
            _refuse_rule(check.rule, run.program, mentee, mentor)
        checks.append(check)
    ProposalMember.objects.filter(proposal=first, role=ProposalMember.Role.MENTOR).update(
        application=mentor_2
    )
    ProposalMember.objects.filter(proposal=second, role=ProposalMember.Role.MENTOR).update(
        application=mentor_1
    )
    _apply_check(first, checks[0])
    _apply_check(second, checks[1])
    return first, second


@transaction.atomic
def proposal_add(
    *,
    actor: Any,
    run: MatchRun,
    mentor: Application,
    mentee: Application,
    confirm_warning: bool = False,
) -> Proposal:
    """Add a pair by hand (locked, so a re-run keeps it). A broken hard rule refuses it; a full
    mentor or a person already placed needs ``confirm_warning``."""
    run = _locked_run(run, actor)
    _require_pairs_run(run)
    program = run.program
    for application, role in ((mentor, Role.MENTOR), (mentee, Role.MENTEE)):
        if application.program_id != program.pk or application.status != "approved":
            raise ApplicationError(
                f"{application.person.full_name} is not an approved participant of this program."
            )
        if application.role not in (role, Role.EITHER):
            other = Role(application.role).label.lower()
            raise ApplicationError(f"{application.person.full_name} applied as a {other}.")
    if mentor.pk == mentee.pk:
        raise ApplicationError("A person cannot mentor themselves.")
    built = program_problem(program=program, locked=[(mentee.pk, mentor.pk)])
    e, m = built.mentee_index()[mentee.pk], built.mentor_index()[mentor.pk]
    check = pair_check(built, prepare(built.problem), e, m)
    if check.rule is not None:
        _refuse_rule(check.rule, program, mentee, mentor)
    warnings = _add_warnings(run, built, m, mentor, mentee)
    warning = " ".join(warnings)
    if warnings and not confirm_warning:
        raise NeedsConfirmation(warning)
    proposal = Proposal.objects.create(
        organisation_id=run.organisation_id,
        run=run,
        program=program,
        score=check.score,
        breakdown=check.breakdown,
        reason=check.reason,
        locked=True,
        manual=True,
        warning=warning,
    )
    ProposalMember.objects.bulk_create(
        ProposalMember(
            organisation_id=run.organisation_id, proposal=proposal, application=a, role=r
        )
        for a, r in ((mentor, ProposalMember.Role.MENTOR), (mentee, ProposalMember.Role.MENTEE))
    )
    UnmatchedEntry.objects.filter(run=run, application__in=[mentor, mentee]).delete()
    return proposal


def _add_warnings(
    run: MatchRun, built: ProgramProblem, m: int, mentor: Application, mentee: Application
) -> list[str]:
    warnings = []
    capacity = int(built.problem.mentors.capacity[m])
    placed = ProposalMember.objects.filter(
        proposal__run=run, application=mentor, role=ProposalMember.Role.MENTOR
    ).count()
    if placed >= capacity:
        warnings.append(
            f"{mentor.person.full_name} is already at capacity "
            f"({placed} mentee{'s' if placed != 1 else ''} in this draft, "
            f"{capacity} place{'s' if capacity != 1 else ''} left in the program)."
        )
    for application in (mentee, mentor):
        roles = set(
            ProposalMember.objects.filter(proposal__run=run, application=application).values_list(
                "role", flat=True
            )
        )
        if application is mentor:
            roles.discard(ProposalMember.Role.MENTOR)
        if roles:
            warnings.append(f"{application.person.full_name} is already placed in this draft.")
    return warnings


# --- Publishing ------------------------------------------------------------------------------


@transaction.atomic
def match_run_publish(*, actor: Any, run: MatchRun, base_url: str = "") -> MatchRun:
    """Turn the latest finished run's proposals into mentorships, tell each member, and start
    the program when it is ready to run. Publishing twice is refused."""
    from twoway.matching.tasks import send_match_published_emails

    run = MatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    access.require_manager(actor=actor, program=run.program)
    if run.status == MatchRun.Status.PUBLISHED:
        raise ApplicationError("This run is already published.")
    _require_editable(run)
    proposals = list(run.proposals.prefetch_related("members__application__person").order_by("id"))
    if not proposals:
        raise ApplicationError("This run has no proposals to publish.")
    gone = {
        m.application.person.full_name
        for p in proposals
        for m in p.members.all()
        if m.application.status != Application.Status.APPROVED
    }
    if gone:
        raise ApplicationError(
            "Some proposals include people who are no longer approved participants ("
            + ", ".join(sorted(gone))
            + "); remove those proposals first."
        )
    kind = Mentorship.Kind.CIRCLE if run.kind == MatchRun.Kind.CIRCLES else Mentorship.Kind.PAIR
    created = []
    for proposal in proposals:
        mentorship = mentorship_create(
            program=run.program,
            kind=kind,
            origin=Mentorship.Origin.MATCHING,
            members=[
                (m.application.person, m.application.user, m.role) for m in proposal.members.all()
            ],
            score=proposal.score,
            reason=proposal.reason,
        )
        created.append(mentorship.pk)
    run.status = MatchRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    start = lifecycle.TRANSITIONS_BY_NAME["start"]
    if not lifecycle.problems_for(start, run.program):
        lifecycle.program_start(actor=actor, program=run.program)
    transaction.on_commit(lambda: send_match_published_emails.enqueue(created, base_url))
    return run
