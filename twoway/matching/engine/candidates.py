"""Candidate generation: the best ``k`` eligible mentors of every mentee, chunk by chunk.

Every mentee is scored against every mentor, but only ``chunk x mentors`` values exist at a
time, so memory stays flat however large the pool. Besides the kept edges, each mentee's scan
records how many mentors passed the hard rules and the best score it left out (the
``k + 1``-th), which is what lets the optimiser report a bound over the *full* feasible graph.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from twoway.matching.engine.kernel import (
    Kernel,
    block_scores,
    build_kernel,
    set_prices,
    sub_kernel,
)
from twoway.matching.engine.scoring import Features, block_criteria, block_rules, weighted_total

CHUNK_VALUES = 1 << 22  # mentee x mentor values per chunk: about 16 MB per float32 block
THREADS = 2  # chunks scanned at once


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
    cols: npt.NDArray[np.int64] | None = None,
) -> Candidates:
    """Top-``k`` eligible mentors for each mentee in ``rows`` (all eligible when ``k`` is at
    least the number of mentors).

    With ``price`` (one per mentor) mentors are ranked by score minus price, and
    ``best_left_out`` is the best *priced* score left out: the pricing step of column
    generation, which finds the edges worth adding and bounds the ones not added. With ``cols``
    only those mentors are looked at (``eligible`` then counts among them).

    Chunks run on two threads: numpy releases the interpreter lock in the matrix products and
    element-wise passes, so a two-core machine scans about twice as fast.
    """
    all_m = len(f.problem.mentors)
    cols_all = np.arange(all_m, dtype=np.int64) if cols is None else np.asarray(cols, np.int64)
    m = len(cols_all)
    n = len(rows)
    eligible = np.zeros(n, dtype=np.int64)
    left_out = np.full(n, -np.inf)
    if m == 0 or n == 0:
        empty = np.empty(0, dtype=np.int64)
        return Candidates(empty, empty, np.empty(0), eligible, left_out)
    chunk = max(1, CHUNK_VALUES // m)
    kernel = kernel_for(f)
    sub_price = None if price is None else np.asarray(price, dtype=np.float64)[cols_all]
    finite = np.ones(m, dtype=bool) if sub_price is None else np.isfinite(sub_price)
    if kernel is not None:
        if cols is not None:
            kernel = sub_kernel(kernel, cols_all)
        else:
            kernel = replace(kernel, y_lin=kernel.y_lin.copy())
        set_prices(kernel, None if sub_price is None else np.where(finite, sub_price, 0.0))

    def one(start: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        block_rows = rows[start : start + chunk]
        if kernel is not None:
            ranked, kernel_price, count = block_scores(kernel, block_rows)
            used_price = kernel_price.astype(np.float64)
            if not finite.all():
                ranked[:, ~finite] = -np.inf
            eligible[start : start + len(block_rows)] = count
        else:
            criteria, hours = block_criteria(f, block_rows)
            allowed = np.ones((len(block_rows), all_m), dtype=bool)
            for _rule, mask in block_rules(f, block_rows, criteria, hours):
                allowed &= mask
            score = weighted_total(f, criteria)
            score[~allowed] = -np.inf
            score, allowed = score[:, cols_all], allowed[:, cols_all]
            ranked = score if sub_price is None else score - sub_price.astype(np.float32)[None, :]
            used_price = np.zeros(m) if sub_price is None else sub_price
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
        with np.errstate(invalid="ignore"):
            values = ranked[r, c].astype(np.float64) + np.where(finite, used_price, 0.0)[c]
        return start, block_rows[r], cols_all[c], values

    starts = range(0, n, chunk)
    if len(starts) > 1 and THREADS > 1:
        with ThreadPoolExecutor(THREADS) as pool:
            parts = list(pool.map(one, starts))
    else:
        parts = [one(s) for s in starts]
    mentee = np.concatenate([p[1] for p in parts])
    mentor = np.concatenate([p[2] for p in parts])
    score_all = np.concatenate([p[3] for p in parts])
    order = np.lexsort((mentor, mentee))
    return Candidates(mentee[order], mentor[order], score_all[order], eligible, left_out)
