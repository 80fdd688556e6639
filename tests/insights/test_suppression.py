"""Small-cell suppression: no published figure counts 1 to 4 people, and no hidden figure can be
recovered by subtracting one published figure from another (nor by any linear combination)."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from twoway.insights.suppression import (
    MIN_GROUP,
    SuppressedTable,
    suppress_breakdown,
    suppress_breakdown_with_total,
    suppress_table,
)

BASE = ["not_matched", "active", "completed", "ended_early"]
COLUMNS = ["not_matched", "matched", "active", "completed", "ended_early"]
SUBTOTALS = {"matched": ["active", "completed", "ended_early"]}

# Many small counts (the dangerous ones), some zeros and some large groups.
counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


def assert_safe(figures: list[tuple[frozenset[Hashable], int | None]], values: dict) -> None:
    published = [(cells, value) for cells, value in figures if value is not None]
    hidden = [cells for cells, value in figures if value is None and cells]
    for cells, value in published:
        assert not 0 < value < MIN_GROUP, f"published a cell of {value}"
        assert value == sum(values[c] for c in cells), "a published figure is not its true sum"
    published_sets = {cells for cells, _ in published}
    for secret in hidden:
        assert secret not in published_sets, "a hidden figure is published under another name"
        for a, _ in published:
            for b, _ in published:
                assert not (b | secret == a and not b & secret), (
                    "a hidden figure is the difference of two published ones"
                )
    # Stronger: no linear combination of published figures gives a hidden one exactly.
    index = {cell: i for i, cell in enumerate(values)}

    def vector(cells: frozenset[Hashable]) -> np.ndarray:
        out = np.zeros(len(index))
        for cell in cells:
            out[index[cell]] = 1
        return out

    if published:
        matrix = np.vstack([vector(cells) for cells, _ in published])
        rank = np.linalg.matrix_rank(matrix)
        for secret in hidden:
            extended = np.linalg.matrix_rank(np.vstack([matrix, vector(secret)]))
            assert extended > rank, "a hidden figure is a combination of published ones"


tables = st.integers(1, 7).flatmap(
    lambda rows: st.lists(
        st.fixed_dictionaries({column: counts for column in BASE}), min_size=rows, max_size=rows
    )
)


@settings(max_examples=150, deadline=None)
@given(
    rows=tables,
    row_filter=st.lists(st.booleans(), min_size=7, max_size=7),
    column_filter=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_no_table_publishes_a_small_or_recoverable_cell(
    rows: list[dict[str, int]], row_filter: list[bool], column_filter: list[bool]
) -> None:
    table = {f"group {i}": row for i, row in enumerate(rows)}
    # The whole table, then a random filter (some groups, some outcomes) suppressed afresh.
    filtered_rows = {k: v for (k, v), keep in zip(table.items(), row_filter, strict=False) if keep}
    kept = [c for c, keep in zip(BASE, column_filter, strict=True) if keep] or BASE[:1]
    for subset, base in ((table, BASE), (filtered_rows or table, kept)):
        columns = [c for c in COLUMNS if c in base or (c == "matched" and "active" in base)]
        subtotals = {"matched": [c for c in SUBTOTALS["matched"] if c in base]}
        published = suppress_table(
            {row: {c: values[c] for c in base} for row, values in subset.items()},
            columns=columns,
            subtotals=subtotals,
        )
        values = {(row, c): subset[row][c] for row in subset for c in base}
        assert_safe(_figures(published, subtotals), values)


def _figures(table: SuppressedTable, subtotals: dict[str, list[str]]) -> list:
    base = [column for column in table.columns if column not in subtotals]

    def parts(column: str) -> list[str]:
        return subtotals.get(column, [column])

    out: list[tuple[frozenset[Hashable], int | None]] = []
    for row in table.rows:
        for column in table.columns:
            out.append((frozenset((row, c) for c in parts(column)), table.cells[row, column]))
        out.append((frozenset((row, c) for c in base), table.row_totals[row]))
    for column in table.columns:
        cells = frozenset((row, c) for row in table.rows for c in parts(column))
        out.append((cells, table.column_totals[column]))
    out.append((frozenset((row, c) for row in table.rows for c in base), table.total))
    return out


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), counts, min_size=1))
def test_no_breakdown_publishes_a_small_or_recoverable_cell(breakdown: dict[str, int]) -> None:
    published = suppress_breakdown_with_total(breakdown)
    figures = [(frozenset([key]), value) for key, value in published.cells.items()]
    figures.append((frozenset(breakdown), published.total))
    assert_safe(figures, breakdown)


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    assert suppress_breakdown({"a": 3, "b": 10, "c": 20}) == {"a": None, "b": None, "c": 20}


def test_zero_is_published_and_large_groups_untouched() -> None:
    published = suppress_breakdown_with_total({"a": 5, "b": 0, "c": 10})
    assert published.cells == {"a": 5, "b": 0, "c": 10}
    assert published.total == 15


def test_a_small_total_hides_everything_zeros_included() -> None:
    published = suppress_breakdown_with_total({"a": 3, "b": 0})
    assert published.cells == {"a": None, "b": None}
    assert published.total is None


def test_hidden_cells_adding_up_to_a_small_group_are_protected_too() -> None:
    # With the total published, 12 - 10 would say "2 people are in a or b".
    published = suppress_breakdown_with_total({"a": 1, "b": 1, "c": 10})
    assert published.cells == {"a": None, "b": None, "c": None}
    assert published.total == 12


def test_a_table_hides_a_second_cell_in_the_row_and_in_the_column() -> None:
    table = suppress_table(
        {"x": {"p": 3, "q": 10, "r": 12}, "y": {"p": 20, "q": 30, "r": 40}},
        columns=["p", "q", "r"],
    )
    assert table.cells["x", "p"] is None
    assert sum(table.cells["x", c] is None for c in "pqr") >= 2
    assert sum(table.cells[row, "p"] is None for row in "xy") >= 2
    assert table.total == 115  # the grand total stays published
