"""``match``: the whole run — scan and price (column generation), assign, prove, explain."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from twoway.matching.engine.assign import assign, bound_at, mentor_prices
from twoway.matching.engine.candidates import Candidates, scan
from twoway.matching.engine.explain import pair_reason, unmatched_reasons
from twoway.matching.engine.model import Criterion, MatchResult, Problem
from twoway.matching.engine.scoring import pair_criteria, pair_total, prepare

TIE_BREAK = 1e-7  # far below any score difference that means something
GAP_TARGET = 1e-4  # stop pricing once the score is this close to the bound
PRICING_ROUNDS = 5  # full scans at most for the score; each proves a bound
COVER_ROUNDS = 6  # scans at most to prove participation maximum


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

    # Column generation. Each round scans every mentee against every mentor at the current
    # mentor prices (the first at price 0), keeps each mentee's best k by score minus price and
    # learns the best priced score it left out, which makes the round's bound valid for the
    # full feasible graph. The new edges join the pool, the assignment is solved again and the
    # prices are recomputed from it. Once no left-out edge can improve the pool's optimum, the
    # bound meets the score.
    price = np.zeros(m)
    cand = _empty_candidates()
    eligible = np.zeros(n, dtype=np.int64)
    bound_free = np.inf
    rounds = 0
    while True:
        rounds += 1
        found = scan(f, free, k, price=price)
        eligible[free] = found.eligible
        left_out = np.full(n, -np.inf)
        left_out[free] = found.best_left_out
        cand = _merge(cand, found)
        bound, _ = bound_at(cand.mentee, cand.mentor, cand.score, left_out, capacity, price)
        bound_free = min(bound_free, bound)
        pe, pm = solve(cand)
        achieved_free = _score_of(cand, pe, pm, m)
        progress("optimise", min(0.75, 0.05 + 0.2 * rounds))
        gap = (bound_free - achieved_free) / bound_free if bound_free > 0 else 0.0
        if gap <= GAP_TARGET or rounds >= PRICING_ROUNDS:
            break
        price = mentor_prices(cand.mentee, cand.mentor, cand.score, capacity, pe, pm)
    seconds["optimise"] = time.perf_counter() - clock

    # Participation (König). The mentees an alternating path from an unmatched one reaches (Z)
    # and their mentors give a vertex cover of the pool's graph as large as the matching. It
    # covers the full feasible graph too unless a mentee in Z has an eligible mentor outside Z's
    # mentors; a scan of Z against only the mentors outside (the others cannot escape the
    # cover) finds exactly those edges. None: proven maximum. Some: they join the pool, which
    # is solved again.
    clock = time.perf_counter()
    progress("participation", 0.8)
    participation_proven = False
    for _ in range(COVER_ROUNDS):
        reached, reached_mentors = _alternating_reach(
            cand, pe, pm, ~is_locked & (eligible > 0), n, m
        )
        rows = np.flatnonzero(reached)
        others = np.flatnonzero(~reached_mentors & (capacity > 0))
        escape = (
            scan(f, rows, len(others), cols=others)
            if len(rows) and len(others)
            else _empty_candidates()
        )
        if len(escape.mentee) == 0:
            participation_proven = True
            break
        cand = _merge(cand, escape)
        pe, pm = solve(cand)
        achieved_free = _score_of(cand, pe, pm, m)
    seconds["participation"] = time.perf_counter() - clock

    clock = time.perf_counter()
    progress("explain", 0.9)
    mentee = np.concatenate([locked[:, 0], pe])
    mentor = np.concatenate([locked[:, 1], pm])
    order = np.argsort(mentee, kind="stable")
    mentee, mentor = mentee[order], mentor[order]
    was_locked = np.concatenate([np.ones(len(locked), bool), np.zeros(len(pe), bool)])[order]
    criteria, hours = pair_criteria(f, mentee, mentor, shown_only=True)
    score = pair_total(f, criteria)
    used, _ = pair_criteria(f, mentee, mentor)
    used_total = pair_total(f, used)  # what the optimiser counted
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
    locked_score = float(used_total[was_locked].sum())
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
        total_score=float(used_total.sum()),
        upper_bound=max(bound_free + locked_score, float(used_total.sum())),
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
    n: int,
    m: int,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Mentees an alternating path from an unmatched eligible mentee reaches, and their
    mentors (breadth first over the pool's edges, one vectorised step per level)."""
    matched = np.zeros(n, dtype=bool)
    matched[pe] = True
    visited = eligible & ~matched
    frontier = visited.copy()
    seen = np.zeros(m, dtype=bool)
    while frontier.any():
        mentors = np.unique(cand.mentor[frontier[cand.mentee]])
        mentors = mentors[~seen[mentors]]
        if len(mentors) == 0:
            break
        seen[mentors] = True
        holders = pe[np.isin(pm, mentors)]
        holders = holders[~visited[holders]]
        visited[holders] = True
        frontier = np.zeros(n, dtype=bool)
        frontier[holders] = True
    return visited, seen


def _empty_candidates() -> Candidates:
    empty = np.empty(0, dtype=np.int64)
    return Candidates(empty, empty, np.empty(0), empty, np.empty(0))


def _merge(pool: Candidates, found: Candidates) -> Candidates:
    """The union of two edge sets, sorted by mentee then mentor, without duplicates."""
    mentee = np.concatenate([pool.mentee, found.mentee])
    mentor = np.concatenate([pool.mentor, found.mentor])
    score = np.concatenate([pool.score, found.score])
    order = np.lexsort((mentor, mentee))
    mentee, mentor, score = mentee[order], mentor[order], score[order]
    fresh = np.ones(len(mentee), dtype=bool)
    fresh[1:] = (mentee[1:] != mentee[:-1]) | (mentor[1:] != mentor[:-1])
    return Candidates(
        mentee[fresh], mentor[fresh], score[fresh], found.eligible, found.best_left_out
    )


def _score_of(
    cand: Candidates, pe: npt.NDArray[np.int64], pm: npt.NDArray[np.int64], m: int
) -> float:
    if len(pe) == 0:
        return 0.0
    key = cand.mentee * max(m, 1) + cand.mentor
    return float(cand.score[np.searchsorted(key, pe * max(m, 1) + pm)].sum())


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
    criteria, hours = pair_criteria(f, e, mentors, shown_only=True)
    totals = pair_total(f, criteria)
    # The scan ranks in float32; the shown totals are exact, so order by what is shown (two
    # near-equal mentors could otherwise appear out of order by a rounding error).
    shown = np.lexsort((tie[mentors], -totals))
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
        for i in shown
    ]
