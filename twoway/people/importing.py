"""HRIS import: read a CSV or XLSX export, check every row, then upsert the directory in bulk.

The import is all-or-nothing. Every row is checked before anything is written; one bad row
among 100,000 refuses the file with a report naming row, column and reason. Writes are planned
against a snapshot of the directory and touch only what differs, so rerunning the same file
writes nothing. People are inserted layer by layer down the reporting lines, so each one is
written once, with its manager and ``chain_path`` already right. See ADR 0003.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, models, transaction
from django.utils import timezone

from twoway.core.errors import FileValidationError, ValidationReport
from twoway.core.models import Organisation
from twoway.people import reporting_lines
from twoway.people.columns import COLUMNS, LIST_SEPARATOR, REQUIRED_COLUMNS
from twoway.people.models import Department, Level, Person, PersonTopic, Team, Topic, topic_key

Progress = Callable[[str, int, int], None]  # (stage, done, total)

MAX_ERRORS = 10_000  # a report longer than this helps nobody; the count is still exact
BATCH = 2_000
TEXT_LIMITS: dict[str, int] = {
    name: Person._meta.get_field(name).max_length or 100  # type: ignore[union-attr]
    for name in ("employee_id", "first_name", "last_name", "job_title", "location")
}
TOPIC_LIMIT = Topic._meta.get_field("name").max_length or 100
UNIT_LIMIT = Department._meta.get_field("name").max_length or 200
RELATION_COLUMNS = {
    "skills": (PersonTopic.Relation.SHARES, Topic.Kind.SKILL),
    "learning_topics": (PersonTopic.Relation.LEARNS, Topic.Kind.SKILL),
    "interests": (PersonTopic.Relation.INTEREST, Topic.Kind.INTEREST),
}
# The Person fields an import may set, compared against the directory to find what changed.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "job_title",
    "level",
    "department_id",
    "team_id",
    "location",
    "time_zone",
    "hire_date",
    "languages",
)
COLUMN_FIELDS = {  # file column → Person fields it sets
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "email": ("email",),
    "job_title": ("job_title",),
    "level": ("level",),
    "department": ("department_id",),
    "team": ("team_id",),
    "location": ("location",),
    "time_zone": ("time_zone",),
    "hire_date": ("hire_date",),
    "languages": ("languages",),
}


# --- Reading files ------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A file as headers and rows of text; row ``i`` is spreadsheet row ``i + 2``."""

    headers: list[str]
    rows: list[list[str]]


def _refuse(message: str, *, row: int = 1, column: str = "", value: str = "") -> NoReturn:
    report = ValidationReport()
    report.add(row, column, message, value)
    raise FileValidationError(message, report=report)


