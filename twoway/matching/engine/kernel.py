"""The fast scoring kernel: a block of mentees against all mentors in a few matrix products.

``scoring.block_criteria`` computes each criterion as its own array, which the reasons and the
"must" rules need. The scan only needs the weighted total and the hard rules, so this module
folds every criterion that is a sum of products — topic coverage, diversity (different codes
are "both known" minus "same code", one-hot), same location (one-hot), time-zone closeness (a
lookup table over the offsets in use) and the mentor prices of column generation — into one
``float32`` matrix product, and adds the three that are not (capped shared hours, interest
Jaccard, working-style distance) with in-place operations. Hard rules become one "blocked"
mask, built in place.

It applies when no criterion is weighted "must" and custom questions are off; otherwise
``build_kernel`` returns ``None`` and the scan uses the general path. Tests check that both give
the same scores and masks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from twoway.matching.engine.model import Criterion, Format
from twoway.matching.engine.scoring import STYLE_MAX_DISTANCE, Features, diversity_attributes

F32 = npt.NDArray[np.float32]
Int = npt.NDArray[np.int64]


@dataclass
class Kernel:
    mentors: int
    x_lin: F32  # (n, K + 1): the last column is -1, for the mentor prices
    y_lin: F32  # (K + 1, m): the last row holds the prices of the current scan
    x_hours: F32  # (n, H) over the hours anyone is free
    y_hours: F32
    hour_weight: float  # weight of one shared hour, below the target
    target: float
    min_hours: float
    x_int: F32 | None
    y_int: F32 | None
    n_int_e: F32
    n_int_m: F32
    int_weight: float
    x_style: F32 | None
    y_style: F32 | None
    ss_e: F32
    ss_m: F32
    style_weight: float
    constant: float
    lang_e: Int
    lang_m: Int
    lang_ok: npt.NDArray[np.bool_] | None  # (distinct mentee masks, distinct mentor masks)
    level_e: npt.NDArray[np.int16]
    level_m: npt.NDArray[np.int16]
    reverse: bool
    gap: int
    team_e: npt.NDArray[np.int32]
    team_m: npt.NDArray[np.int32]
    tin_e: npt.NDArray[np.int32]
    tout_e: npt.NDArray[np.int32]
    tin_m: npt.NDArray[np.int32]
    tout_m: npt.NDArray[np.int32]
    excluded: sp.csr_matrix
    previous: sp.csr_matrix


def build_kernel(f: Features) -> Kernel | None:
    """The kernel for ``f``, or ``None`` when a "must" weight or custom questions need the
    general path."""
    if f.musts or f.weights[Criterion.CUSTOM] > 0:
        return None
    p = f.problem
    e, m, rules = p.mentees, p.mentors, p.rules
    n_e, n_m = len(e), len(m)
    total = sum(f.weights.values())
    w = {c: (f.weights[c] / total if total else 0.0) for c in Criterion}
    x_parts: list[np.ndarray] = []
    y_parts: list[np.ndarray] = []

    if w[Criterion.TEACH_LEARN] > 0:
        used = np.flatnonzero(
            (np.asarray(e.learn.getnnz(axis=0)) > 0) & (np.asarray(m.skills.getnnz(axis=0)) > 0)
        )
        learn = e.learn[:, used].toarray().astype(np.float32)
        scale = w[Criterion.TEACH_LEARN] / np.maximum(f.learn_count, 1.0)
        x_parts.append(learn * scale[:, None])
        y_parts.append(m.skills[:, used].toarray().astype(np.float32).T)

    if w[Criterion.DIVERSITY] > 0:
        attributes = diversity_attributes(p)
        share = w[Criterion.DIVERSITY] / len(attributes)
        for a, b in attributes:
            valid_f, onehot = _one_hot(np.concatenate([a, b]))
            x_parts.append(share * np.column_stack([valid_f[:n_e], -onehot[:n_e]]))
            y_parts.append(np.column_stack([valid_f[n_e:], onehot[n_e:]]).T)

    if w[Criterion.LOCATION] > 0:
        _, onehot = _one_hot(np.concatenate([e.location, m.location]))
        x_parts.append(w[Criterion.LOCATION] * onehot[:n_e])
        y_parts.append(onehot[n_e:].T)

    if w[Criterion.TIME_ZONE] > 0:
        offsets, inverse = np.unique(
            np.concatenate([e.utc_offset, m.utc_offset]).astype(np.float32), return_inverse=True
        )
        apart = np.abs(offsets[:, None] - offsets[None, :])
        table = 1.0 - np.minimum(apart, 24.0 - apart) / 12.0
        x_parts.append(w[Criterion.TIME_ZONE] * table[inverse[:n_e]])
        onehot = np.zeros((n_m, len(offsets)), dtype=np.float32)
        onehot[np.arange(n_m), inverse[n_e:]] = 1.0
        y_parts.append(onehot.T)

    x_parts.append(-np.ones((n_e, 1), dtype=np.float32))
    y_parts.append(np.zeros((1, n_m), dtype=np.float32))
    x_lin = np.ascontiguousarray(np.column_stack(x_parts), dtype=np.float32)
    y_lin = np.ascontiguousarray(np.vstack(y_parts), dtype=np.float32)

    hours_e = f.hours_e.astype(np.float32)
    hours_m = f.hours_t.T
    free = np.flatnonzero(hours_e.any(axis=0) & hours_m.any(axis=0))

    x_int = y_int = x_style = y_style = None
    if w[Criterion.INTERESTS] > 0:
        x_int = e.interests.toarray().astype(np.float32)
        y_int = np.ascontiguousarray(f.interests_t)
    if w[Criterion.WORKING_STYLE] > 0:
        x_style = np.asarray(e.style, dtype=np.float32) * -2.0
        y_style = np.ascontiguousarray(f.style_m.T)
    style_e = np.asarray(e.style, dtype=np.float32)

    lang_ok = None
    masks_e, lang_e = np.unique(e.languages, return_inverse=True)
    masks_m, lang_m = np.unique(m.languages, return_inverse=True)
    table_ok = (masks_e[:, None] & masks_m[None, :]) != 0
    if not table_ok.all():
        lang_ok = table_ok

    # Unknown teams never match anything, so they get codes no one else has.
    team_e = np.where(e.team >= 0, e.team, -2).astype(np.int32)
    team_m = np.where(m.team >= 0, m.team, -3).astype(np.int32)

    return Kernel(
        mentors=n_m,
        x_lin=x_lin,
        y_lin=y_lin,
        x_hours=np.ascontiguousarray(hours_e[:, free]),
        y_hours=np.ascontiguousarray(f.hours_t[free]),
        hour_weight=w[Criterion.AVAILABILITY] / rules.availability_target_hours,
        target=float(rules.availability_target_hours),
        min_hours=float(rules.min_shared_hours),
        x_int=x_int,
        y_int=y_int,
        n_int_e=f.interest_count_e,
        n_int_m=f.interest_count_m,
        int_weight=w[Criterion.INTERESTS],
        x_style=x_style,
        y_style=y_style,
        ss_e=(style_e**2).sum(axis=1),
        ss_m=f.style_sq_m,
        style_weight=w[Criterion.WORKING_STYLE],
        constant=w[Criterion.WORKING_STYLE],
        lang_e=lang_e.astype(np.int64),
        lang_m=lang_m.astype(np.int64),
        lang_ok=lang_ok,
        level_e=e.level.astype(np.int16),
        level_m=m.level.astype(np.int16),
        reverse=rules.format is Format.REVERSE,
        gap=int(rules.min_level_gap),
        team_e=team_e,
        team_m=team_m,
        tin_e=e.tin.astype(np.int32),
        tout_e=e.tout.astype(np.int32),
        tin_m=m.tin.astype(np.int32),
        tout_m=m.tout.astype(np.int32),
        excluded=f.excluded,
        previous=f.previous,
    )


def _one_hot(codes: Int) -> tuple[F32, F32]:
    """Rows of 1.0 for known codes (>= 0), and one column per known code."""
    values, inverse = np.unique(codes, return_inverse=True)
    known = values >= 0
    onehot = np.zeros((len(codes), int(known.sum())), dtype=np.float32)
    valid = known[inverse]
    onehot[np.flatnonzero(valid), np.cumsum(known)[inverse[valid]] - 1] = 1.0
    return valid.astype(np.float32), onehot


def set_prices(kernel: Kernel, price: npt.NDArray[np.float64] | None) -> None:
    kernel.y_lin[-1] = 0.0 if price is None else price.astype(np.float32)


def block_scores(kernel: Kernel, rows: Int) -> tuple[F32, F32, npt.NDArray[np.int64]]:
    """For mentees ``rows`` x all mentors: the priced score (score minus the prices set with
    ``set_prices``; ``-inf`` where a hard rule forbids the pair), the same without prices where
    allowed, and how many mentors each mentee may have."""
    k = kernel
    ranked = k.x_lin[rows] @ k.y_lin
    if k.constant:
        ranked += np.float32(k.constant)

    hours = k.x_hours[rows] @ k.y_hours
    blocked = hours < k.min_hours
    np.minimum(hours, k.target, out=hours)
    hours *= np.float32(k.hour_weight)
    ranked += hours
    del hours

    if k.x_int is not None and k.y_int is not None:
        common = k.x_int[rows] @ k.y_int
        union = k.n_int_e[rows][:, None] + k.n_int_m[None, :]
        union -= common
        np.maximum(union, 1.0, out=union)
        common /= union
        del union
        common *= np.float32(k.int_weight)
        ranked += common
        del common

    if k.x_style is not None and k.y_style is not None:
        squared = k.x_style[rows] @ k.y_style  # -2 a.b
        squared += k.ss_e[rows][:, None]
        squared += k.ss_m[None, :]
        np.maximum(squared, 0.0, out=squared)
        np.sqrt(squared, out=squared)
        squared *= np.float32(k.style_weight / STYLE_MAX_DISTANCE)
        ranked -= squared
        del squared

    if k.lang_ok is not None:
        blocked |= ~np.take(k.lang_ok[k.lang_e[rows]], k.lang_m, axis=1)
    level = k.level_e[rows][:, None]
    if k.reverse:
        blocked |= k.level_m[None, :] > level - k.gap
    else:
        blocked |= k.level_m[None, :] < level + k.gap
    blocked |= k.team_e[rows][:, None] == k.team_m[None, :]
    ta, oa = k.tin_e[rows][:, None], k.tout_e[rows][:, None]
    tb, ob = k.tin_m[None, :], k.tout_m[None, :]
    blocked |= (ta <= tb) & (tb <= oa)  # the mentor is below the mentee
    blocked |= (tb <= ta) & (ta <= ob)  # the mentee is below the mentor
    for listed in (k.excluded, k.previous):
        sub = listed[rows].tocoo()
        blocked[sub.row, sub.col] = True

    np.copyto(ranked, np.float32(-np.inf), where=blocked)
    allowed = k.mentors - blocked.sum(axis=1)
    return ranked, k.y_lin[-1], allowed.astype(np.int64)


def sub_kernel(kernel: Kernel, cols: Int) -> Kernel:
    """The kernel restricted to mentors ``cols`` (scores and masks of those columns only, in
    that order): what the participation check scans, a few mentors against many mentees."""
    k = kernel

    def pick(a: np.ndarray | None, axis: int) -> np.ndarray | None:
        return None if a is None else np.ascontiguousarray(np.take(a, cols, axis=axis))

    y_lin = pick(k.y_lin, 1)
    y_hours = pick(k.y_hours, 1)
    assert y_lin is not None and y_hours is not None
    return replace(
        k,
        mentors=len(cols),
        y_lin=y_lin,
        y_hours=y_hours,
        y_int=pick(k.y_int, 1),
        n_int_m=k.n_int_m[cols],
        y_style=pick(k.y_style, 1),
        ss_m=k.ss_m[cols],
        lang_m=k.lang_m[cols],
        level_m=k.level_m[cols],
        team_m=k.team_m[cols],
        tin_m=k.tin_m[cols],
        tout_m=k.tout_m[cols],
        excluded=k.excluded[:, cols].tocsr(),
        previous=k.previous[:, cols].tocsr(),
    )
