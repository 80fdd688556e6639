"""Plain-language reasons: why each pair was proposed, and why a mentee has no mentor."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from twoway.matching.engine.candidates import CHUNK_VALUES
from twoway.matching.engine.model import Criterion, Format, Problem, Rule, Weight
from twoway.matching.engine.scoring import Features, block_criteria, block_rules

MAX_LISTED = 3  # topics or interests named in a reason


def _listing(names: list[str]) -> str:
    shown = names[:MAX_LISTED]
    more = len(names) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more else text


def _names(vocabulary: list[str] | tuple[str, ...], codes: npt.NDArray[np.int32]) -> list[str]:
    return [vocabulary[c] if c < len(vocabulary) else f"topic {c}" for c in codes.tolist()]


def _row(matrix: sp.csr_matrix, i: int) -> npt.NDArray[np.int32]:
    return matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]


def pair_reason(
    f: Features,
    e: int,
    m: int,
    criteria: dict[Criterion, float],
    hours: int,
) -> str:
    p = f.problem
    mentee, mentor = p.mentees.name(e), p.mentors.name(m)
    rules = p.rules
    parts: list[str] = []
    wants = np.sort(_row(p.mentees.learn, e))
    if len(wants) and rules.weight(Criterion.TEACH_LEARN) is not Weight.OFF:
        can = np.intersect1d(wants, _row(p.mentors.skills, m))
        if len(can):
            topics = _listing(_names(list(p.topic_names), can))
            if len(wants) == 1:
                parts.append(f"{mentor} can teach the topic {mentee} wants — {topics}")
            else:
                parts.append(
                    f"{mentor} can teach {len(can)} of the {len(wants)} topics {mentee} "
                    f"wants — {topics}"
                )
        else:
            parts.append(f"{mentor} cannot teach any of the topics {mentee} wants")
    if rules.weight(Criterion.INTERESTS) is not Weight.OFF:
        shared = np.intersect1d(_row(p.mentees.interests, e), _row(p.mentors.interests, m))
        if len(shared):
            parts.append(f"both into {_listing(_names(list(p.interest_names), shared))}")
    parts.append(f"{hours} shared free hour{'s' if hours != 1 else ''} a week")
    if rules.weight(Criterion.TIME_ZONE) is not Weight.OFF:
        apart = abs(float(p.mentees.utc_offset[e] - p.mentors.utc_offset[m]))
        apart = min(apart, 24.0 - apart)
        parts.append("same time zone" if apart == 0 else f"{apart:g} hours apart")
    if rules.weight(Criterion.WORKING_STYLE) is not Weight.OFF:
        parts.append(f"working styles {round(100 * criteria[Criterion.WORKING_STYLE])} % alike")
    if rules.weight(Criterion.DIVERSITY) is not Weight.OFF:
        different = [
            label
            for label, a, b in (
                ("departments", p.mentees.department[e], p.mentors.department[m]),
                ("generations", p.mentees.generation[e], p.mentors.generation[m]),
                ("locations", p.mentees.location[e], p.mentors.location[m]),
            )
            if a >= 0 and b >= 0 and a != b
        ]
        if different:
            parts.append("different " + ", ".join(different))
    if rules.weight(Criterion.LOCATION) is not Weight.OFF:
        here, there = int(p.mentees.location[e]), int(p.mentors.location[m])
        if here >= 0 and here == there:
            names = list(p.location_names)
            parts.append(f"both in {names[here]}" if here < len(names) else "same location")
        else:
            parts.append("different locations")
    if rules.weight(Criterion.CUSTOM) is not Weight.OFF:
        parts.append(f"{round(100 * criteria[Criterion.CUSTOM])} % same answers to the questions")
    return "; ".join(parts)


def unmatched_reasons(f: Features, rows: npt.NDArray[np.int64]) -> list[tuple[Rule, str]]:
    """For each mentee in ``rows``, the rule that left no eligible mentor, and a sentence.

    The rules are applied one after another; the binding one is the first that empties the
    pool. A mentee who still has eligible mentors lost them to capacity.
    """
    p = f.problem
    m = len(p.mentors)
    out: list[tuple[Rule, str]] = []
    if m == 0:
        return [(Rule.NO_MENTORS, "the program has no mentors") for _ in rows]
    chunk = max(1, CHUNK_VALUES // m)
    for start in range(0, len(rows), chunk):
        block_rows = rows[start : start + chunk]
        criteria, hours = block_criteria(f, block_rows)
        alive = np.ones((len(block_rows), m), dtype=bool)
        binding = np.full(len(block_rows), -1)
        before = np.full(len(block_rows), m)
        order = []
        for number, (rule, mask) in enumerate(block_rules(f, block_rows, criteria, hours)):
            order.append(rule)
            alive &= mask
            left = alive.sum(axis=1)
            emptied = (left == 0) & (binding < 0)
            binding[emptied] = number
            before = np.where(binding < 0, left, before)
        for row, e in enumerate(block_rows.tolist()):
            name = p.mentees.name(e)
            remaining = int(before[row])
            if binding[row] < 0:
                out.append((Rule.CAPACITY, _capacity_sentence(name, remaining)))
            else:
                rule = order[binding[row]]
                out.append((rule, _rule_sentence(rule, name, remaining, p)))
    return out


def _capacity_sentence(name: str, eligible: int) -> str:
    if eligible == 1:
        return f"the one mentor eligible for {name} is full: the place went to another mentee"
    return (
        f"all {eligible} mentors eligible for {name} are full: their places went to mentees "
        "with fewer options or a better fit"
    )


def _rule_sentence(rule: Rule, name: str, remaining: int, p: Problem) -> str:
    rules = p.rules
    pool = "the one remaining mentor" if remaining == 1 else f"the {remaining} remaining mentors"
    if rule is Rule.LANGUAGE:
        return f"no eligible mentor shares a language with {name}"
    if rule is Rule.LEVEL:
        direction = "junior" if rules.format is Format.REVERSE else "senior"
        gap = rules.min_level_gap
        return (
            f"none of the {remaining} mentors who share a language with {name} is at least "
            f"{gap} level{'s' if gap != 1 else ''} more {direction}"
        )
    if rule is Rule.REPORTING_CHAIN:
        return f"{pool} {'is' if remaining == 1 else 'are all'} in {name}'s reporting chain"
    if rule is Rule.SAME_TEAM:
        return f"{pool} {'is' if remaining == 1 else 'are all'} on {name}'s team"
    if rule is Rule.SHARED_HOURS:
        hours = rules.min_shared_hours
        return (
            f"none of {pool} has {hours} free hour{'s' if hours != 1 else ''} a week "
            f"in common with {name}"
        )
    if rule is Rule.EXCLUDED:
        return f"{pool} {'is' if remaining == 1 else 'are all'} excluded for {name}"
    if rule is Rule.PREVIOUS_PAIRING:
        return f"{name} has already been paired with {pool}"
    musts = ", ".join(
        c.value.replace("_", " ") for c in p.rules.weights if p.rules.weight(c) is Weight.MUST
    )
    return f"none of {pool} meets the program's must-have ({musts})"