def table_read(*, content: bytes, filename: str) -> Table:
    """Read an uploaded CSV (UTF-8, any of , ; or tab) or XLSX file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_read(content)
    elif name.endswith((".csv", ".txt", ".tsv")):
        table = _csv_read(content)
    else:
        _refuse(f"{filename!r} is neither a .csv nor an .xlsx file.", column="(file)")
    if not table.rows:
        _refuse("The file has no rows below the header.", column="(file)")
    return table


def _csv_read(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = content[: error.start].count(b"\n") + 1
        _refuse(
            f"The file is not UTF-8 text: the first bad byte is on row {row}. "
            "Save it as “CSV UTF-8” and upload it again.",
            row=row,
            column="(file)",
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        _refuse("The file is empty.", column="(file)")
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    return Table(headers=[h.strip() for h in headers], rows=rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_read(content: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        _refuse("The file is not a readable .xlsx workbook.", column="(file)")
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        headers = [_cell_text(v).strip() for v in next(values)]
    except StopIteration:
        _refuse("The first sheet of the workbook is empty.", column="(file)")
    rows = [[_cell_text(v) for v in row] for row in values if any(v is not None for v in row)]
    workbook.close()
    return Table(headers=headers, rows=rows)


def _normalise_header(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("-", " ").lower().split())


def columns_guess(headers: Sequence[str]) -> dict[str, str]:
    """Canonical column → the file header that most likely holds it (HRIS aliases)."""
    by_normal = {_normalise_header(h): h for h in headers if h}
    guess: dict[str, str] = {}
    for column, aliases in COLUMNS.items():
        for alias in (column, *aliases):
            header = by_normal.get(_normalise_header(alias))
            if header is not None and header not in guess.values():
                guess[column] = header
                break
    return guess


def rows_from_table(table: Table, mapping: Mapping[str, str]) -> list[dict[str, str]]:
    """The table's rows keyed by canonical column, for the columns in ``mapping``.

    Refuses a mapping that leaves out a required column or names a header the file lacks.
    """
    report = ValidationReport()
    for column in REQUIRED_COLUMNS:
        if not mapping.get(column):
            report.add(1, column, "required column missing: map a column of the file to it")
    index = {h: i for i, h in enumerate(table.headers)}
    for column, header in mapping.items():
        if column not in COLUMNS:
            report.add(1, column, "not a directory column", header)
        elif header and header not in index:
            report.add(1, column, "the file has no column with this header", header)
    if report:
        raise FileValidationError("The columns of the file do not fit.", report=report)
    picks = [(column, index[header]) for column, header in mapping.items() if header]
    return [
        {column: (row[i].strip() if i < len(row) else "") for column, i in picks}
        for row in table.rows
    ]


# --- Importing ------------------------------------------------------------------------------


@dataclass
class PersonChange:
    employee_id: str
    name: str
    action: str  # "create", "update", "deactivate"
    fields: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    dry_run: bool = False
    changes: list[PersonChange] = field(default_factory=list)  # the first few, for a preview

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "dry_run": self.dry_run,
            "changes": [vars(c) for c in self.changes],
        }


PREVIEW_CHANGES = 50
MAX_DEPTH = (
    Person._meta.get_field("chain_path").max_length or 2000
) // reporting_lines.SEGMENT_WIDTH


def _depths(parents: Mapping[str, str | None]) -> dict[str, int]:
    """How many managers sit above each person (iterative: reporting lines can be deep)."""
    depth: dict[str, int] = {}
    for employee_id in parents:
        walk = []
        node: str | None = employee_id
        while node is not None and node not in depth:
            walk.append(node)
            node = parents.get(node)
        base = -1 if node is None else depth[node]
        for i, waiting in enumerate(reversed(walk)):
            depth[waiting] = base + 1 + i
    return depth


class _DryRun(Exception):
    pass


def directory_import(
    *,
    actor: Any,
    organisation: Organisation,
    rows: Iterable[Mapping[str, str]],
    dry_run: bool = False,
    deactivate_missing: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Upsert the directory from ``rows`` (canonical column → text; see ``columns.py``).

    Raises ``FileValidationError`` naming every bad row and writes nothing then. With
    ``dry_run`` everything is checked and written inside a transaction that is rolled back, so
    the counts are exactly what a real import would do.
    """
    report_progress = progress or (lambda stage, done, total: None)
    plan = _Plan(organisation=organisation, rows=list(rows), progress=report_progress)
    plan.check()
    if plan.report:
        count = len(plan.report.errors)
        raise FileValidationError(
            f"{plan.error_count} problem{'s' if plan.error_count != 1 else ''} in the file"
            f"{f' (the first {count} listed)' if count < plan.error_count else ''}; "
            "nothing was imported.",
            report=plan.report,
        )
    result = ImportResult(rows=len(plan.rows), dry_run=dry_run)
    report_progress("writing", 0, len(plan.rows))
    try:
        with transaction.atomic():
            plan.write(result=result, deactivate_missing=deactivate_missing)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report_progress("done", len(plan.rows), len(plan.rows))
    return result


@dataclass
class _Row:
    number: int
    employee_id: str
    values: dict[str, Any]  # Person field → value, for the columns in the file
    manager_employee_id: str | None  # None: keep the current manager (column absent)
    topics: dict[str, dict[str, str]]  # relation column → {topic key: name}


