"""Benchmark: the matching engine on reverse 1:1 programs of 5,000, 20,000 (and 100,000) a side.

    python bench/matching.py [--sizes 5000 20000] [--dense-max 5000] [--full] [--k 30] [--seed 7]

For each size an organisation of 2.5 x size people is generated with
``twoway.demo.generator.generate_people``; the ``size`` most senior people are the mentees, the
``size`` most junior the mentors (capacity 1, level gap 1, at least 2 shared free hours, weekly
availability drawn as working hours in each person's own time zone). The table shows:

* the engine end to end (scoring, candidates, assignment, bound, reasons), its score, bound gap
  and whether participation was proven maximum;
* exact dense ``scipy.optimize.linear_sum_assignment`` on the same instance (full feasible score
  matrix) up to ``--dense-max`` mentees, and the engine's score as a share of it;
* the maximum matching of the full feasible graph (``maximum_bipartite_matching``) up to
  ``--dense-max``;
* greedy (best remaining edge first over the same candidate edges);
* up to ``--dense-max``, stable matching (mentee-proposing deferred acceptance, the
  hospital/residents algorithm, on the full feasible preference lists), as a baseline;
* circles: 10,000 mentees and 1,500 mentors into circles of 4 to 8 (``matching_circles.py``);
* peak memory of the process (``resource.getrusage``; it only grows, so read it per size in order).

``--full`` adds 100,000 x 100,000. Exits 0 when every figure of the issue that was measured is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import maximum_bipartite_matching

from bench.matching_circles import run_circles
from twoway.demo.generator import generate_people
from twoway.matching.engine import (
    HOURS_PER_WEEK,
    Participants,
    Problem,
    ProgramRules,
    language_masks,
    match,
    pack_availability,
    sets_to_csr,
)
from twoway.matching.engine.candidates import CHUNK_VALUES
from twoway.matching.engine.scoring import block_criteria, block_rules, prepare, weighted_total
from twoway.people import reporting_lines
from twoway.people.columns import LIST_SEPARATOR


def build_problem(size: int, seed: int, k: int) -> Problem:
    rows = generate_people(size=int(size * 2.5), seed=seed)
    rng = np.random.default_rng(seed)
    number = {row["employee_id"]: i for i, row in enumerate(rows, start=1)}
    parents = {number[r["employee_id"]]: number.get(r["manager_employee_id"]) for r in rows}
    paths = reporting_lines.build_chain_paths(parents)
    ids = np.arange(1, len(rows) + 1)
    tin, tout = reporting_lines.chain_intervals(ids, [paths[int(i)] for i in ids])
    vocab: dict[str, dict[str, int]] = {"topic": {}, "interest": {}, "lang": {}, "loc": {}}
    vocab.update({"dept": {}, "team": {}})

    def codes(kind: str, text: str) -> list[int]:
        table = vocab[kind]
        return [table.setdefault(x, len(table)) for x in text.split(LIST_SEPARATOR) if x]

    level = np.array([int(r["level"]) for r in rows])
    order = np.argsort(-level, kind="stable")
    mentee_rows, mentor_rows = order[:size], order[::-1][:size]
    when = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    offsets = {}

    def side(picked: np.ndarray) -> Participants:
        chosen = [rows[i] for i in picked.tolist()]
        n = len(chosen)
        utc = []
        for r in chosen:
            if r["time_zone"] not in offsets:
                delta = when.astimezone(ZoneInfo(r["time_zone"])).utcoffset() or dt.timedelta()
                offsets[r["time_zone"]] = delta.total_seconds() / 3600
            utc.append(offsets[r["time_zone"]])
        utc_arr = np.array(utc)
        # Free hours: a few 1-3 hour slots inside local working hours, Monday to Friday.
        hours = np.zeros((n, HOURS_PER_WEEK), dtype=bool)
        for _ in range(4):
            day = rng.integers(0, 5, size=n)
            start = rng.integers(8, 17, size=n)
            length = rng.integers(1, 4, size=n)
            for extra in range(3):
                local = day * 24 + start + extra
                utc_hour = (local - np.round(utc_arr).astype(int)) % HOURS_PER_WEEK
                hours[np.arange(n), utc_hour] |= extra < length
        return Participants(
            ids=ids[picked],
            level=level[picked],
            team=np.array([codes("team", r["team"])[0] for r in chosen]),
            department=np.array([codes("dept", r["department"])[0] for r in chosen]),
            tin=tin[picked],
            tout=tout[picked],
            skills=sets_to_csr((codes("topic", r["skills"]) for r in chosen), 200),
            learn=sets_to_csr((codes("topic", r["learning_topics"]) for r in chosen), 200),
            interests=sets_to_csr((codes("interest", r["interests"]) for r in chosen), 64),
            style=rng.integers(1, 8, size=(n, 5)).astype(np.float64),
            availability=pack_availability(hours),
            utc_offset=utc_arr,
            languages=language_masks(codes("lang", r["languages"]) for r in chosen),
            capacity=np.ones(n, dtype=np.int64),
            location=np.array([codes("loc", r["location"])[0] for r in chosen]),
            generation=np.array([int(r["hire_date"][:4]) // 5 for r in chosen]),
            answers=np.zeros((n, 0), dtype=np.int64),
            names=[r["first_name"] for r in chosen],
        )

    mentees, mentors = side(mentee_rows), side(mentor_rows)
    rules = ProgramRules(min_level_gap=1, min_shared_hours=2, candidates_per_mentee=k, seed=seed)
    return Problem(mentors=mentors, mentees=mentees, rules=rules)


def dense_scores(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """The full feasible score matrix, as the dense reference needs it."""
    f = prepare(problem)
    n, m = len(problem.mentees), len(problem.mentors)
    scores = np.full((n, m), -np.inf)
    chunk = max(1, CHUNK_VALUES // m)
    for start in range(0, n, chunk):
        rows = np.arange(start, min(n, start + chunk))
        criteria, hours = block_criteria(f, rows)
        allowed = np.ones((len(rows), m), dtype=bool)
        for _rule, mask in block_rules(f, rows, criteria, hours):
            allowed &= mask
        block = weighted_total(f, criteria).astype(np.float64)
        block[~allowed] = -np.inf
        scores[rows] = block
    return np.isfinite(scores), scores


def greedy(mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray) -> tuple[int, float]:
    taken_e: set[int] = set()
    taken_m: set[int] = set()
    total = 0.0
    for i in np.argsort(-score, kind="stable").tolist():
        e, m = int(mentee[i]), int(mentor[i])
        if e not in taken_e and m not in taken_m:
            taken_e.add(e)
            taken_m.add(m)
            total += float(score[i])
    return len(taken_e), total


def stable_matching(
    allowed: np.ndarray, scores: np.ndarray, capacity: np.ndarray
) -> tuple[int, float]:
    """Mentee-proposing deferred acceptance (Gale-Shapley, hospital/residents with capacities):
    preferences are the scores on both sides, over the feasible pairs."""
    n = allowed.shape[0]
    preference = [np.flatnonzero(allowed[i])[np.argsort(-scores[i, allowed[i]])] for i in range(n)]
    following = np.zeros(n, dtype=np.int64)
    held: dict[int, list[tuple[float, int]]] = {}
    free = list(range(n))
    while free:
        i = free.pop()
        if following[i] >= len(preference[i]):
            continue
        j = int(preference[i][following[i]])
        following[i] += 1
        bucket = held.setdefault(j, [])
        bucket.append((float(scores[i, j]), i))
        if len(bucket) > capacity[j]:
            bucket.sort()
            _, rejected = bucket.pop(0)
            free.append(rejected)
    pairs = [(i, j) for j, bucket in held.items() for _, i in bucket]
    return len(pairs), float(sum(scores[i, j] for i, j in pairs))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 20_000])
    parser.add_argument("--full", action="store_true", help="add 100,000 x 100,000")
    parser.add_argument("--dense-max", type=int, default=5_000, help="largest dense reference")
    parser.add_argument("--k", type=int, default=30, help="candidates kept per mentee")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [*args.sizes, *([100_000] if args.full else [])]
    verdicts: list[tuple[str, bool]] = []
    print("bench/matching: reverse 1:1, capacity 1, gap 1, >= 2 shared hours")
    header = (
        f"{'size':>8} {'engine s':>9} {'matched':>8} {'max match':>9} {'proven':>6} "
        f"{'gap %':>7} {'dense s':>8} {'speedup':>8} {'score/opt':>9} {'greedy/opt':>10} "
        f"{'edges':>9} {'peak MB':>8}"
    )
    print(header)
    for size in sizes:
        problem = build_problem(size, args.seed, args.k)
        started = time.perf_counter()
        result = match(problem)
        engine_s = time.perf_counter() - started
        g_count, g_total = greedy(*_edges(problem, args.k))
        dense_s = ratio = g_ratio = s_ratio = float("nan")
        s_count = 0
        maximum: int | str = "-"
        if size <= args.dense_max:
            started = time.perf_counter()
            allowed, scores = dense_scores(problem)
            cost = np.where(allowed, -(1_000.0 + scores), 0.0)
            rows, cols = linear_sum_assignment(cost)
            dense_s = time.perf_counter() - started
            used = allowed[rows, cols]
            optimum = float(scores[rows, cols][used].sum())
            ratio = result.total_score / optimum
            g_ratio = g_total / optimum
            s_count, s_total = stable_matching(allowed, scores, problem.mentors.capacity)
            s_ratio = s_total / optimum
            graph = sp.csr_matrix(allowed.astype(np.int8))
            maximum = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
            del allowed, scores, cost, graph
        print(
            f"{size:>8,} {engine_s:>9.1f} {result.matched:>8,} {maximum!s:>9} "
            f"{'yes' if result.participation_proven else 'no':>6} {100 * result.gap:>7.3f} "
            f"{dense_s:>8.1f} {dense_s / engine_s:>8.1f} {ratio:>9.5f} {g_ratio:>10.5f} "
            f"{result.candidate_edges:>9,} {peak_mb():>8.0f}"
        )
        print(
            f"{'':>8} steps: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
            + f"; greedy matched {g_count:,}"
            + (
                f"; stable matching {s_count:,} matched, {s_ratio:.4f} of the optimum score"
                if s_count
                else ""
            )
        )
        verdicts.append((f"{size:,}: participation proven maximum", result.participation_proven))
        if isinstance(maximum, int):
            verdicts.append(
                (f"{size:,}: participation = maximum matching", result.matched == maximum)
            )
        if size == 20_000 and dense_s == dense_s:
            verdicts.append(("20,000: >= 50x faster than dense", dense_s / engine_s >= 50))
            verdicts.append(("20,000: >= 99.9 % of the dense optimum", ratio >= 0.999))
        if size == 100_000:
            verdicts.append(("100,000: <= 60 s", engine_s <= 60))
            verdicts.append(("100,000: <= 6 GB peak", peak_mb() <= 6 * 1024))
            verdicts.append(("100,000: within 0.5 % of the optimum", result.gap <= 0.005))
        if size >= 20_000:
            verdicts.append((f"{size:,}: proven within 0.5 % of the optimum", result.gap <= 0.005))
    circles = run_circles()
    print(
        f"circles: {circles['mentees']:,} mentees, {circles['mentors']:,} mentors -> "
        f"{circles['circles']:,} circles of {circles['size_min']}-{circles['size_max']}, "
        f"{circles['placed']:,} placed, cohesion {circles['cohesion']:.3f}, diversity "
        f"{circles['diversity']:.3f}, {circles['seconds']:.1f} s"
    )
    verdicts.append(("circles 10,000 x 1,500: <= 30 s", circles["passed"]))
    for name, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}: {name}")
    return 0 if all(ok for _, ok in verdicts) else 1


def _edges(problem: Problem, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from twoway.matching.engine.candidates import scan

    f = prepare(problem)
    cand = scan(f, np.arange(len(problem.mentees)), k)
    return cand.mentee, cand.mentor, cand.score


if __name__ == "__main__":
    sys.exit(main())
