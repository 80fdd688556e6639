"""``match``: the whole run — scan, assign, repair, bound, explain."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from twoway.matching.engine.assign import assign, upper_bound
from twoway.matching.engine.candidates import Candidates, scan
from twoway.matching.engine.explain import pair_reason, unmatched_reasons
from twoway.matching.engine.model import Criterion, MatchResult, Problem
from twoway.matching.engine.scoring import pair_criteria, pair_total, prepare

TIE_BREAK = 1e-7  # far below any score difference that means something
REPAIR_EDGE_BUDGET = 2_000_000  # edges the participation repair may add (and at most
# as many as the scan kept): past it the run stops with participation not proven


Progress = Callable[[str, float], None]


def _quiet(step: str, share: float) -> None:
    return None


def match(problem: Problem, *, progress: Progress = _quiet) -> MatchResult:
    """Propose pairs for ``problem``: most mentees matched first, then the best total score.

    ``progress(step, share)`` is called as the run goes (``share`` from 0 to 1), for a progress
    bar; it must be cheap.
    """
    seconds: dict[str, float] = {}
    progress("prepare", 0.0)
    clock = time.perf_counter()
    f = prepare(problem)
    n, m = len(problem.mentees), len(problem.mentors)
    rules = problem.rules
    locked = np.asarray(problem.locked, dtype=np.int64).reshape(-1, 2)
    capacity = np.asarray(problem.mentors.capacity, dtype=np.int64).copy()
    capacity -= np.bincount(locked[:, 1], minlength=m)
    capacity = np.maximum(capacity, 0)
    is_locked = np.zeros(n, dtype=bool)
    is_locked[locked[:, 0]] = True
    free = np.flatnonzero(~is_locked)
    k = max(1, rules.candidates_per_mentee)
    seconds["prepare"] = time.perf_counter() - clock

    clock = time.perf_counter()
    progress("candidates", 0.05)
    cand = scan(f, free, k)
    eligible = np.zeros(n, dtype=np.int64)
    eligible[free] = cand.eligible
    left_out = np.full(n, -np.inf)
    left_out[free] = cand.best_left_out
    seconds["candidates"] = time.perf_counter() - clock

    clock = time.perf_counter()
    progress("assign", 0.6)
    tie = np.random.default_rng(rules.seed).random(m) * TIE_BREAK

    def solve(c: Candidates) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        return assign(
            c.mentee,
            c.mentor,
            c.score,
            capacity,
            load_spreading=rules.load_spreading,
            tie_break=tie,
        )

    pe, pm = solve(cand)
    # A mentee left unmatched may still be matchable through an eligible mentor beyond some
    # mentee's top k. Every mentee reachable from an unmatched one by an alternating path (its
    # mentors, the mentees holding them, their mentors...) gets all its eligible edges, and the
    # assignment is solved again. Once every reachable mentee has all its edges, no augmenting
    # path exists in the full graph either, so participation is proven maximum (Berge).
    participation_proven = False
    added = 0
    while True:
        complete = ~np.isfinite(left_out)
        need = _alternating_reach(cand, pe, pm, ~is_locked & (eligible > 0), complete, n, m)
        missing = np.flatnonzero(need)
        if len(missing) == 0:
            participation_proven = True
            break
        budget = min(REPAIR_EDGE_BUDGET, max(len(cand.mentee), 100_000))
        if added + int(eligible[missing].sum()) > budget:
            break
        extra = scan(f, missing, m)
        added += len(extra.mentee)
        left_out[missing] = -np.inf
        keep = ~np.isin(cand.mentee, missing)
        mentee = np.concatenate([cand.mentee[keep], extra.mentee])
        mentor = np.concatenate([cand.mentor[keep], extra.mentor])
        score = np.concatenate([cand.score[keep], extra.score])
        order = np.lexsort((mentor, mentee))
        cand = Candidates(mentee[order], mentor[order], score[order], cand.eligible, left_out)
        pe, pm = solve(cand)
    seconds["assign"] = time.perf_counter() - clock

    clock = time.perf_counter()
    progress("bound", 0.85)
    edge_key = cand.mentee * max(m, 1) + cand.mentor
    chosen = np.searchsorted(edge_key, pe * max(m, 1) + pm)
    achieved_free = float(cand.score[chosen].sum()) if len(pe) else 0.0
    bound_free = upper_bound(
        cand.mentee, cand.mentor, cand.score, left_out, capacity, achieved_free
    )
    seconds["bound"] = time.perf_counter() - clock

    clock = time.perf_counter()
    progress("explain", 0.9)
    mentee = np.concatenate([locked[:, 0], pe])
    mentor = np.concatenate([locked[:, 1], pm])
    order = np.argsort(mentee, kind="stable")
    mentee, mentor = mentee[order], mentor[order]
    was_locked = np.concatenate([np.ones(len(locked), bool), np.zeros(len(pe), bool)])[order]
    criteria, hours = pair_criteria(f, mentee, mentor)
    score = pair_total(f, criteria)
    reasons = [
        pair_reason(
            f,
            int(mentee[i]),
            int(mentor[i]),
            {c: float(v[i]) for c, v in criteria.items()},
            int(hours[i]),
        )
        for i in range(len(mentee))
    ]
    matched = np.zeros(n, dtype=bool)
    matched[mentee] = True
    unmatched = np.flatnonzero(~matched)
    why = unmatched_reasons(f, unmatched)
    seconds["explain"] = time.perf_counter() - clock
    locked_score = float(score[was_locked].sum())
    progress("done", 1.0)
    return MatchResult(
        mentee=mentee,
        mentor=mentor,
        locked=was_locked,
        score=score,
        breakdown={c: criteria[c] for c in Criterion},
        reasons=reasons,
        unmatched=unmatched,
        unmatched_rule=[rule for rule, _ in why],
        unmatched_reasons=[text for _, text in why],
        total_score=float(score.sum()),
        upper_bound=max(bound_free + locked_score, float(score.sum())),
        mentees_with_eligible_mentor=int((eligible > 0).sum() + is_locked.sum()),
        candidate_edges=len(cand.mentee),
        participation_proven=participation_proven,
        seconds=seconds,
    )


def _alternating_reach(
    cand: Candidates,
    pe: npt.NDArray[np.int64],
    pm: npt.NDArray[np.int64],
    eligible: npt.NDArray[np.bool_],
    complete: npt.NDArray[np.bool_],
    n: int,
    m: int,
) -> npt.NDArray[np.bool_]:
    """Mentees without all their edges that an alternating path from an unmatched one reaches."""
    matched = np.zeros(n, dtype=bool)
    matched[pe] = True
    visited = eligible & ~matched
    frontier = visited.copy()
    seen = np.zeros(m, dtype=bool)
    while frontier.any():
        from_frontier = frontier[cand.mentee] & complete[cand.mentee]
        mentors = np.unique(cand.mentor[from_frontier])
        mentors = mentors[~seen[mentors]]
        if len(mentors) == 0:
            break
        seen[mentors] = True
        holders = pe[np.isin(pm, mentors)]
        holders = holders[~visited[holders]]
        visited[holders] = True
        frontier = np.zeros(n, dtype=bool)
        frontier[holders] = True
    return visited & ~complete


def suggest(problem: Problem, mentee: int, *, limit: int = 5) -> list[tuple[int, float, str]]:
    """The best ``limit`` mentors with a free place for one mentee, as (mentor index, score,
    reason), best first: what a participant sees when finding a mentor themselves. The same hard
    rules hold as in ``match``; mentors with no capacity left are skipped."""
    f = prepare(problem)
    has_room = np.asarray(problem.mentors.capacity) > 0
    cand = scan(f, np.array([mentee], dtype=np.int64), len(problem.mentors))
    keep = has_room[cand.mentor]
    mentors, scores = cand.mentor[keep], cand.score[keep]
    tie = np.random.default_rng(problem.rules.seed).random(len(problem.mentors)) * TIE_BREAK
    order = np.lexsort((tie[mentors], -scores))[:limit]
    mentors = mentors[order]
    if len(mentors) == 0:
        return []
    e = np.full(len(mentors), mentee, dtype=np.int64)
    criteria, hours = pair_criteria(f, e, mentors)
    totals = pair_total(f, criteria)
    return [
        (
            int(mentors[i]),
            float(totals[i]),
            pair_reason(
                f,
                mentee,
                int(mentors[i]),
                {c: float(v[i]) for c, v in criteria.items()},
                int(hours[i]),
            ),
        )
        for i in range(len(mentors))
    ]
