"""Reporting lines as materialised paths — pure functions, no Django import.

A person's ``chain_path`` is the concatenation of fixed-width segments, one per manager, top
first. Because every segment has the same width and ends in ``/``, a prefix of a path always
ends on a segment boundary, so:

* Y reports to X (at any depth)  ⇔  ``Y.chain_path`` starts with ``X.chain_path + segment(X)``
* "Is X anywhere in Y's chain, above or below?" is two prefix tests: constant time per pair.
* Everyone under X is one indexed range query on ``chain_path``.

Sorting full paths (``chain_path + segment(id)``) lists people in depth-first pre-order, so
each subtree is a contiguous run; ``chain_intervals`` turns that into Euler-tour intervals
(``tin``, ``tout``) that the matching engine tests for millions of pairs at once with numpy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

SEGMENT_WIDTH = 11  # ten digits and a slash: ids up to 9,999,999,999


def segment(person_id: int) -> str:
    return f"{person_id:010d}/"


def depth(chain_path: str) -> int:
    """How many managers sit above a person with this ``chain_path``."""
    return len(chain_path) // SEGMENT_WIDTH


def ancestor_ids(chain_path: str) -> list[int]:
    """The manager ids in a ``chain_path``, top first."""
    return [
        int(chain_path[i : i + SEGMENT_WIDTH - 1]) for i in range(0, len(chain_path), SEGMENT_WIDTH)
    ]


def full_path(person_id: int, chain_path: str) -> str:
    return chain_path + segment(person_id)


def in_chain(a_id: int, a_chain_path: str, b_id: int, b_chain_path: str) -> bool:
    """True when a and b are the same person or one reports to the other at any depth."""
    a_full = a_chain_path + segment(a_id)
    b_full = b_chain_path + segment(b_id)
    return a_full.startswith(b_full) or b_full.startswith(a_full)


class CycleError(ValueError):
    """The reporting lines loop; ``cycle`` lists the keys in order, first repeated at the end."""

    def __init__(self, cycle: Sequence[object]) -> None:
        self.cycle = list(cycle)
        super().__init__(" → ".join(str(c) for c in self.cycle))


def find_cycle(parents: Mapping[object, object | None]) -> list[object] | None:
    """The first reporting-line cycle in ``parents`` (key → manager key), or None.

    Linear time: each key is walked once; the walk colours keys as on-stack / done.
    """
    state: dict[object, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    for start in parents:
        if state.get(start) == 2:
            continue
        walk: list[object] = []
        node: object | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parents.get(node)
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node) :]
            return [*cycle, node]
        for visited in walk:
            state[visited] = 2
    return None


def build_chain_paths(parents: Mapping[int, int | None]) -> dict[int, str]:
    """``chain_path`` for every id in ``parents`` (id → manager id or None).

    A manager id that is not itself a key is treated as a root. Raises ``CycleError``.
    """
    cycle = find_cycle(parents)  # type: ignore[arg-type]
    if cycle is not None:
        raise CycleError(cycle)
    paths: dict[int, str] = {}
    for person_id in parents:
        # Walk up to someone whose path is known (or a root), then fill the walk top-down.
        # Iterative: org charts can be deeper than Python's recursion limit allows.
        pending: list[int] = []
        node = person_id
        while node not in paths:
            manager = parents.get(node)
            if manager is None or manager not in parents:
                paths[node] = ""
                break
            pending.append(node)
            node = manager
        for waiting in reversed(pending):
            manager = parents[waiting]
            assert manager is not None
            paths[waiting] = paths[manager] + segment(manager)
    return paths


def chain_intervals(
    ids: Sequence[int] | npt.NDArray[np.int64], chain_paths: Iterable[str]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Euler-tour intervals for the given people, aligned with ``ids``.

    ``tin[i] <= tin[j] <= tout[i]`` exactly when person j is person i or reports to them at any
    depth. Only people present in ``ids`` are counted, which is all the engine needs as long as
    whole organisations are passed (or the pool plus their managers).
    """
    ids_arr = np.asarray(ids, dtype=np.int64)
    full = np.array(
        [p + segment(int(i)) for i, p in zip(ids_arr.tolist(), chain_paths, strict=True)],
        dtype=object,
    )
    order = np.argsort(full, kind="stable")
    sorted_full = full[order].astype(str)
    # Everything in the subtree of x sorts in [x_full, x_full + "~"): "~" is above "/" and digits.
    upper = np.char.add(sorted_full, "~")
    ends = np.searchsorted(sorted_full, upper, side="left") - 1
    tin = np.empty(len(ids_arr), dtype=np.int64)
    tout = np.empty(len(ids_arr), dtype=np.int64)
    tin[order] = np.arange(len(ids_arr), dtype=np.int64)
    tout[order] = ends
    return tin, tout


def pairs_in_chain(
    tin: npt.NDArray[np.int64],
    tout: npt.NDArray[np.int64],
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """Vectorised ``in_chain`` over index arrays ``a`` and ``b`` into ``tin``/``tout``."""
    ta, tb = tin[a], tin[b]
    return ((ta <= tb) & (tb <= tout[a])) | ((tb <= ta) & (ta <= tout[b]))
