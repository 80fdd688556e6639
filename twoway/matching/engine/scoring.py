"""Hard rules and soft scores, for a block of mentees against all mentors or for given pairs.

The block form is what candidate generation runs, chunk by chunk, so it leans on matrix
products (topic coverage, shared interests and shared hours are all counts of common bits) and
on broadcasting; it never holds more than ``chunk x mentors`` values. The pair form computes the
same numbers for a list of pairs, for the breakdown of the chosen pairs and for locked pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from twoway.matching.engine.model import (
    MUST_THRESHOLDS,
    TIPI_TRAITS,
    WEIGHT_VALUES,
    Criterion,
    Format,
    Problem,
    Rule,
    Weight,
    unpack_availability,
)
from twoway.people.reporting_lines import pairs_in_chain

if TYPE_CHECKING:
    from twoway.matching.engine.kernel import Kernel

F32 = npt.NDArray[np.float32]
BoolMatrix = npt.NDArray[np.bool_]

TIPI_RANGE = 6.0  # TIPI items run from 1 to 7
STYLE_MAX_DISTANCE = TIPI_RANGE * math.sqrt(TIPI_TRAITS)


def _pairs_csr(pairs: npt.NDArray[np.int64], shape: tuple[int, int]) -> sp.csr_matrix:
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    data = np.ones(len(pairs), dtype=np.int8)
    matrix = sp.csr_matrix((data, (pairs[:, 0], pairs[:, 1])), shape=shape)
    matrix.sum_duplicates()
    return matrix


@dataclass
class Features:
    """The problem turned once into the dense and sparse shapes the kernels want."""

    problem: Problem
    weights: dict[Criterion, float]
    musts: list[Criterion]
    # mentors, column-major for matrix products
    skills_t: F32
    interests_t: F32
    interest_count_m: F32
    hours_t: F32
    style_m: F32
    style_sq_m: F32
    # mentees
    learn_count: F32
    interest_count_e: F32
    hours_e: npt.NDArray[np.uint8]
    # chain intervals of mentees then mentors, for ``pairs_in_chain``
    tin: npt.NDArray[np.int64]
    tout: npt.NDArray[np.int64]
    excluded: sp.csr_matrix
    previous: sp.csr_matrix
    kernel: Kernel | None = None  # see ``candidates.kernel_for``
    kernel_built: bool = False

    @property
    def needed(self) -> list[Criterion]:
        return [c for c in Criterion if self.weights[c] > 0 or c in self.musts]


def prepare(problem: Problem) -> Features:
    mentors, mentees, rules = problem.mentors, problem.mentees, problem.rules
    weights = {c: WEIGHT_VALUES[rules.weight(c)] for c in Criterion}
    musts = [c for c in Criterion if rules.weight(c) is Weight.MUST]
    style_m = np.asarray(mentors.style, dtype=np.float32)
    shape = (len(mentees), len(mentors))
    return Features(
        problem=problem,
        weights=weights,
        musts=musts,
        skills_t=np.ascontiguousarray(mentors.skills.toarray().T, dtype=np.float32),
        interests_t=np.ascontiguousarray(mentors.interests.toarray().T, dtype=np.float32),
        interest_count_m=np.asarray(mentors.interests.getnnz(axis=1), dtype=np.float32),
        hours_t=np.ascontiguousarray(unpack_availability(mentors.availability).T, np.float32),
        style_m=style_m,
        style_sq_m=(style_m**2).sum(axis=1),
        learn_count=np.asarray(mentees.learn.getnnz(axis=1), dtype=np.float32),
        interest_count_e=np.asarray(mentees.interests.getnnz(axis=1), dtype=np.float32),
        hours_e=unpack_availability(mentees.availability),
        tin=np.concatenate([mentees.tin, mentors.tin]).astype(np.int64),
        tout=np.concatenate([mentees.tout, mentors.tout]).astype(np.int64),
        excluded=_pairs_csr(problem.forbidden, shape),
        previous=_pairs_csr(problem.previous, shape),
    )


# --- Soft criteria -------------------------------------------------------------------------


def block_criteria(f: Features, rows: npt.NDArray[np.int64]) -> tuple[dict[Criterion, F32], F32]:
    """Each needed criterion for mentees ``rows`` x all mentors, as ``(len(rows), m)``, and the
    shared free hours (which the hard rule needs whatever the weights)."""
    p = f.problem
    mentees, mentors, rules = p.mentees, p.mentors, p.rules
    out: dict[Criterion, F32] = {}
    needed = set(f.needed)
    hours = f.hours_e[rows].astype(np.float32) @ f.hours_t
    out[Criterion.AVAILABILITY] = np.minimum(hours / rules.availability_target_hours, 1.0)
    if Criterion.TEACH_LEARN in needed:
        covered = mentees.learn[rows].toarray().astype(np.float32) @ f.skills_t
        out[Criterion.TEACH_LEARN] = covered / np.maximum(f.learn_count[rows], 1.0)[:, None]
    if Criterion.INTERESTS in needed:
        common = mentees.interests[rows].toarray().astype(np.float32) @ f.interests_t
        union = f.interest_count_e[rows][:, None] + f.interest_count_m[None, :] - common
        out[Criterion.INTERESTS] = common / np.maximum(union, 1.0)
    if Criterion.WORKING_STYLE in needed:
        style_e = np.asarray(mentees.style[rows], dtype=np.float32)
        sq = (style_e**2).sum(axis=1)[:, None] + f.style_sq_m[None, :] - 2 * style_e @ f.style_m.T
        out[Criterion.WORKING_STYLE] = 1.0 - np.sqrt(np.maximum(sq, 0.0)) / STYLE_MAX_DISTANCE
    if Criterion.TIME_ZONE in needed:
        apart = np.abs(
            mentees.utc_offset[rows].astype(np.float32)[:, None]
            - mentors.utc_offset.astype(np.float32)[None, :]
        )
        out[Criterion.TIME_ZONE] = 1.0 - np.minimum(apart, 24.0 - apart) / 12.0
    if Criterion.DIVERSITY in needed:
        total = np.zeros((len(rows), len(mentors)), dtype=np.float32)
        attributes = diversity_attributes(p)
        for e_attr, m_attr in attributes:
            a, b = e_attr[rows][:, None], m_attr[None, :]
            total += (a != b) & (a >= 0) & (b >= 0)
        out[Criterion.DIVERSITY] = total / np.float32(len(attributes))
    if Criterion.LOCATION in needed:
        a, b = mentees.location[rows][:, None], mentors.location[None, :]
        out[Criterion.LOCATION] = ((a == b) & (a >= 0)).astype(np.float32)
    if Criterion.CUSTOM in needed:
        out[Criterion.CUSTOM] = _custom_block(mentees.answers[rows], mentors.answers)
    return out, hours


def diversity_attributes(
    p: Problem, *, shown_only: bool = False
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """(mentee codes, mentor codes) per attribute the diversity criterion counts: department,
    generation, location and, unless ``shown_only``, each consented diversity answer."""
    e, m = p.mentees, p.mentors
    out = [(e.department, m.department), (e.generation, m.generation), (e.location, m.location)]
    if not shown_only and e.perspective is not None and m.perspective is not None:
        width = min(e.perspective.shape[1], m.perspective.shape[1])
        out += [(e.perspective[:, q], m.perspective[:, q]) for q in range(width)]
    return out


def _custom_block(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> F32:
    same = np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    both = np.zeros_like(same)
    for q in range(a.shape[1] if a.ndim == 2 else 0):
        x, y = a[:, q][:, None], b[:, q][None, :]
        answered = (x >= 0) & (y >= 0)
        both += answered
        same += answered & (x == y)
    return (same / np.maximum(both, 1.0)).astype(np.float32)


def weighted_total(f: Features, criteria: dict[Criterion, F32]) -> F32:
    """The weighted mean of the criteria with a weight, in [0, 1]."""
    total_weight = sum(f.weights.values())
    first = next(iter(criteria.values()))
    total = np.zeros(np.shape(first), dtype=np.float32)
    if total_weight == 0:
        return total
    for criterion, weight in f.weights.items():
        if weight > 0:
            total += np.float32(weight / total_weight) * criteria[criterion]
    return total


# --- Hard rules ----------------------------------------------------------------------------


def block_rules(
    f: Features, rows: npt.NDArray[np.int64], criteria: dict[Criterion, F32], hours: F32
) -> Iterator[tuple[Rule, BoolMatrix]]:
    """Each hard rule as a mask of allowed pairs, in the order unmatched mentees are explained."""
    p = f.problem
    mentees, mentors, rules = p.mentees, p.mentors, p.rules
    yield Rule.LANGUAGE, (mentees.languages[rows][:, None] & mentors.languages[None, :]) != 0
    gap = rules.min_level_gap
    e_level, m_level = mentees.level[rows][:, None], mentors.level[None, :]
    if rules.format is Format.REVERSE:
        yield Rule.LEVEL, m_level <= e_level - gap
    else:
        yield Rule.LEVEL, m_level >= e_level + gap
    a = rows[:, None]
    b = (len(mentees) + np.arange(len(mentors), dtype=np.int64))[None, :]
    yield Rule.REPORTING_CHAIN, ~pairs_in_chain(f.tin, f.tout, a, b)
    e_team, m_team = mentees.team[rows][:, None], mentors.team[None, :]
    yield Rule.SAME_TEAM, (e_team != m_team) | (e_team < 0)
    yield Rule.SHARED_HOURS, hours >= rules.min_shared_hours
    yield Rule.EXCLUDED, f.excluded[rows].toarray() == 0
    yield Rule.PREVIOUS_PAIRING, f.previous[rows].toarray() == 0
    if f.musts:
        allowed = np.ones((len(rows), len(mentors)), dtype=bool)
        for criterion in f.musts:
            allowed &= criteria[criterion] >= MUST_THRESHOLDS[criterion] - 1e-6
        yield Rule.MUST, allowed


# --- Pairs ---------------------------------------------------------------------------------


def pair_criteria(
    f: Features,
    e: npt.NDArray[np.int64],
    m: npt.NDArray[np.int64],
    *,
    shown_only: bool = False,
) -> tuple[dict[Criterion, npt.NDArray[np.float64]], npt.NDArray[np.int64]]:
    """Every criterion for the pairs (mentee ``e[k]``, mentor ``m[k]``), and their shared hours.
    ``shown_only`` leaves the consented diversity answers out, for what people are shown."""
    p = f.problem
    mentees, mentors, rules = p.mentees, p.mentors, p.rules
    e = np.asarray(e, dtype=np.int64)
    m = np.asarray(m, dtype=np.int64)
    out: dict[Criterion, npt.NDArray[np.float64]] = {}
    covered = np.asarray(mentees.learn[e].multiply(mentors.skills[m]).sum(axis=1)).ravel()
    out[Criterion.TEACH_LEARN] = covered / np.maximum(f.learn_count[e], 1.0)
    common = np.asarray(mentees.interests[e].multiply(mentors.interests[m]).sum(axis=1)).ravel()
    union = f.interest_count_e[e] + f.interest_count_m[m] - common
    out[Criterion.INTERESTS] = common / np.maximum(union, 1.0)
    diff = np.asarray(mentees.style[e], np.float64) - np.asarray(mentors.style[m], np.float64)
    out[Criterion.WORKING_STYLE] = 1.0 - np.sqrt((diff**2).sum(axis=1)) / STYLE_MAX_DISTANCE
    hours = (f.hours_e[e] & unpack_availability(mentors.availability[m])).sum(axis=1)
    hours = hours.astype(np.int64)
    out[Criterion.AVAILABILITY] = np.minimum(hours / rules.availability_target_hours, 1.0)
    apart = np.abs(mentees.utc_offset[e] - mentors.utc_offset[m])
    out[Criterion.TIME_ZONE] = 1.0 - np.minimum(apart, 24.0 - apart) / 12.0
    total = np.zeros(len(e))
    attributes = diversity_attributes(p, shown_only=shown_only)
    for e_attr, m_attr in attributes:
        a, b = e_attr[e], m_attr[m]
        total += (a != b) & (a >= 0) & (b >= 0)
    out[Criterion.DIVERSITY] = total / len(attributes)
    same_place = (mentees.location[e] == mentors.location[m]) & (mentees.location[e] >= 0)
    out[Criterion.LOCATION] = same_place.astype(np.float64)
    a_ans, b_ans = mentees.answers[e], mentors.answers[m]
    if a_ans.ndim == 2 and a_ans.shape[1]:
        answered = (a_ans >= 0) & (b_ans >= 0)
        same = (answered & (a_ans == b_ans)).sum(axis=1)
        out[Criterion.CUSTOM] = same / np.maximum(answered.sum(axis=1), 1)
    else:
        out[Criterion.CUSTOM] = np.zeros(len(e))
    return out, hours


def pair_total(f: Features, criteria: dict[Criterion, npt.NDArray[np.float64]]) -> np.ndarray:
    total_weight = sum(f.weights.values())
    first = next(iter(criteria.values()))
    total = np.zeros(len(first))
    if total_weight == 0:
        return total
    for criterion, weight in f.weights.items():
        if weight > 0:
            total += (weight / total_weight) * criteria[criterion]
    return total


def pairs_allowed(
    f: Features, e: npt.NDArray[np.int64], m: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Whether each pair passes every hard rule (capacity aside); for checks and tests."""
    p = f.problem
    mentees, mentors, rules = p.mentees, p.mentors, p.rules
    criteria, hours = pair_criteria(f, e, m)
    ok = (mentees.languages[e] & mentors.languages[m]) != 0
    if rules.format is Format.REVERSE:
        ok &= mentors.level[m] <= mentees.level[e] - rules.min_level_gap
    else:
        ok &= mentors.level[m] >= mentees.level[e] + rules.min_level_gap
    ok &= ~pairs_in_chain(f.tin, f.tout, e, len(mentees) + m)
    ok &= (mentees.team[e] != mentors.team[m]) | (mentees.team[e] < 0)
    ok &= hours >= rules.min_shared_hours
    width = max(len(mentors), 1)
    for pairs in (f.excluded, f.previous):
        listed = pairs.tocoo()
        ok &= ~np.isin(e * width + m, listed.row.astype(np.int64) * width + listed.col)
    for criterion in f.musts:
        ok &= criteria[criterion] >= MUST_THRESHOLDS[criterion] - 1e-6
    return ok
