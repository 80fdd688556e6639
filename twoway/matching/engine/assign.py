"""Exact assignment on the candidate graph, and an upper bound over the full feasible graph.

Mentors are expanded into capacity slots; every mentee also gets a private dummy slot, so a full
matching always exists. Real edges cost ``2 - score`` (plus the load-spreading cost of the slot),
the dummy costs more than any number of real edges could save, so the minimum-cost matching first
matches as many mentees as possible, then maximises the total score. ``scipy``'s LAPJVsp solves it
exactly on the sparse graph.

The bound is Lagrangian: for mentor prices ``p ≥ 0`` no assignment scores more than
``Σ_i max(0, max_j (s_ij - p_j)) + Σ_j capacity_j · p_j``. Edges the scan left out are covered by
each mentee's best left-out score (prices are never negative). Prices are improved by a few
subgradient steps with Polyak's step size.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def assign(
    mentee: IntArray,
    mentor: IntArray,
    score: FloatArray,
    capacity: IntArray,
    *,
    load_spreading: float = 0.0,
    tie_break: FloatArray | None = None,
) -> tuple[IntArray, IntArray]:
    """The chosen edges as (mentee, mentor) arrays. ``capacity`` is per mentor index."""
    if len(mentee) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    rows, local = np.unique(mentee, return_inverse=True)
    mentors, mcol = np.unique(mentor, return_inverse=True)
    degree = np.bincount(mcol, minlength=len(mentors))
    slots = np.minimum(capacity[mentors], degree).astype(np.int64)
    usable = slots[mcol] > 0
    local, mcol, edge_score = local[usable], mcol[usable], score[usable]
    offsets = np.concatenate([[0], np.cumsum(slots)])
    # One copy of each edge per slot of its mentor; slot t of a mentor costs t x load_spreading.
    copies = slots[mcol]
    edge = np.repeat(np.arange(len(local)), copies)
    first = np.repeat(np.cumsum(copies) - copies, copies)
    t = np.arange(len(edge)) - first
    cost = 2.0 - edge_score[edge] + load_spreading * t
    if tie_break is not None:
        cost = cost + tie_break[mentors[mcol[edge]]]
    col = offsets[mcol[edge]] + t
    n_rows, n_slots = len(rows), int(offsets[-1])
    # Matching one more mentee must always beat any total gain in score among the others.
    dummy = float(cost.max()) * (n_rows + 1) + 1.0
    all_rows = np.concatenate([local[edge], np.arange(n_rows)])
    all_cols = np.concatenate([col, n_slots + np.arange(n_rows)])
    all_cost = np.concatenate([cost, np.full(n_rows, dummy)])
    graph = sp.csr_matrix((all_cost, (all_rows, all_cols)), shape=(n_rows, n_slots + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = col_ind < n_slots
    slot_owner = np.repeat(np.arange(len(mentors)), slots)
    return rows[row_ind[real]], mentors[slot_owner[col_ind[real]]]


def upper_bound(
    mentee: IntArray,
    mentor: IntArray,
    score: FloatArray,
    best_left_out: FloatArray,
    capacity: IntArray,
    achieved: float,
    *,
    iterations: int = 60,
) -> float:
    """An upper bound on the total score of any assignment respecting the capacities.

    ``mentee``/``mentor``/``score`` are the kept edges (sorted by mentee); ``best_left_out`` is
    per mentee index (``-inf`` when nothing was left out); ``capacity`` per mentor index.
    """
    outside = np.maximum(best_left_out, 0.0)
    if len(mentee) == 0:
        return float(outside.sum())
    rows, starts = np.unique(mentee, return_index=True)
    price = np.zeros(len(capacity))
    best = np.inf
    for _ in range(iterations):
        value = score - price[mentor]
        row_best = np.maximum.reduceat(value, starts)
        per_mentee = outside.copy()
        per_mentee[rows] = np.maximum(per_mentee[rows], row_best)
        bound = float(per_mentee.sum() + (capacity * price).sum())
        best = min(best, bound)
        # Subgradient: a mentor chosen by more mentees than its capacity gets dearer.
        positive = row_best > 0
        winners = np.flatnonzero(
            value == np.repeat(row_best, np.diff(np.append(starts, len(value))))
        )
        _, first = np.unique(mentee[winners], return_index=True)
        winners = winners[first]
        chosen = mentor[winners][positive[np.searchsorted(rows, mentee[winners])]]
        demand = np.bincount(chosen, minlength=len(capacity))
        gradient = capacity - demand
        norm = float((gradient.astype(np.float64) ** 2).sum())
        if norm == 0 or best - achieved <= 1e-9:
            break
        step = (bound - achieved) / norm
        price = np.maximum(0.0, price - step * gradient)
    return best
