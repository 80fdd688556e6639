"""Benchmark: "is A anywhere in B's reporting chain?" for a million pairs at once.

The matching engine must refuse every reverse-mentoring pair in which one side is in the other's
reporting chain. It asks that question for every candidate pair of a program, so it is
vectorised: ``chain_intervals`` turns the people's materialised paths into Euler-tour
intervals once, then ``pairs_in_chain`` answers any number of pairs with numpy.

    python bench/bench_chain.py [--size 100000] [--pairs 1000000] [--seed 42] [--repeat 5]

Target: 1,000,000 pairs tested in at most 1 second. The intervals are built once per run of the
engine and reported separately; the pair test is timed ``--repeat`` times and judged on the
slowest run. A random sample of the pairs is checked against the plain prefix test
``reporting_lines.in_chain``; the script exits non-zero if the sample disagrees or the target
is missed. No database and no Django settings are needed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twoway.demo.generator import generate_people
from twoway.people import reporting_lines

TARGET_SECONDS = 1.0
TARGET_PAIRS = 1_000_000
SAMPLE = 2_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="people in the organisation")
    parser.add_argument("--pairs", type=int, default=TARGET_PAIRS, help="pairs to test")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the pair test")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows = generate_people(size=args.size, seed=args.seed)
    generate_seconds = time.perf_counter() - started

    # Employee ids become the integer ids the database would give: rows are in manager-first
    # order, so numbering rows 1..n is what an import would do.
    row_ids = {row["employee_id"]: i for i, row in enumerate(rows, start=1)}
    parents = {row_ids[row["employee_id"]]: row_ids.get(row["manager_employee_id"]) for row in rows}
    started = time.perf_counter()
    paths = reporting_lines.build_chain_paths(parents)
    paths_seconds = time.perf_counter() - started

    ids = list(paths)
    chain_paths = [paths[i] for i in ids]
    started = time.perf_counter()
    tin, tout = reporting_lines.chain_intervals(ids, chain_paths)
    intervals_seconds = time.perf_counter() - started

    rng = np.random.default_rng(args.seed)
    a = rng.integers(0, len(ids), size=args.pairs, dtype=np.int64)
    b = rng.integers(0, len(ids), size=args.pairs, dtype=np.int64)
    # Random pairs in a large organisation are almost never in one chain; mix in pairs that
    # are (each person with one of their managers) so both answers are exercised.
    index = {person_id: i for i, person_id in enumerate(ids)}
    manager_index = np.array(
        [-1 if parents[i] is None else index[parents[i]] for i in ids],  # type: ignore[index]
        dtype=np.int64,
    )
    chained = rng.choice(np.flatnonzero(manager_index >= 0), size=args.pairs // 10)
    a[: len(chained)] = chained
    b[: len(chained)] = manager_index[chained]

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        answers = reporting_lines.pairs_in_chain(tin, tout, a, b)
        timings.append(time.perf_counter() - started)
    pairs_seconds = max(timings)  # judged on the slowest run, not the luckiest

    sample = rng.choice(args.pairs, size=min(SAMPLE, args.pairs), replace=False)
    agree = all(
        bool(answers[k])
        == reporting_lines.in_chain(ids[a[k]], chain_paths[a[k]], ids[b[k]], chain_paths[b[k]])
        for k in sample.tolist()
    )

    depth = max(reporting_lines.depth(p) for p in chain_paths)
    rate = args.pairs / pairs_seconds if pairs_seconds else float("inf")
    budget = TARGET_SECONDS * args.pairs / TARGET_PAIRS
    passed = pairs_seconds <= budget
    table = [
        ("people", f"{len(ids):,}"),
        ("deepest chain (managers above)", f"{depth}"),
        ("generate people", f"{generate_seconds:.3f} s"),
        ("build chain paths", f"{paths_seconds:.3f} s"),
        ("build intervals (once per run)", f"{intervals_seconds:.3f} s"),
        (f"test {args.pairs:,} pairs, median", f"{statistics.median(timings):.3f} s"),
        (f"test {args.pairs:,} pairs, slowest of {args.repeat}", f"{pairs_seconds:.3f} s"),
        ("pairs per second", f"{rate:,.0f}"),
        ("pairs found in one chain", f"{int(answers.sum()):,}"),
        (f"sample of {len(sample):,} vs in_chain", "agrees" if agree else "DISAGREES"),
    ]
    width = max(len(name) for name, _ in table)
    print("bench_chain: reporting-chain test over random pairs")
    for name, value in table:
        print(f"  {name:<{width}}  {value:>14}")
    verdict = "PASS" if passed and agree else "FAIL"
    print(
        f"{verdict}: {args.pairs:,} pairs in {pairs_seconds:.3f} s "
        f"(target: ≤ 1 s per 1,000,000 pairs, so ≤ {budget:g} s here)"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
