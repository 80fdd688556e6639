"""Candidate generation: the best ``k`` eligible mentors of every mentee, chunk by chunk.

Every mentee is scored against every mentor, but only ``chunk x mentors`` values exist at a
time, so memory stays flat however large the pool. Besides the kept edges, each mentee's scan
records how many mentors passed the hard rules and the best score it left out (the
``k + 1``-th), which is what lets the optimiser report a bound over the *full* feasible graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from twoway.matching.engine.kernel import Kernel, block_scores, build_kernel, set_prices
from twoway.matching.engine.scoring import Features, block_criteria, block_rules, weighted_total

CHUNK_VALUES = 1 << 22  # mentee x mentor values per chunk: about 16 MB per float32 block


@dataclass
class Candidates:
    """Kept edges (mentee, mentor, score), sorted by mentee, and per-mentee scan facts."""

    mentee: npt.NDArray[np.int64]
    mentor: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    eligible: npt.NDArray[np.int64]  # mentors passing every hard rule, per mentee
    best_left_out: npt.NDArray[np.float64]  # best eligible score not kept, or -inf


def kernel_for(f: Features) -> Kernel | None:
    """The fast kernel of ``f``, built on first use and kept with it."""
    if not f.kernel_built:
        f.kernel = build_kernel(f)
        f.kernel_built = True
    return f.kernel


def scan(
    f: Features,
    rows: npt.NDArray[np.int64],
    k: int,
    *,
    price: npt.NDArray[np.float64] | None = None,
) -> Candidates:
    """Top-``k`` eligible mentors for each mentee in ``rows`` (all eligible when ``k`` is at
    least the number of mentors).

    With ``price`` (one per mentor) mentors are ranked by score minus price, and
    ``best_left_out`` is the best *priced* score left out: the pricing step of column
    generation, which finds the edges worth adding and bounds the ones not added.
    """
    m = len(f.problem.mentors)
    n = len(rows)
    eligible = np.zeros(n, dtype=np.int64)
    left_out = np.full(n, -np.inf)
    parts_e: list[npt.NDArray[np.int64]] = []
    parts_m: list[npt.NDArray[np.int64]] = []
    parts_s: list[npt.NDArray[np.float64]] = []
    if m == 0 or n == 0:
        empty = np.empty(0, dtype=np.int64)
        return Candidates(empty, empty, np.empty(0), eligible, left_out)
    chunk = max(1, CHUNK_VALUES // m)
    kernel = kernel_for(f)
    if kernel is not None:
        finite = np.ones(m, dtype=bool) if price is None else np.isfinite(price)
        set_prices(kernel, None if price is None else np.where(finite, price, 0.0))
    for start in range(0, n, chunk):
        block_rows = rows[start : start + chunk]
        if kernel is not None:
            ranked, kernel_price, count = block_scores(kernel, block_rows)
            used_price = kernel_price.astype(np.float64)
            if not finite.all():
                ranked[:, ~finite] = -np.inf
            eligible[start : start + len(block_rows)] = count
        else:
            criteria, hours = block_criteria(f, block_rows)
            allowed = np.ones((len(block_rows), m), dtype=bool)
            for _rule, mask in block_rules(f, block_rows, criteria, hours):
                allowed &= mask
            score = weighted_total(f, criteria)
            score[~allowed] = -np.inf
            ranked = score if price is None else score - price.astype(np.float32)[None, :]
            used_price = np.zeros(m) if price is None else price.astype(np.float64)
            eligible[start : start + len(block_rows)] = allowed.sum(axis=1)
        if k >= m:
            r, c = np.nonzero(np.isfinite(ranked))
        else:
            order = np.argpartition(-ranked, k, axis=1)
            top = order[:, :k]
            left_out[start : start + len(block_rows)] = np.take_along_axis(
                ranked, order[:, k : k + 1], axis=1
            )[:, 0]
            keep = np.isfinite(np.take_along_axis(ranked, top, axis=1))
            r = np.nonzero(keep)[0]
            c = top[keep]
        parts_e.append(block_rows[r])
        parts_m.append(c.astype(np.int64))
        parts_s.append(ranked[r, c].astype(np.float64) + used_price[c])
    mentee = np.concatenate(parts_e)
    mentor = np.concatenate(parts_m)
    score_all = np.concatenate(parts_s)
    order = np.lexsort((mentor, mentee))
    return Candidates(mentee[order], mentor[order], score_all[order], eligible, left_out)
