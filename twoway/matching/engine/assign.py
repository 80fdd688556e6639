"""Exact assignment on the candidate graph, and an upper bound over the full feasible graph.

Mentors are expanded into capacity slots; every mentee also gets a private dummy slot, so a full
matching always exists. Real edges cost ``2 - score`` (plus the load-spreading cost of the slot),
the dummy costs more than any number of real edges could save, so the minimum-cost matching first
matches as many mentees as possible, then maximises the total score. ``scipy``'s LAPJVsp solves it
exactly on the sparse graph.

The bound is Lagrangian: for mentor prices ``p ≥ 0`` no assignment scores more than
``Σ_i max(0, max_j (s_ij - p_j)) + Σ_j capacity_j · p_j`` (``bound_at``). The prices come from
the chosen assignment (``mentor_prices``, the dual of the assignment on the kept edges); edges
the scan left out enter through each mentee's best left-out *priced* score, which the pricing
scan at those prices measured.
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


def mentor_prices(
    mentee: IntArray,
    mentor: IntArray,
    score: FloatArray,
    capacity: IntArray,
    chosen_mentee: IntArray,
    chosen_mentor: IntArray,
    *,
    iterations: int = 500,
) -> FloatArray:
    """Mentor prices that make the chosen assignment (nearly) stable: the dual of the assignment.

    A full mentor's price is what the best mentee not placed with them would give up to get
    them: ``max(s_ij - u_i)`` over their other edges, where ``u_i`` is what mentee ``i`` keeps at
    those prices (their own pair's score minus their mentor's price, 0 when unmatched). Mentors
    with room cost nothing. Starting from zero this is a longest-path (Bellman-Ford) iteration
    over the candidate edges, one vectorised pass each; it stops when no price moves. For an
    optimal assignment the fixed point gives a bound equal to its score; any prices give a valid
    bound (see ``bound_at``), so a cut-off iteration is safe, only looser.
    """
    m = len(capacity)
    price = np.zeros(m)
    if len(mentee) == 0:
        return price
    n = int(max(mentee.max(), chosen_mentee.max(initial=-1))) + 1
    own = np.full(n, -1, dtype=np.int64)
    own[chosen_mentee] = chosen_mentor
    placed = np.bincount(chosen_mentor, minlength=m)
    full = placed >= capacity
    edge_is_own = own[mentee] == mentor
    own_score = np.zeros(n)
    own_score[mentee[edge_is_own]] = score[edge_is_own]
    other = ~edge_is_own & full[mentor]
    e_i, e_j, e_s = mentee[other], mentor[other], score[other]
    matched = own >= 0
    for _ in range(iterations):
        keep = np.where(matched, own_score - price[np.maximum(own, 0)], 0.0)
        wanted = np.zeros(m)
        np.maximum.at(wanted, e_j, e_s - keep[e_i])
        new = np.where(full, np.maximum(wanted, 0.0), 0.0)
        if np.allclose(new, price, rtol=0.0, atol=1e-12):
            price = new
            break
        price = new
    return price


def bound_at(
    mentee: IntArray,
    mentor: IntArray,
    score: FloatArray,
    best_left_out: FloatArray,
    capacity: IntArray,
    price: FloatArray,
) -> tuple[float, FloatArray]:
    """The Lagrangian bound at ``price`` and each mentee's share of it.

    ``Σ_i max(0, max_j (s_ij - p_j)) + Σ_j capacity_j · p_j`` bounds every assignment that
    respects the capacities (weak duality). Left-out edges enter through ``best_left_out``
    (their best score, never less than their best priced score since prices are ≥ 0).
    """
    per_mentee = np.maximum(best_left_out, 0.0)
    if len(mentee):
        value = score - price[mentor]
        best = np.full(len(per_mentee), -np.inf)
        np.maximum.at(best, mentee, value)
        per_mentee = np.maximum(per_mentee, best)
    return float(per_mentee.sum() + (capacity * price).sum()), per_mentee
