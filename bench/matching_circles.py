"""Benchmark: group mentoring circles (``form_circles``) for 10,000 mentees and 1,500 mentors.

    python bench/matching_circles.py [--mentees 10000] [--mentors 1500] [--seed 7]

The organisation and both sides come from ``bench/matching.py``'s ``build_problem`` (a reverse
program: the most senior people are the mentees, the most junior the mentors, level gap 1, at
least 2 shared free hours a week); the ``mentors`` most junior of its mentor side lead circles
of 4 to 8 people, one mentor each. The row shows the circles formed, the mentees placed, the
smallest and largest circle (mentors included), mean cohesion and diversity, and the seconds
``form_circles`` took. Exits 0 when it took at most 30 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twoway.matching.engine import Participants, Problem, form_circles

MIN_SIZE, MAX_SIZE = 4, 8
TARGET_SECONDS = 30.0


def take(side: Participants, rows: np.ndarray) -> Participants:
    """The given rows of one side, every field sliced alike."""
    values: dict[str, object] = {}
    for field in dataclasses.fields(Participants):
        value = getattr(side, field.name)
        if field.name == "names":
            values[field.name] = [value[i] for i in rows.tolist()] if value else ()
        elif value is None:  # an optional field left out
            values[field.name] = None
        else:
            values[field.name] = value[rows]
    return Participants(**values)  # type: ignore[arg-type]  # every field set from the same row cut


def build_circles_problem(mentees: int, mentors: int, seed: int) -> Problem:
    # Imported here so that bench/matching.py can import this module without a cycle.
    from bench.matching import build_problem

    base = build_problem(mentees, seed, 30)
    leaders = take(base.mentors, np.arange(min(mentors, len(base.mentors))))
    return dataclasses.replace(base, mentors=leaders)


def run_circles(size_mentees: int = 10_000, mentors: int = 1_500, seed: int = 7) -> dict:
    """Form circles on a generated reverse program; the figures of one table row."""
    problem = build_circles_problem(size_mentees, mentors, seed)
    started = time.perf_counter()
    result = form_circles(problem, min_size=MIN_SIZE, max_size=MAX_SIZE)
    seconds = time.perf_counter() - started
    sizes = [c.size for c in result.circles]
    return {
        "mentees": len(problem.mentees),
        "mentors": len(problem.mentors),
        "circles": len(result.circles),
        "placed": result.placed,
        "size_min": min(sizes, default=0),
        "size_max": max(sizes, default=0),
        "cohesion": float(np.mean([c.cohesion for c in result.circles])) if sizes else 0.0,
        "diversity": float(np.mean([c.diversity for c in result.circles])) if sizes else 0.0,
        "score": float(np.mean([c.score for c in result.circles])) if sizes else 0.0,
        "seconds": seconds,
        "steps": dict(result.seconds),
        "passed": seconds <= TARGET_SECONDS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=1_500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    row = run_circles(args.mentees, args.mentors, args.seed)
    print(f"bench/matching_circles: reverse, circles of {MIN_SIZE}-{MAX_SIZE}, one mentor each")
    print(
        f"{'mentees':>8} {'mentors':>8} {'circles':>8} {'placed':>8} {'size':>6} "
        f"{'cohesion':>9} {'diversity':>9} {'score':>6} {'seconds':>8} {'<= 30 s':>8}"
    )
    print(
        f"{row['mentees']:>8,} {row['mentors']:>8,} {row['circles']:>8,} {row['placed']:>8,} "
        f"{row['size_min']:>2}-{row['size_max']:<3} {row['cohesion']:>9.3f} "
        f"{row['diversity']:>9.3f} {row['score']:>6.3f} {row['seconds']:>8.1f} "
        f"{'PASS' if row['passed'] else 'FAIL':>8}"
    )
    print("steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in row["steps"].items()))
    return 0 if row["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
