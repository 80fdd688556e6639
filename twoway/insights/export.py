"""CSV and XLSX exports of a program's aggregates: the very figures of the dashboard, after the
same suppression (a suppressed figure is an empty cell, with a note saying why)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

from twoway.insights.selectors import OUTCOME_LABELS, ProgramHealth
from twoway.insights.suppression import MIN_GROUP, SuppressedTable
from twoway.programs.models import Program

SUPPRESSED_NOTE = (
    f"An empty figure is suppressed: it counts fewer than {MIN_GROUP} people, or could be "
    "worked out from the other figures by subtraction."
)

Row = list[Any]


def _table(title: str, table: SuppressedTable) -> Iterator[Row]:
    yield []
    yield [title]
    yield ["Group", *(OUTCOME_LABELS[c] for c in table.columns), "Total"]
    for row in table.rows:
        yield [row, *table.row(row), table.row_totals[row]]
    yield ["Total", *(table.column_totals[c] for c in table.columns), table.total]


def rows_of(program: Program, health: ProgramHealth) -> Iterator[Row]:
    """The export as rows of cells; ``None`` is a suppressed figure."""
    yield ["Program", program.name]
    yield ["Note", SUPPRESSED_NOTE]
    yield []
    yield ["Metric", "Value"]
    yield ["Invited", health.invited]
    yield ["Applied", health.applied]
    yield ["Approved", health.approved]
    yield ["Matched people", health.matched]
    yield ["Match rate (%)", health.match_rate]
    for status, n in health.mentorships.items():
        yield [f"Mentorships: {status.replace('_', ' ')}", n]
    yield ["Sessions held", health.sessions_held]
    yield ["Sessions expected", health.sessions_expected]
    yield ["Sessions held against rhythm (%)", health.rhythm_rate]
    for status, n in health.goals.items():
        yield [f"Goals: {status.replace('_', ' ')}", n]
    yield ["Pulse: mean (1-5)", health.pulse.mean]
    for rating, count in health.pulse.distribution.cells.items():
        yield [f"Pulse: rated {rating}", count]
    if health.satisfaction is not None:
        yield ["Satisfaction: mean (1-5)", health.satisfaction.mean]
        for rating, count in health.satisfaction.distribution.cells.items():
            yield [f"Satisfaction: {rating}", count]
    if health.recommend is not None:
        yield ["Recommend: score", health.recommend.score]
        for bucket, count in health.recommend.distribution.cells.items():
            yield [f"Recommend: {bucket}", count]
    yield from _table("Generations of consenting participants", health.generations)
    yield from _table("Gender of consenting participants", health.genders)


def as_csv(program: Program, health: ProgramHealth) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows_of(program, health):
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue().encode("utf-8")


def as_xlsx(program: Program, health: ProgramHealth) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Program health"
    for row in rows_of(program, health):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
