"""Small-cell suppression for every published aggregate (confidentiality rule 4).

A figure counting fewer than ``MIN_GROUP`` people is never published, and neither is any cell
whose value could be recovered by subtracting published figures (complementary suppression).

The rule, as applied by ``suppress_figures`` (``suppress_breakdown`` and ``suppress_table`` are
its two common shapes):

1. Every figure is a count over a set of *base cells* (a category of a breakdown, a cell of a
   table); a total or subtotal is the sum over its cells.
2. **Primary suppression.** A figure of 1 to 4 is hidden. 0 may be published. When a total is
   1 to 4, every figure inside it is hidden too, zeros included (a published 0 beside a hidden
   3 would say that all three share the other category).
3. **Complementary suppression**, repeated until nothing changes:

   a. *No exact recovery.* A hidden figure must not be a linear combination of published ones
      (``total - other cells`` is the simplest case, but rows and columns combined count too).
      When one is, the first published figure whose hiding protects it is hidden as well,
      trying non-zero before zero, single cells before subtotals and totals (so margins stay
      published where possible), and smaller before larger.
   b. *No small remainder.* For published figures ``a ⊃ b``, ``a - b`` counts the people in the
      hidden cells between them; it must be 0 or at least ``MIN_GROUP`` (a row ``[1, 1, 10]``
      with its total published would otherwise say "2 people are in the first two
      categories"). When it is not, ``b`` is hidden.

So in every row, column and margin relation a hidden cell has at least one hidden companion
(or the relation's total is hidden too), and the hidden part of a relation is either empty or
at least ``MIN_GROUP`` people. The rule is greedy, not optimal: it may hide more than the
smallest possible set, never less than safe.

Suppressed figures are ``None``; pages show them as "<5", exports leave them blank.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

MIN_GROUP = 5

K = TypeVar("K", bound=Hashable)


def _small(value: int) -> bool:
    return 0 < value < MIN_GROUP


@dataclass(frozen=True)
class _Span:
    """The span of the published figures (as rows), from one SVD."""

    u: np.ndarray
    singular: np.ndarray
    vt: np.ndarray
    rank: int

    @classmethod
    def of(cls, rows: list[np.ndarray], width: int) -> _Span:
        if not rows:
            return cls(np.zeros((0, 0)), np.zeros(0), np.eye(width), 0)
        u, singular, vt = np.linalg.svd(np.vstack(rows), full_matrices=True)
        return cls(u, singular, vt, int((singular > _EPS).sum()))

    def holds(self, vector: np.ndarray) -> bool:
        """Is the figure ``vector`` a linear combination of the published figures?"""
        return bool(np.abs(self.vt[self.rank :] @ vector).max(initial=0.0) < _EPS)

    def essential(self, vector: np.ndarray) -> np.ndarray:
        """For each published figure: does every way of writing ``vector`` from the published
        figures use it? (Hiding such a figure is what stops the recovery.) A figure is needed
        when it is not itself a combination of the others and its coefficient is not zero."""
        r = self.rank
        coefficients = self.u[:, :r] @ ((self.vt[:r] @ vector) / self.singular[:r])
        redundant = np.abs(self.u[:, r:]).max(axis=1, initial=0.0) > _EPS
        needed: np.ndarray = (~redundant) & (np.abs(coefficients) > _EPS)
        return needed


_EPS = 1e-9


def suppress_figures(
    cells: Mapping[Any, int], figures: Mapping[K, frozenset[Hashable]]
) -> dict[K, int | None]:
    """Each figure's value (the sum of its cells) or ``None`` when suppressed.

    ``cells`` are the base counts; ``figures`` maps each published figure's key to the set of
    cells it adds up. The module docstring states the rule.
    """
    index = {cell: i for i, cell in enumerate(cells)}
    vectors: dict[K, np.ndarray] = {}
    values: dict[K, int] = {}
    for key, members in figures.items():
        vector = np.zeros(len(index))
        for cell in members:
            vector[index[cell]] = 1.0
        vectors[key] = vector
        values[key] = sum(int(cells[cell]) for cell in members)
    hidden: set[K] = {key for key in figures if _small(values[key])}
    for key in list(hidden):  # a small total hides everything inside it
        hidden |= {other for other in figures if figures[other] <= figures[key]}

    def preference(key: K) -> tuple[int, int, int, str]:
        # Hide non-zero before zero, narrow figures (cells) before wide ones (totals), smallest
        # first; the key's text breaks ties so the result does not depend on dict order.
        return (values[key] == 0, len(figures[key]), values[key], repr(key))

    while True:
        changed = False
        published = [key for key in figures if key not in hidden]
        # b. no small remainder between two published figures
        for a in published:
            for b in published:
                if a == b or b in hidden or a in hidden:
                    continue
                if figures[b] < figures[a] and _small(values[a] - values[b]):
                    hidden.add(b)
                    changed = True
        # a. no hidden figure recoverable from the published ones
        published = [key for key in figures if key not in hidden]
        span = _Span.of([vectors[key] for key in published], len(index))
        for key in sorted(hidden, key=preference):
            if not figures[key] or not span.holds(vectors[key]):
                continue
            needed = span.essential(vectors[key])
            protecting = [other for other, flag in zip(published, needed, strict=True) if flag]
            hidden.add(min(protecting or published, key=preference))
            changed = True
            break
        if not changed:
            return {key: (None if key in hidden else values[key]) for key in figures}


def suppress_breakdown(counts: Mapping[str, int]) -> dict[str, int | None]:
    """A 1-D breakdown published with its total: each category's count or ``None``."""
    published = suppress_breakdown_with_total(counts)
    return published.cells


