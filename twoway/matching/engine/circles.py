"""Group mentoring circles: mentees partitioned into circles, each led by one or more mentors.

A circle's size counts everyone in it, mentors included: with ``min_size=4``, ``max_size=8``
and one mentor per circle, a circle holds 3 to 7 mentees. Every hard rule of 1:1 matching
(what ``pairs_allowed`` checks) holds between every mentor and every mentee of a circle, and a
mentor leads at most one circle.

``form_circles`` runs these steps:

1. **teams** — with one mentor per circle every mentor may lead one; with more, mentors whom
   the same mentees rank among their best are grouped, so a mentee is likely to be eligible
   for all of them.
2. **candidates** — every mentee against every team, chunk by chunk: a mentee may join a team's
   circle only if every pair with its mentors is allowed; the edge is worth the mean pair score
   plus a share for the mentee's topics the team covers together. The best ``k`` per mentee are
   kept and checked again pair by pair.
3. **open** — when there are more teams than circles the mentees could fill, the teams that
   give the most mentees a choice are opened, greedily.
4. **assign** — exact capacitated assignment of mentees to open circles, most mentees first
   (``assign``), with a small load-spreading cost so that circles fill evenly.
5. **repair** — circles below the minimum are dissolved, smallest first; their mentees move
   to circles with room, directly or along an augmenting path (which changes no other
   circle's size).
6. **improve** — a bounded local search of moves and swaps between circles, on the edge values
   plus cohesion (mentees sharing what they want to learn) and diversity (departments and
   generations among the mentees).
7. **explain** — a sentence for each circle and for each mentee left out.

Everything is deterministic for a fixed ``problem.rules.seed``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from twoway.matching.engine.assign import assign
from twoway.matching.engine.candidates import CHUNK_VALUES, scan
from twoway.matching.engine.explain import unmatched_reasons
from twoway.matching.engine.model import BoolArray, FloatArray, IntArray, Problem, Rule
from twoway.matching.engine.scoring import (
    Features,
    block_criteria,
    block_rules,
    pair_criteria,
    pair_total,
    pairs_allowed,
    prepare,
    weighted_total,
)

# The circle objective: per mentee, the mean pair score with the circle's mentors, plus
# COVERAGE_WEIGHT x the share of its topics the mentors can teach together, plus PEER_WEIGHT x
# the share of the circle's other mentees who want its topics (out of the most a circle can
# hold, so that moves and swaps are judged alike); per circle,
# DIVERSITY_WEIGHT for each department and each generation among its mentees.
COVERAGE_WEIGHT = 0.25
PEER_WEIGHT = 0.25
DIVERSITY_WEIGHT = 0.1
LOAD_SPREADING = 0.01  # per extra mentee in a circle, in the assignment: circles fill evenly
OPTIONS_WANTED = 3  # opening teams: each mentee should have this many open circles to choose
SEARCH_ROUNDS = 40
SEARCH_EDGES = 8  # the local search tries each mentee's best few circles
AUGMENT_DEPTH = 30  # longest chain of moves when a dissolved circle's mentee needs a place
TIE_BREAK = 1e-7
EPS = 1e-9
MAX_LISTED = 3

Progress = Callable[[str, float], None]


def _quiet(step: str, share: float) -> None:
    return None


@dataclass
class Circle:
    mentors: IntArray  # mentor indexes
    mentees: IntArray  # mentee indexes
    score: float  # mean pair score over every mentor x mentee pair
    cohesion: float  # in [0, 1]: topics the mentors cover and the mentees share
    diversity: float  # in [0, 1]: departments and generations among the mentees
    reason: str

    @property
    def size(self) -> int:
        return len(self.mentors) + len(self.mentees)


@dataclass
class CircleResult:
    circles: list[Circle]
    unplaced: IntArray  # mentee indexes not in any circle
    unplaced_rule: list[Rule]
    unplaced_reasons: list[str]
    unused_mentors: IntArray
    total_score: float  # sum over placed mentees of their mean pair score with their mentors
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def placed(self) -> int:
        return sum(len(c.mentees) for c in self.circles)

    def circle_of(self, mentees: int) -> IntArray:
        """Circle number (index into ``circles``) per mentee, -1 when unplaced."""
        out = np.full(mentees, -1, dtype=np.int64)
        for number, circle in enumerate(self.circles):
            out[circle.mentees] = number
        return out


@dataclass
class _Edges:
    """Kept (mentee, team) edges sorted by mentee then team, and per-mentee scan facts."""

    mentee: IntArray
    team: IntArray
    score: FloatArray  # mean pair score with the team's mentors
    coverage: FloatArray  # share of the mentee's topics the team's mentors can teach
    eligible_mentors: IntArray  # per mentee
    eligible_teams: IntArray  # per mentee, over all teams, not only the kept edges
    teams: int

    @property
    def value(self) -> FloatArray:
        return self.score + COVERAGE_WEIGHT * self.coverage

    @property
    def key(self) -> IntArray:
        return self.mentee * self.teams + self.team

    def starts(self, n: int) -> IntArray:
        return np.searchsorted(self.mentee, np.arange(n + 1)).astype(np.int64)


def form_circles(
    problem: Problem,
    *,
    min_size: int,
    max_size: int,
    mentors_per_circle: int = 1,
    progress: Progress | None = None,
) -> CircleResult:
    """Partition the mentees into circles of ``min_size`` to ``max_size`` people, mentors
    included, each led by ``mentors_per_circle`` mentors.

    Most mentees placed first, then the best pair scores, cohesion and diversity. ``progress``
    is called as ``progress(step, share)``, ``share`` from 0 to 1; it must be cheap.
    """
    if mentors_per_circle < 1:
        raise ValueError("a circle needs at least one mentor")
    if min_size < mentors_per_circle + 1:
        raise ValueError("the minimum size must leave room for at least one mentee")
    if max_size < min_size:
        raise ValueError("the maximum size is below the minimum")
    report = progress or _quiet
    seconds: dict[str, float] = {}
    lo, hi = min_size - mentors_per_circle, max_size - mentors_per_circle
    n = len(problem.mentees)
    rng = np.random.default_rng(problem.rules.seed)

    report("teams", 0.0)
    clock = time.perf_counter()
    f = prepare(problem)
    teams = _form_teams(f, mentors_per_circle, rng)
    t_count = len(teams)
    seconds["teams"] = time.perf_counter() - clock

    report("candidates", 0.1)
    clock = time.perf_counter()
    edges = _scan_teams(f, teams, max(1, problem.rules.candidates_per_mentee))
    seconds["candidates"] = time.perf_counter() - clock

    report("assign", 0.4)
    clock = time.perf_counter()
    placeable = int((edges.eligible_teams > 0).sum())
    is_open = _open_teams(edges, n, lo, hi, rng)
    capacity = np.where(is_open, hi, 0).astype(np.int64)
    tie = rng.random(t_count) * TIE_BREAK
    pe, pt = assign(
        edges.mentee,
        edges.team,
        edges.value,
        capacity,
        load_spreading=LOAD_SPREADING,
        tie_break=tie,
    )
    circle_of = np.full(n, -1, dtype=np.int64)
    circle_of[pe] = pt
    seconds["assign"] = time.perf_counter() - clock

    report("repair", 0.6)
    clock = time.perf_counter()
    dissolved_from = _repair(edges, circle_of, is_open, lo, hi, tie)
    seconds["repair"] = time.perf_counter() - clock

    report("improve", 0.7)
    clock = time.perf_counter()
    layout = _Layout(f, edges, circle_of, is_open, hi)
    layout.improve(lo, hi)
    seconds["improve"] = time.perf_counter() - clock

    report("explain", 0.9)
    clock = time.perf_counter()
    result = _explain(f, teams, edges, layout, dissolved_from, placeable, min_size, max_size, lo)
    seconds["explain"] = time.perf_counter() - clock
    result.seconds = seconds
    report("done", 1.0)
    return result


# --- Teams and candidates ------------------------------------------------------------------


def _form_teams(f: Features, per_team: int, rng: np.random.Generator) -> IntArray:
    """``(teams, per_team)`` mentor indexes. Mentors are grouped with those whom the same
    mentees rank among their best, so that mentees are eligible for the whole team."""
    m = len(f.problem.mentors)
    if per_team == 1:
        return np.arange(m, dtype=np.int64)[:, None]
    if m < per_team:
        return np.empty((0, per_team), dtype=np.int64)
    n = len(f.problem.mentees)
    k = max(1, 2 * f.problem.rules.candidates_per_mentee)
    cand = scan(f, np.arange(n, dtype=np.int64), k)
    ones = np.ones(len(cand.mentee), dtype=np.float64)
    incidence = sp.csr_matrix((ones, (cand.mentee, cand.mentor)), shape=(n, m))
    together = (incidence.T @ incidence).tocsr()
    together.setdiag(0)
    demand = np.asarray(incidence.sum(axis=0)).ravel()
    jitter = rng.random(m) * TIE_BREAK
    order = np.lexsort((jitter, -demand))
    used = np.zeros(m, dtype=bool)
    out: list[list[int]] = []
    for seed in order.tolist():
        if used[seed]:
            continue
        if (~used).sum() < per_team:
            break
        members = [seed]
        used[seed] = True
        shared = together[seed].toarray().ravel()
        for _ in range(per_team - 1):
            pick = int(np.argmax(np.where(used, -np.inf, shared + jitter)))
            members.append(pick)
            used[pick] = True
            shared = shared + together[pick].toarray().ravel()
        out.append(members)
    return np.asarray(out, dtype=np.int64).reshape(-1, per_team)


def _scan_teams(f: Features, teams: IntArray, k: int) -> _Edges:
    """The best ``k`` teams per mentee among those whose every mentor is allowed with it."""
    p = f.problem
    n, m, t_count = len(p.mentees), len(p.mentors), len(teams)
    eligible_mentors = np.zeros(n, dtype=np.int64)
    eligible_teams = np.zeros(n, dtype=np.int64)
    parts: list[tuple[IntArray, IntArray, FloatArray, FloatArray]] = []
    if m and n and t_count:
        team_skills = f.skills_t[:, teams].max(axis=2)  # topics x teams
        learn_count = np.maximum(f.learn_count, 1.0)
        chunk = max(1, CHUNK_VALUES // max(m, t_count * teams.shape[1]))
        for start in range(0, n, chunk):
            rows = np.arange(start, min(n, start + chunk), dtype=np.int64)
            criteria, hours = block_criteria(f, rows)
            allowed = np.ones((len(rows), m), dtype=bool)
            for _rule, mask in block_rules(f, rows, criteria, hours):
                allowed &= mask
            eligible_mentors[rows] = allowed.sum(axis=1)
            score = weighted_total(f, criteria)
            team_allowed = allowed[:, teams].all(axis=2)
            team_score = score[:, teams].mean(axis=2)
            learn = p.mentees.learn[rows].toarray().astype(np.float32)
            coverage = (learn @ team_skills) / learn_count[rows][:, None]
            value = team_score + np.float32(COVERAGE_WEIGHT) * coverage
            value[~team_allowed] = -np.inf
            eligible_teams[rows] = team_allowed.sum(axis=1)
            if k >= t_count:
                r, c = np.nonzero(team_allowed)
            else:
                top = np.argpartition(-value, k, axis=1)[:, :k]
                keep = np.isfinite(np.take_along_axis(value, top, axis=1))
                r = np.nonzero(keep)[0]
                c = top[keep]
            parts.append(
                (
                    rows[r],
                    c.astype(np.int64),
                    team_score[r, c].astype(np.float64),
                    coverage[r, c].astype(np.float64),
                )
            )
    if parts:
        mentee, team, score_all, coverage_all = (
            np.concatenate(x) for x in zip(*parts, strict=True)
        )
    else:
        mentee = team = np.empty(0, dtype=np.int64)
        score_all = coverage_all = np.empty(0)
    # Check again pair by pair, in the same arithmetic as ``pairs_allowed``, so that a
    # borderline float32 value cannot let a pair through that the pair check refuses.
    per = teams.shape[1]
    keep = np.zeros(len(mentee), dtype=bool)
    if len(mentee):
        ok = pairs_allowed(f, np.repeat(mentee, per), teams[team].ravel()).reshape(-1, per)
        keep = ok.all(axis=1)
    mentee, team = mentee[keep], team[keep]
    score_all, coverage_all = score_all[keep], coverage_all[keep]
    order = np.lexsort((team, mentee))
    return _Edges(
        mentee=mentee[order],
        team=team[order],
        score=score_all[order],
        coverage=coverage_all[order],
        eligible_mentors=eligible_mentors,
        eligible_teams=eligible_teams,
        teams=t_count,
    )


def _open_teams(edges: _Edges, n: int, lo: int, hi: int, rng: np.random.Generator) -> BoolArray:
    """Which teams lead a circle. All of them when the mentees can fill them; otherwise,
    greedily, the team that most helps mentees with fewer than ``OPTIONS_WANTED`` open
    circles to choose from (each counts less the more options it already has)."""
    t_count = edges.teams
    has = np.zeros(t_count, dtype=bool)
    has[edges.team] = True
    reachable = len(np.unique(edges.mentee))
    target = (lo + hi + 1) // 2
    wanted = max(math.ceil(reachable / hi), reachable // target) if reachable else 0
    if wanted >= has.sum():
        return has
    by_team = np.argsort(edges.team, kind="stable")
    team_starts = np.searchsorted(edges.team[by_team], np.arange(t_count + 1))
    starts = edges.starts(n)
    cover = np.zeros(n, dtype=np.int64)
    gain = np.bincount(edges.team, minlength=t_count).astype(np.float64)
    # Between equal gains prefer the team its mentees value most, then a seeded order.
    value_sum = np.bincount(edges.team, weights=edges.value, minlength=t_count)
    priority = 1e-3 * value_sum / max(1.0, float(value_sum.max(initial=0.0)))
    priority += rng.random(t_count) * TIE_BREAK
    is_open = np.zeros(t_count, dtype=bool)
    for _ in range(wanted):
        pick = int(np.argmax(np.where(has & ~is_open, gain + priority, -np.inf)))
        is_open[pick] = True
        mentees = edges.mentee[by_team[team_starts[pick] : team_starts[pick + 1]]]
        short = mentees[cover[mentees] < OPTIONS_WANTED]
        cover[mentees] += 1
        if len(short):
            lengths = starts[short + 1] - starts[short]
            idx = np.repeat(starts[short] - np.cumsum(lengths) + lengths, lengths)
            idx += np.arange(len(idx))
            np.subtract.at(gain, edges.team[idx], 1.0 / OPTIONS_WANTED)
    return is_open


# --- Repair --------------------------------------------------------------------------------


def _repair(
    edges: _Edges,
    circle_of: IntArray,
    is_open: BoolArray,
    lo: int,
    hi: int,
    tie: FloatArray,
) -> BoolArray:
    """Dissolve circles below ``lo`` mentees, smallest first, and place their mentees in
    circles with room. Changes ``circle_of`` and ``is_open``; returns, per mentee, whether it
    was in a dissolved circle. No circle ever shrinks here, so one pass settles every size."""
    n = len(circle_of)
    t_count = edges.teams
    size = np.bincount(circle_of[circle_of >= 0], minlength=t_count)
    is_open &= size > 0
    starts = edges.starts(n)
    value = edges.value
    dissolved_from = np.zeros(n, dtype=bool)
    while True:
        small = np.flatnonzero(is_open & (size < lo))
        if len(small) == 0:
            break
        victim = int(small[np.lexsort((tie[small], size[small]))[0]])
        is_open[victim] = False
        members = np.flatnonzero(circle_of == victim)
        circle_of[members] = -1
        size[victim] = 0
        dissolved_from[members] = True
        # Mentees with the fewest options go first.
        options = starts[members + 1] - starts[members]
        for e in members[np.argsort(options, kind="stable")].tolist():
            span = slice(int(starts[e]), int(starts[e + 1]))
            teams = edges.team[span]
            room = is_open[teams] & (size[teams] < hi)
            if room.any():
                # A small circle that takes the mentee is a step nearer the minimum.
                bonus = np.where(size[teams] < lo, 1.0, 0.0)
                best = int(np.argmax(np.where(room, value[span] + bonus, -np.inf)))
                circle_of[e] = teams[best]
                size[teams[best]] += 1
            else:
                _augment(e, edges, starts, circle_of, size, is_open, hi)
    return dissolved_from


def _augment(
    e: int,
    edges: _Edges,
    starts: IntArray,
    circle_of: IntArray,
    size: IntArray,
    is_open: BoolArray,
    hi: int,
) -> bool:
    """Place mentee ``e`` along a shortest chain of moves ending in a circle with room: each
    mentee on the chain moves to a circle it is allowed in, and only the last circle grows."""
    t_count = edges.teams
    seen_circle = np.zeros(t_count, dtype=bool)
    seen_mentee = np.zeros(len(circle_of), dtype=bool)
    enters = np.full(t_count, -1, dtype=np.int64)
    frontier = np.array([e], dtype=np.int64)
    seen_mentee[e] = True
    for _ in range(AUGMENT_DEPTH):
        lengths = starts[frontier + 1] - starts[frontier]
        idx = np.repeat(starts[frontier] - np.cumsum(lengths) + lengths, lengths)
        idx += np.arange(len(idx))
        who, where = edges.mentee[idx], edges.team[idx]
        ok = is_open[where] & ~seen_circle[where] & (where != circle_of[who])
        who, where = who[ok], where[ok]
        if len(where) == 0:
            return False
        where, first = np.unique(where, return_index=True)
        who = who[first]
        seen_circle[where] = True
        enters[where] = who
        room = where[size[where] < hi]
        if len(room):
            target = int(room[0])
            size[target] += 1
            circle = target
            while True:
                mover = int(enters[circle])
                previous = int(circle_of[mover])
                circle_of[mover] = circle
                if mover == e:
                    return True
                circle = previous
        nxt = np.flatnonzero(np.isin(circle_of, where) & ~seen_mentee)
        seen_mentee[nxt] = True
        frontier = nxt
    return False


# --- Cohesion, diversity and the local search -----------------------------------------------


class _Layout:
    """Mentees in circles, with the per-circle counts that cohesion and diversity need."""

    def __init__(
        self, f: Features, edges: _Edges, circle_of: IntArray, is_open: BoolArray, hi: int
    ):
        p = f.problem
        self.edges = edges
        self.circle_of = circle_of
        self.is_open = is_open
        self.t_count = edges.teams
        # Peers counted out of the most a circle can hold, so a swap or a move is judged alike.
        self.peer_weight = PEER_WEIGHT / max(hi - 1, 1)
        n = len(circle_of)
        learn = p.mentees.learn.tocsr()
        counts = np.diff(learn.indptr)
        used, codes = np.unique(learn.indices, return_inverse=True)
        self.topics = len(used)  # topic codes renumbered 0..topics-1; ``topics`` pads
        width = max(1, int(counts.max(initial=0)))
        pad = np.full((n, width), self.topics, dtype=np.int64)
        row = np.repeat(np.arange(n), counts)
        col = np.arange(len(codes)) - np.repeat(learn.indptr[:-1], counts)
        pad[row, col] = codes
        self.learn = pad
        self.inv_len = np.where(counts > 0, 1.0 / np.maximum(counts, 1), 0.0)
        self.attributes: list[tuple[IntArray, int]] = []
        for values in (p.mentees.department, p.mentees.generation):
            known = np.asarray(values) >= 0
            kinds, code = np.unique(np.asarray(values)[known], return_inverse=True)
            coded = np.full(n, len(kinds), dtype=np.int64)
            coded[known] = code
            self.attributes.append((coded, len(kinds)))
        self.key = edges.key
        self.value = edges.value
        self.recount()

    # State

    def recount(self) -> None:
        placed = np.flatnonzero(self.circle_of >= 0)
        circle = self.circle_of[placed]
        t_count = self.t_count
        self.size = np.bincount(circle, minlength=t_count)
        self.count = np.zeros((t_count, self.topics + 1), dtype=np.int64)
        self.weight = np.zeros((t_count, self.topics + 1))
        rows = np.broadcast_to(circle[:, None], (len(placed), self.learn.shape[1]))
        np.add.at(self.count, (rows, self.learn[placed]), 1)
        inv = np.broadcast_to(self.inv_len[placed][:, None], rows.shape)
        np.add.at(self.weight, (rows, self.learn[placed]), inv)
        self.count[:, -1] = 0
        self.weight[:, -1] = 0.0
        self.attribute_counts = []
        for coded, kinds in self.attributes:
            table = np.zeros((t_count, kinds + 1), dtype=np.int64)
            np.add.at(table, (circle, coded[placed]), 1)
            table[:, -1] = 0
            self.attribute_counts.append(table)
        order = np.argsort(circle, kind="stable")
        width = max(1, int(self.size.max(initial=0)))
        members = np.full((t_count, width), -1, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(self.size)])
        slot = np.arange(len(order)) - starts[circle[order]]
        members[circle[order], slot] = placed[order]
        self.members = members
        self.own = np.zeros(len(self.circle_of))
        self.own[placed] = self.edge_value(placed, circle)

    def edge_value(self, e: IntArray, c: IntArray) -> FloatArray:
        """The value of each edge (``e[i]``, ``c[i]``), NaN where it was not kept."""
        if len(self.key) == 0:
            return np.full(len(e), np.nan)
        key = e * self.t_count + c
        pos = np.minimum(np.searchsorted(self.key, key), len(self.key) - 1)
        return np.where(self.key[pos] == key, self.value[pos], np.nan)

    def peers(self) -> FloatArray:
        """Per mentee, summed over its topics weighted 1 / its topic count, how many other
        mentees of its circle want the same topic."""
        circle = np.maximum(self.circle_of, 0)
        others = np.maximum(self.count[circle[:, None], self.learn] - 1, 0)
        out = (others * self.inv_len[:, None]).sum(axis=1)
        return np.where(self.circle_of >= 0, out, 0.0)

    def shared(self) -> FloatArray:
        """Per mentee, the share of the other mentees of its circle who want its topics (mean
        over its topics), in [0, 1]."""
        others = np.maximum(self.size[np.maximum(self.circle_of, 0)] - 1, 1)
        return self.peers() / others

    def objective(self) -> float:
        placed = self.circle_of >= 0
        distinct = sum(int((table > 0).sum()) for table in self.attribute_counts)
        return float(
            self.own[placed].sum()
            + self.peer_weight * self.peers().sum()
            + DIVERSITY_WEIGHT * distinct
        )

    # Deltas: ``leave`` on the current state, ``join`` after ``left`` (or nobody, -1) left.
    # A circle's peer total is the sum over topics of W_t (count_t - 1), where W_t sums
    # 1 / topic count over the members who want t: a member (weight w) leaving changes the
    # term by -(W_t + (count_t - 2) w), one joining by W_t + count_t w.

    def _peer_leave(self, x: IntArray, c: IntArray) -> FloatArray:
        topics = self.learn[x]
        count = self.count[c[:, None], topics]
        weight = self.weight[c[:, None], topics]
        inv = self.inv_len[x][:, None]
        change = -(weight + (count - 2) * inv)
        return np.where(topics < self.topics, change, 0.0).sum(axis=1)

    def _peer_join(self, x: IntArray, c: IntArray, left: IntArray) -> FloatArray:
        topics = self.learn[x]
        count = self.count[c[:, None], topics].astype(np.float64)
        weight = self.weight[c[:, None], topics]
        gone = (topics[:, :, None] == self.learn[left][:, None, :]).any(axis=2)
        gone &= (left >= 0)[:, None] & (topics < self.topics)
        count -= gone
        weight = weight - gone * self.inv_len[left][:, None]
        change = weight + count * self.inv_len[x][:, None]
        return np.where(topics < self.topics, change, 0.0).sum(axis=1)

    def _diversity_leave(self, x: IntArray, c: IntArray) -> FloatArray:
        out = np.zeros(len(x))
        for (coded, kinds), table in zip(self.attributes, self.attribute_counts, strict=True):
            value = coded[x]
            out -= (value < kinds) & (table[c, value] == 1)
        return out

    def _diversity_join(self, x: IntArray, c: IntArray, left: IntArray) -> FloatArray:
        out = np.zeros(len(x))
        for (coded, kinds), table in zip(self.attributes, self.attribute_counts, strict=True):
            value = coded[x]
            count = table[c, value] - ((left >= 0) & (coded[left] == value))
            out += (value < kinds) & (count == 0)
        return out

    def _delta(self, x: IntArray, a: IntArray, b: IntArray, y: IntArray) -> FloatArray:
        """Change of the objective when ``x`` leaves ``a`` for ``b`` and ``y`` (-1: nobody)
        leaves ``b`` for ``a``; the edge values are added by the caller."""
        someone = y >= 0
        ys = np.where(someone, y, 0)
        peer = self._peer_leave(x, a) + self._peer_join(x, b, y)
        diversity = self._diversity_leave(x, a) + self._diversity_join(x, b, y)
        if someone.any():
            peer += np.where(someone, self._peer_leave(ys, b) + self._peer_join(ys, a, x), 0.0)
            back = self._diversity_leave(ys, b) + self._diversity_join(ys, a, x)
            diversity += np.where(someone, back, 0.0)
        return self.peer_weight * peer + DIVERSITY_WEIGHT * diversity

    def improve(self, lo: int, hi: int) -> None:
        """Moves (one mentee to a circle with room) and swaps (two mentees trade circles),
        best first, each circle in at most one change a round, while any change helps."""
        edges = self.edges
        n = len(self.circle_of)
        # Each mentee's best few circles, by edge value.
        order = np.lexsort((-edges.value, edges.mentee))
        starts = edges.starts(n)
        rank = np.arange(len(order)) - starts[edges.mentee[order]]
        tried = order[rank < SEARCH_EDGES + 1]
        alt_mentee, alt_team = edges.mentee[tried], edges.team[tried]
        alt_value = edges.value[tried]
        active: BoolArray | None = None
        for _ in range(SEARCH_ROUNDS):
            a_circle = self.circle_of[alt_mentee]
            sel = (a_circle >= 0) & self.is_open[alt_team] & (alt_team != a_circle)
            if active is not None:
                sel &= active[np.maximum(a_circle, 0)] | active[alt_team]
            x, b, a = alt_mentee[sel], alt_team[sel], a_circle[sel]
            gain = alt_value[sel] - self.own[x]
            # Moves
            move = (self.size[a] > lo) & (self.size[b] < hi)
            mx, ma, mb = x[move], a[move], b[move]
            nobody = np.full(len(mx), -1, dtype=np.int64)
            move_delta = gain[move] + self._delta(mx, ma, mb, nobody)
            # Swaps with each member of the other circle allowed in this one
            width = self.members.shape[1]
            sx, sa, sb = (np.repeat(v, width) for v in (x, a, b))
            sg = np.repeat(gain, width)
            sy = self.members[b].ravel()
            ok = sy >= 0
            sx, sa, sb, sg, sy = sx[ok], sa[ok], sb[ok], sg[ok], sy[ok]
            back = self.edge_value(sy, sa)
            ok = ~np.isnan(back)
            sx, sa, sb, sg, sy, back = sx[ok], sa[ok], sb[ok], sg[ok], sy[ok], back[ok]
            swap_delta = sg + back - self.own[sy] + self._delta(sx, sa, sb, sy)
            # Choose
            ox = np.concatenate([mx, sx])
            oy = np.concatenate([nobody, sy])
            oa = np.concatenate([ma, sa])
            ob = np.concatenate([mb, sb])
            delta = np.concatenate([move_delta, swap_delta])
            better = np.flatnonzero(delta > EPS)
            if len(better) == 0:
                break
            better = better[np.argsort(-delta[better], kind="stable")]
            used = np.zeros(self.t_count, dtype=bool)
            chosen: list[int] = []
            for op, ca, cb in zip(
                better.tolist(), oa[better].tolist(), ob[better].tolist(), strict=True
            ):
                if not used[ca] and not used[cb]:
                    used[ca] = used[cb] = True
                    chosen.append(op)
            pick = np.asarray(chosen, dtype=np.int64)
            self.circle_of[ox[pick]] = ob[pick]
            swapped = pick[oy[pick] >= 0]
            self.circle_of[oy[swapped]] = oa[swapped]
            active = np.zeros(self.t_count, dtype=bool)
            active[oa[better]] = True
            active[ob[better]] = True
            self.recount()

    def cohesion_parts(self) -> tuple[FloatArray, FloatArray]:
        """Per mentee: share of its topics its circle's mentors cover, and share another
        mentee of the circle shares."""
        placed = np.flatnonzero(self.circle_of >= 0)
        coverage = np.zeros(len(self.circle_of))
        if len(self.key):
            key = placed * self.t_count + self.circle_of[placed]
            pos = np.searchsorted(self.key, key)
            coverage[placed] = self.edges.coverage[pos]
        return coverage, self.shared()


# --- Explain -------------------------------------------------------------------------------


def _listing(names: list[str]) -> str:
    shown = names[:MAX_LISTED]
    more = len(names) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _explain(
    f: Features,
    teams: IntArray,
    edges: _Edges,
    layout: _Layout,
    dissolved_from: BoolArray,
    placeable: int,
    min_size: int,
    max_size: int,
    lo: int,
) -> CircleResult:
    p = f.problem
    n = len(p.mentees)
    circle_of = layout.circle_of
    placed = np.flatnonzero(circle_of >= 0)
    per = teams.shape[1]
    pair_e = np.repeat(placed, per)
    pair_m = teams[circle_of[placed]].ravel()
    criteria, hours = pair_criteria(f, pair_e, pair_m)
    score = pair_total(f, criteria).reshape(-1, per)
    hours = hours.reshape(-1, per)
    mentee_score = np.zeros(n)
    mentee_score[placed] = score.mean(axis=1)
    min_hours = np.zeros(n, dtype=np.int64)
    min_hours[placed] = hours.min(axis=1)
    pair_score = np.zeros((n, per))
    pair_score[placed] = score
    coverage, shared = layout.cohesion_parts()
    topic_names = list(p.topic_names)
    circles: list[Circle] = []
    used_mentors = np.zeros(len(p.mentors), dtype=bool)
    order = np.argsort(circle_of[placed], kind="stable")
    by_circle = placed[order]
    bounds = np.searchsorted(circle_of[by_circle], np.arange(edges.teams + 1))
    for t in np.flatnonzero(layout.size > 0).tolist():
        mentees = np.sort(by_circle[bounds[t] : bounds[t + 1]])
        mentors = teams[t].copy()
        used_mentors[mentors] = True
        diversity, kinds = _diversity(layout, mentees)
        circles.append(
            Circle(
                mentors=mentors,
                mentees=mentees,
                score=float(pair_score[mentees].mean()),
                cohesion=float(0.5 * coverage[mentees].mean() + 0.5 * shared[mentees].mean()),
                diversity=diversity,
                reason=_circle_reason(
                    p, mentors, mentees, kinds, int(min_hours[mentees].min()), topic_names
                ),
            )
        )
    unplaced = np.flatnonzero(circle_of < 0)
    rules: list[Rule] = [Rule.CAPACITY] * len(unplaced)
    texts: list[str] = [""] * len(unplaced)
    no_mentor = np.flatnonzero(edges.eligible_mentors[unplaced] == 0)
    for slot, (rule, text) in zip(
        no_mentor.tolist(), unmatched_reasons(f, unplaced[no_mentor]), strict=True
    ):
        rules[slot], texts[slot] = rule, text
    for slot, e in enumerate(unplaced.tolist()):
        if texts[slot]:
            continue
        name = p.mentees.name(e)
        if edges.eligible_teams[e] == 0:
            texts[slot] = (
                f"{name} is eligible for {_plural(int(edges.eligible_mentors[e]), 'mentor')}, "
                f"but no circle has {per} mentors who are all eligible for {name}"
            )
        elif placeable < lo:
            texts[slot] = (
                f"only {_plural(placeable, 'mentee')} could join a circle, and a circle needs "
                f"at least {min_size} people: {_plural(per, 'mentor')} and "
                f"{_plural(lo, 'mentee')}"
            )
        elif dissolved_from[e]:
            texts[slot] = (
                f"the circle {name} was in stayed below {min_size} people and was not formed, "
                f"and every other circle {name} could join is full"
            )
        else:
            options = int(edges.eligible_teams[e])
            which = "the one circle" if options == 1 else f"all {options} circles"
            texts[slot] = (
                f"{which} {name} could join {'is' if options == 1 else 'are'} full at "
                f"{max_size} people or had too few members to form"
            )
    return CircleResult(
        circles=circles,
        unplaced=unplaced,
        unplaced_rule=rules,
        unplaced_reasons=texts,
        unused_mentors=np.flatnonzero(~used_mentors),
        total_score=float(mentee_score[placed].sum()),
    )


def _diversity(layout: _Layout, mentees: IntArray) -> tuple[float, list[int]]:
    """Mean over departments and generations of (distinct - 1) / (most possible - 1), and the
    distinct counts."""
    shares: list[float] = []
    kinds_seen: list[int] = []
    for coded, kinds in layout.attributes:
        values = coded[mentees]
        known = values[values < kinds]
        distinct = len(np.unique(known))
        kinds_seen.append(distinct)
        most = min(len(known), kinds)
        shares.append((distinct - 1) / (most - 1) if most > 1 else 0.0)
    return float(np.mean(shares)), kinds_seen


def _circle_reason(
    p: Problem,
    mentors: IntArray,
    mentees: IntArray,
    kinds: list[int],
    min_hours: int,
    topic_names: list[str],
) -> str:
    leaders = [p.mentors.name(int(j)) for j in mentors]
    led_by = leaders[0] if len(leaders) == 1 else ", ".join(leaders[:-1]) + " and " + leaders[-1]
    verb = "leads" if len(leaders) == 1 else "lead"
    learn = p.mentees.learn[mentees]
    wanted = np.asarray(learn.sum(axis=0)).ravel()
    skills = np.asarray(p.mentors.skills[mentors].sum(axis=0)).ravel() > 0
    taught = np.flatnonzero((wanted > 0) & skills)
    taught = taught[np.lexsort((taught, -wanted[taught]))]
    names = [topic_names[t] if t < len(topic_names) else f"topic {t}" for t in taught.tolist()]
    people = "1 person" if len(mentees) == 1 else f"{len(mentees)} people"
    if names:
        first = f"{led_by} {verb} {people} who want to learn {_listing(names)}"
    else:
        first = f"{led_by} {verb} {people}; no leader lists a topic they want to learn"
    departments, generations = kinds
    hours = _plural(min_hours, "free hour")
    return (
        f"{first}; {_plural(departments, 'department')}, {_plural(generations, 'generation')}; "
        f"everyone shares ≥ {hours} a week with {'' if len(leaders) == 1 else 'each of '}"
        f"{led_by}"
    )