class _Plan:
    """Check and write one import. Holds the snapshot of the directory it plans against."""

    def __init__(
        self, *, organisation: Organisation, rows: list[Mapping[str, str]], progress: Progress
    ) -> None:
        self.organisation = organisation
        self.raw = rows
        self.progress = progress
        self.report = ValidationReport()
        self.error_count = 0
        self.columns: set[str] = set(rows[0]) if rows else set()
        self.rows: list[_Row] = []

    def error(self, row: int, column: str, reason: str, value: str = "") -> None:
        self.error_count += 1
        if len(self.report.errors) < MAX_ERRORS:
            self.report.add(row, column, reason, value)

    # -- checking --

    def check(self) -> None:
        if not self.raw:
            self.error(1, "(file)", "the file has no rows below the header")
            return
        for column in REQUIRED_COLUMNS:
            if column not in self.columns:
                self.error(1, column, "required column missing")
        if self.report:
            return
        org = self.organisation
        self.levels = set(Level.objects.filter(organisation=org).values_list("number", flat=True))
        self.time_zones = zoneinfo.available_timezones()
        existing = Person.objects.filter(organisation=org).values_list(
            "id", "employee_id", "manager_id", "chain_path", "is_active", *PERSON_FIELDS
        )
        self.existing: dict[str, dict[str, Any]] = {}
        for values in existing.iterator(chunk_size=5_000):
            person_id, employee_id, manager_id, chain_path, is_active, *fields = values
            self.existing[employee_id] = {
                "id": person_id,
                "manager_id": manager_id,
                "chain_path": chain_path,
                "is_active": is_active,
                **dict(zip(PERSON_FIELDS, fields, strict=True)),
            }
        seen: dict[str, int] = {}
        total = len(self.raw)
        for i, raw in enumerate(self.raw):
            if i % 5_000 == 0:
                self.progress("checking", i, total)
            employee_id = (raw.get("employee_id") or "").strip()
            if employee_id in seen:  # checked even when the row has other problems
                self.error(
                    i + 2,
                    "employee_id",
                    f"duplicate employee id (also on row {seen[employee_id]})",
                    employee_id,
                )
            elif employee_id:
                seen[employee_id] = i + 2
            row = self._check_row(i + 2, raw)
            if row is not None and seen.get(row.employee_id) == row.number:
                self.rows.append(row)
        self.progress("checking", total, total)
        self._check_managers()

    def _check_row(self, number: int, raw: Mapping[str, str]) -> _Row | None:
        errors_before = self.error_count
        get = lambda column: (raw.get(column) or "").strip()  # noqa: E731
        employee_id = get("employee_id")
        values: dict[str, Any] = {}
        if not employee_id:
            self.error(number, "employee_id", "employee id is empty")
        if not get("first_name"):
            self.error(number, "first_name", "first name is empty")
        for column, limit in TEXT_LIMITS.items():
            if column in self.columns:
                text = get(column)
                if len(text) > limit:
                    self.error(number, column, f"longer than {limit} characters", text[:40] + "…")
                values[column] = text
        values.pop("employee_id", None)
        if "email" in self.columns:
            email = get("email").lower()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.error(number, "email", "invalid email address", email)
            values["email"] = email
        if "level" in self.columns:
            values["level"] = self._check_level(number, get("level"))
        for column in ("department", "team"):
            if column in self.columns:
                name = " ".join(get(column).split())
                if len(name) > UNIT_LIMIT:
                    self.error(number, column, f"longer than {UNIT_LIMIT} characters", name[:40])
                values[f"{column}_id"] = name  # resolved to an id when written
        if "time_zone" in self.columns:
            zone = get("time_zone") or self.organisation.default_time_zone
            if zone not in self.time_zones:
                self.error(number, "time_zone", "invalid time zone (use e.g. Europe/London)", zone)
            values["time_zone"] = zone
        if "hire_date" in self.columns:
            values["hire_date"] = self._check_date(number, get("hire_date"))
        if "languages" in self.columns:
            values["languages"] = self._check_languages(number, get("languages"))
        topics: dict[str, dict[str, str]] = {}
        for column in RELATION_COLUMNS:
            if column in self.columns:
                topics[column] = self._check_topics(number, column, get(column))
        manager = get("manager_employee_id") if "manager_employee_id" in self.columns else None
        if manager is not None and manager == employee_id and employee_id:
            self.error(
                number,
                "manager_employee_id",
                "a person cannot be their own manager",
                manager,
            )
        if self.error_count > errors_before:
            return None
        return _Row(number, employee_id, values, manager, topics)

    def _check_level(self, number: int, text: str) -> int | None:
        if not text:
            return None
        try:
            level = int(text)
        except ValueError:
            self.error(number, "level", "level must be a whole number", text)
            return None
        if level not in self.levels:
            known = f"{min(self.levels)} to {max(self.levels)}" if self.levels else "none"
            self.error(number, "level", f"unknown level (levels defined: {known})", text)
        return level

    def _check_date(self, number: int, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            self.error(number, "hire_date", "invalid date (use YYYY-MM-DD)", text)
            return None

    def _check_languages(self, number: int, text: str) -> list[str]:
        codes = []
        for part in text.replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR):
            code = part.strip().lower().replace("_", "-")
            if not code:
                continue
            if code not in LANG_INFO:
                self.error(
                    number, "languages", "unknown language code (use e.g. en, fr, pt-br)", code
                )
            elif code not in codes:
                codes.append(code)
        return codes

    def _check_topics(self, number: int, column: str, text: str) -> dict[str, str]:
        names: dict[str, str] = {}
        for part in text.split(LIST_SEPARATOR):
            name = " ".join(part.split())
            if not name:
                continue
            if len(name) > TOPIC_LIMIT:
                self.error(number, column, f"a topic is longer than {TOPIC_LIMIT} characters", name)
            names.setdefault(topic_key(name), name)
        return names

    def _check_managers(self) -> None:
        """Every manager exists in the file or the directory; the result has no cycle."""
        in_file = {row.employee_id: row for row in self.rows}
        if "manager_employee_id" not in self.columns:
            return
        # A manager whose own row is bad is still in the file: report only their row.
        named = {(r.get("employee_id") or "").strip() for r in self.raw}
        for row in self.rows:
            manager = row.manager_employee_id
            if manager and manager not in named and manager not in self.existing:
                self.error(
                    row.number,
                    "manager_employee_id",
                    "unknown manager: no one with this employee id in the file or the directory",
                    manager,
                )
        # The cycle and depth checks see the rows that passed (and the directory), so one
        # upload reports them alongside any field errors.
        parents = self._final_parents()
        cycle = reporting_lines.find_cycle(parents)  # type: ignore[arg-type]
        if cycle is not None:
            names = [self._label(str(e)) for e in cycle]
            first = in_file.get(str(cycle[0]))
            self.error(
                first.number if first else 1,
                "manager_employee_id",
                "reporting-line cycle: " + " → ".join(names),
                str(cycle[1]),
            )

        if cycle is None:
            too_deep = [
                (d, e) for e, d in _depths(parents).items() if d > MAX_DEPTH and e in in_file
            ]
            for d, employee_id in sorted(too_deep, key=lambda x: in_file[x[1]].number)[:100]:
                self.error(
                    in_file[employee_id].number,
                    "manager_employee_id",
                    f"reporting line too long: {d} managers above this person "
                    f"(at most {MAX_DEPTH})",
                    in_file[employee_id].manager_employee_id or "",
                )

    def _label(self, employee_id: str) -> str:
        if not hasattr(self, "_names"):
            self._names = {
                (r.get("employee_id") or "").strip(): f"{r.get('first_name') or ''} "
                f"{r.get('last_name') or ''}".strip()
                for r in self.raw
            }
        name = self._names.get(employee_id)
        if name is None:
            person = self.existing.get(employee_id, {})
            name = f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
        return f"{name} ({employee_id})" if name else employee_id

    def _final_parents(self) -> dict[str, str | None]:
        """employee id → manager employee id, as the directory will be after the import."""
        by_id = {p["id"]: e for e, p in self.existing.items()}
        parents: dict[str, str | None] = {
            e: by_id.get(p["manager_id"]) for e, p in self.existing.items()
        }
        for row in self.rows:
            if row.manager_employee_id is not None:
                parents[row.employee_id] = row.manager_employee_id or None
            else:
                parents.setdefault(row.employee_id, None)
        return parents

    # -- writing --

    def write(self, *, result: ImportResult, deactivate_missing: bool) -> None:
        org = self.organisation
        departments = self._units(Department, "department_id")
        teams = self._units(Team, "team_id", departments=departments)
        for row in self.rows:
            if "department_id" in row.values:
                row.values["department_id"] = departments.get(row.values["department_id"])
            if "team_id" in row.values:
                row.values["team_id"] = teams.get(row.values["team_id"])

        parents = self._final_parents()
        in_file = {row.employee_id: row for row in self.rows}
        depth = _depths(parents)
        layers: dict[int, list[str]] = defaultdict(list)
        for employee_id, d in depth.items():
            layers[d].append(employee_id)

        ids = {e: p["id"] for e, p in self.existing.items()}
        now = timezone.now()
        defaults: dict[str, Any] = {
            **{f: "" for f in ("first_name", "last_name", "email", "job_title", "location")},
            **{f: None for f in ("level", "department_id", "team_id", "hire_date")},
            "time_zone": org.default_time_zone,
            "languages": [],
        }
        full_paths: dict[str, str] = {}
        # Grouped by the fields that changed: bulk_update writes every listed field of every row.
        updates: dict[frozenset[str], list[Person]] = defaultdict(list)
        done = 0
        for d in sorted(layers):
            creates: list[tuple[str, dict[str, Any], int | None, str]] = []
            for employee_id in layers[d]:
                manager = parents[employee_id]
                manager_id = ids[manager] if manager else None
                chain_path = full_paths[manager] if manager else ""
                file_row = in_file.get(employee_id)
                current = self.existing.get(employee_id)
                if current is None:
                    assert file_row is not None
                    creates.append(
                        (employee_id, {**defaults, **file_row.values}, manager_id, chain_path)
                    )
                    continue
                changed: dict[str, Any] = {}
                if file_row is not None:
                    changed = {f: v for f, v in file_row.values.items() if current[f] != v}
                    if not current["is_active"]:
                        changed["is_active"] = True
                if current["manager_id"] != manager_id:
                    changed["manager_id"] = manager_id
                if current["chain_path"] != chain_path:
                    changed["chain_path"] = chain_path
                full_paths[employee_id] = chain_path + reporting_lines.segment(current["id"])
                if changed:
                    updates[frozenset(changed)].append(Person(pk=current["id"], **changed))
                if file_row is None:
                    continue  # moved along with a manager: not a change of theirs
                if set(changed) - {"chain_path"}:
                    result.updated += 1
                    self._note(result, employee_id, "update", sorted(set(changed) - {"chain_path"}))
                else:
                    result.unchanged += 1
            if creates:
                self._create_people(creates, ids=ids, now=now)
                for employee_id, _, _, chain_path in creates:
                    full_paths[employee_id] = chain_path + reporting_lines.segment(ids[employee_id])
                    self._note(result, employee_id, "create")
                result.created += len(creates)
            done += len(layers[d])
            self.progress("writing", min(done, len(self.rows)), len(self.rows))
        for fields, people in updates.items():
            Person.objects.bulk_update(people, sorted(fields), batch_size=500)

        self._write_topics(ids)
        if deactivate_missing:
            missing = [
                p["id"] for e, p in self.existing.items() if p["is_active"] and e not in in_file
            ]
            for start in range(0, len(missing), 500):
                Person.objects.filter(pk__in=missing[start : start + 500]).update(is_active=False)
            result.deactivated = len(missing)
            for e, p in self.existing.items():
                if p["is_active"] and e not in in_file:
                    self._note(result, e, "deactivate")

    def _create_people(
        self,
        creates: list[tuple[str, dict[str, Any], int | None, str]],
        *,
        ids: dict[str, int],
        now: dt.datetime,
    ) -> None:
        """Insert one layer of new people and learn their ids (rows above ``last`` are ours:
        the import holds the write lock on SQLite, and on PostgreSQL others' uncommitted rows
        are invisible)."""
        people = Person.objects.filter(organisation=self.organisation)
        last = people.order_by("-pk").values_list("pk", flat=True).first() or 0
        _insert_many(
            Person,
            [
                "organisation",
                "employee_id",
                "manager",
                "chain_path",
                *PERSON_FIELDS,
                "is_active",
                "created_at",
                "updated_at",
            ],
            [
                (
                    self.organisation.pk,
                    employee_id,
                    manager_id,
                    chain_path,
                    *(values[f] for f in PERSON_FIELDS),
                    True,
                    now,
                    now,
                )
                for employee_id, values, manager_id, chain_path in creates
            ],
        )
        ids.update(people.filter(pk__gt=last).values_list("employee_id", "pk").iterator(5_000))

    def _note(
        self, result: ImportResult, employee_id: str, action: str, fields: list[str] | None = None
    ) -> None:
        if len(result.changes) < PREVIEW_CHANGES:
            labels = [f.removesuffix("_id") for f in fields or []]
            name = self._label(employee_id).removesuffix(f" ({employee_id})")
            result.changes.append(PersonChange(employee_id, name, action, labels))

    def _units(
        self,
        model: type[Department] | type[Team],
        key: str,
        departments: dict[str, int] | None = None,
    ) -> dict[str, int]:
        """Name → id for the departments or teams the file names, creating the new ones."""
        names = {row.values[key] for row in self.rows if row.values.get(key)}
        if not names:
            return {}
        known = dict(model.objects.filter(organisation=self.organisation).values_list("name", "id"))
        new = sorted(names - set(known))
        if new:
            if model is Team:
                first_department: dict[str, int | None] = {}
                for row in self.rows:
                    team = row.values.get("team_id")
                    if team and team not in first_department and departments is not None:
                        first_department[team] = departments.get(
                            row.values.get("department_id") or ""
                        )
                Team.objects.bulk_create(
                    [
                        Team(
                            organisation=self.organisation,
                            name=n,
                            department_id=first_department.get(n),
                        )
                        for n in new
                    ]
                )
            else:
                Department.objects.bulk_create(
                    [Department(organisation=self.organisation, name=n) for n in new]
                )
            known = dict(
                model.objects.filter(organisation=self.organisation).values_list("name", "id")
            )
        return known

    def _write_topics(self, ids: Mapping[str, int]) -> None:
        """Make each person's topic links those of the file, for the topic columns it has."""
        columns = [c for c in RELATION_COLUMNS if c in self.columns]
        if not columns:
            return
        org = self.organisation
        kinds = {RELATION_COLUMNS[c][1] for c in columns}
        wanted_names: dict[tuple[str, str], str] = {}
        for row in self.rows:
            for column, names in row.topics.items():
                kind = RELATION_COLUMNS[column][1]
                for key, name in names.items():
                    wanted_names.setdefault((kind, key), name)
        topic_ids = {
            (kind, key): pk
            for kind, key, pk in Topic.objects.filter(organisation=org, kind__in=kinds).values_list(
                "kind", "key", "id"
            )
        }
        new_topics = [
            Topic(organisation=org, kind=kind, name=name, key=key)
            for (kind, key), name in wanted_names.items()
            if (kind, key) not in topic_ids
        ]
        if new_topics:
            Topic.objects.bulk_create(new_topics, batch_size=BATCH)
            topic_ids = {
                (kind, key): pk
                for kind, key, pk in Topic.objects.filter(
                    organisation=org, kind__in=kinds
                ).values_list("kind", "key", "id")
            }
        relations = [RELATION_COLUMNS[c][0] for c in columns]
        in_file = {ids[row.employee_id] for row in self.rows}
        current: dict[tuple[int, str, int], int] = {}
        links = PersonTopic.objects.filter(organisation=org, relation__in=relations).values_list(
            "id", "person_id", "relation", "topic_id"
        )
        for link_id, person_id, link_relation, topic_id in links.iterator(chunk_size=10_000):
            if person_id in in_file:
                current[(person_id, link_relation, topic_id)] = link_id
        kept: set[tuple[int, str, int]] = set()
        now = timezone.now()
        to_add = []
        for row in self.rows:
            person_id = ids[row.employee_id]
            for column, names in row.topics.items():
                relation, kind = RELATION_COLUMNS[column]
                for key in names:
                    link = (person_id, relation, topic_ids[(kind, key)])
                    if link in current:
                        kept.add(link)
                    else:
                        to_add.append((org.pk, *link, now, now))
        stale = [link_id for link, link_id in current.items() if link not in kept]
        for start in range(0, len(stale), 500):
            PersonTopic.objects.filter(pk__in=stale[start : start + 500]).delete()
        _insert_many(
            PersonTopic,
            ["organisation", "person", "relation", "topic", "created_at", "updated_at"],
            to_add,
        )


def _insert_many(model: type[models.Model], fields: list[str], values: list[tuple]) -> None:
    """Insert plain rows without building model instances: COPY on PostgreSQL, executemany on
    SQLite. Topic links run to ten per person; through ``bulk_create`` they took most of an
    import's time (see ADR 0003). Only for rows with no defaults or signals to honour."""
    if not values:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)  # type: ignore[union-attr,arg-type]
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row([json.dumps(v) if isinstance(v, list) else v for v in row])
            return
        rows = [tuple(map(_sqlite_value, row)) for row in values]
        placeholders = ", ".join(["%s"] * len(fields))
        for start in range(0, len(rows), 50_000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                rows[start : start + 50_000],  # type: ignore[arg-type]
            )


@functools.lru_cache(maxsize=8)
def _sqlite_datetime(value: dt.datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def _sqlite_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return _sqlite_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value)
    return value