@dataclass(frozen=True)
class SuppressedBreakdown:
    cells: dict[str, int | None]
    total: int | None


TOTAL = ("total",)  # a key no category string can equal


def suppress_breakdown_with_total(counts: Mapping[str, int]) -> SuppressedBreakdown:
    figures: dict[object, frozenset[Hashable]] = {key: frozenset([key]) for key in counts}
    figures[TOTAL] = frozenset(counts)
    result = suppress_figures(counts, figures)
    return SuppressedBreakdown(
        cells={key: result[key] for key in counts}, total=result[TOTAL] if counts else 0
    )


@dataclass(frozen=True)
class SuppressedTable:
    """A table as published: rows-by-columns (subtotal columns included), each row's total,
    each column's total and the grand total; ``None`` where suppressed."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None

    def row(self, row: str) -> list[int | None]:
        return [self.cells[row, column] for column in self.columns]

    @property
    def lines(self) -> list[tuple[str, list[int | None], int | None]]:
        """(row, its figures in column order, its total), for templates."""
        return [(row, self.row(row), self.row_totals[row]) for row in self.rows]

    @property
    def column_line(self) -> list[int | None]:
        return [self.column_totals[column] for column in self.columns]

    def published(self) -> list[int]:
        """Every figure that is published (for checks)."""
        figures = [*self.cells.values(), *self.row_totals.values(), *self.column_totals.values()]
        return [value for value in [*figures, self.total] if value is not None]


def suppress_table(
    table: Mapping[str, Mapping[str, int]],
    *,
    columns: Sequence[str],
    subtotals: Mapping[str, Sequence[str]] | None = None,
) -> SuppressedTable:
    """Suppress a rows-by-columns table published with its margins.

    ``columns`` is the display order; a column named in ``subtotals`` is the sum of the base
    columns listed for it (e.g. "matched" = active + completed + ended early) and is published
    as a figure of its own. A row's total is the sum of its base columns.
    """
    subtotals = dict(subtotals or {})
    base = [column for column in columns if column not in subtotals]
    rows = list(table)
    cells = {(row, column): int(table[row].get(column, 0)) for row in rows for column in base}

    def of(row_set: Sequence[str], column_set: Sequence[str]) -> frozenset[Hashable]:
        return frozenset((row, column) for row in row_set for column in column_set)

    def parts(column: str) -> list[str]:
        return list(subtotals.get(column, [column]))

    figures: dict[object, frozenset[Hashable]] = {}
    for column in columns:
        for row in rows:
            figures["cell", row, column] = of([row], parts(column))
        figures["column", column] = of(rows, parts(column))
    for row in rows:
        figures["row", row] = of([row], base)
    figures[TOTAL] = of(rows, base)
    result = suppress_figures(cells, figures)
    return SuppressedTable(
        rows=rows,
        columns=list(columns),
        cells={(row, column): result["cell", row, column] for row in rows for column in columns},
        row_totals={row: result["row", row] for row in rows},
        column_totals={column: result["column", column] for column in columns},
        total=result[TOTAL],
    )
