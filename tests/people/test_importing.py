"""The HRIS import: upsert by employee id, all-or-nothing, reports naming row/column/reason."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from tests.core.factories import OrganisationFactory
from twoway.core.errors import FileValidationError
from twoway.core.models import Organisation
from twoway.people import reporting_lines
from twoway.people.exporting import directory_export_rows
from twoway.people.importing import (
    columns_guess,
    directory_import,
    rows_from_table,
    table_read,
)
from twoway.people.models import Department, Person, PersonTopic, Team, Topic

pytestmark = pytest.mark.django_db

HEADER = (
    "Employee ID,First Name,Last Name,Email,Job Title,Grade,Department,Team,Manager ID,"
    "Location,Time Zone,Hire Date,Languages,Skills,Learning topics,Interests"
)
ROWS = [
    "E1,Ada,Lovelace,ada@acme.test,CEO,8,Executive,Board,,London,Europe/London,2005-03-01,en;fr,"
    "Strategy;Inclusive leadership,Generative AI,Chess",
    "E2,Grace,Hopper,grace@acme.test,CTO,7,Engineering,Platform,E1,New York,America/New_York,"
    "2010-06-15,en,Strategy,TikTok marketing,Sailing",
    "E3,Alan,Turing,alan@acme.test,Engineer,3,Engineering,Platform,E2,London,Europe/London,"
    "2019-01-07,en;de,Generative AI;Python,Inclusive leadership,Running",
    "E4,Lin,Chen,lin@acme.test,Analyst,1,Engineering,Data,E3,Singapore,Asia/Singapore,"
    "2024-09-02,en;zh-hans,Social media,Negotiation,",
]


def csv_bytes(header: str = HEADER, rows: list[str] | None = None) -> bytes:
    return ("\n".join([header, *(ROWS if rows is None else rows)]) + "\n").encode()


def import_csv(organisation: Organisation, content: bytes, **kwargs: Any) -> Any:
    table = table_read(content=content, filename="people.csv")
    rows = rows_from_table(table, columns_guess(table.headers))
    return directory_import(actor=None, organisation=organisation, rows=rows, **kwargs)


def refused(organisation: Organisation, content: bytes, **kwargs: Any) -> list[tuple]:
    before = Person.objects.count()
    with pytest.raises(FileValidationError) as caught:
        import_csv(organisation, content, **kwargs)
    assert Person.objects.count() == before, "a refused file must write nothing"
    return [(e.row, e.column, e.reason) for e in caught.value.report.errors]


@pytest.fixture
def org() -> Organisation:
    return OrganisationFactory(slug="acme")


def test_a_first_import_builds_the_directory_with_reporting_lines_and_topics(org):
    result = import_csv(org, csv_bytes())

    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    people = {p.employee_id: p for p in Person.objects.filter(organisation=org)}
    assert people["E3"].manager == people["E2"] and people["E1"].manager is None
    parents = {p.pk: p.manager_id for p in people.values()}
    expected = reporting_lines.build_chain_paths(parents)
    assert {p.pk: p.chain_path for p in people.values()} == expected
    assert people["E4"].chain_path.startswith(people["E1"].subtree_prefix)
    assert people["E3"].department.name == "Engineering" and people["E3"].team.name == "Platform"
    assert Team.objects.get(organisation=org, name="Data").department.name == "Engineering"
    assert people["E1"].languages == ["en", "fr"] and people["E1"].level == 8
    assert str(people["E4"].hire_date) == "2024-09-02"
    assert people["E4"].time_zone == "Asia/Singapore"
    shares = set(
        PersonTopic.objects.filter(person=people["E1"], relation="shares").values_list(
            "topic__name", flat=True
        )
    )
    assert shares == {"Strategy", "Inclusive leadership"}
    # "Strategy" is named by two people and exists once; free tags join the taxonomy uncurated.
    assert Topic.objects.filter(organisation=org, key="strategy", kind="skill").count() == 1
    assert not Topic.objects.get(organisation=org, key="python").is_curated
    assert Topic.objects.get(organisation=org, key="chess").kind == "interest"


def test_rerunning_the_same_file_changes_nothing_and_writes_nothing(org):
    import_csv(org, csv_bytes())
    before = list(Person.objects.order_by("pk").values())

    with CaptureQueriesContext(connection) as queries:
        result = import_csv(org, csv_bytes())

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert list(Person.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_only_that_person_and_only_what_changed(org):
    import_csv(org, csv_bytes())
    rows = [*ROWS]
    rows[3] = rows[3].replace("Analyst,1", "Senior analyst,2").replace("Negotiation", "Strategy")

    result = import_csv(org, csv_bytes(rows=rows))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert result.changes[0].employee_id == "E4"
    assert set(result.changes[0].fields) == {"job_title", "level"}
    lin = Person.objects.get(organisation=org, employee_id="E4")
    assert (lin.job_title, lin.level) == ("Senior analyst", 2)
    learns = PersonTopic.objects.filter(person=lin, relation="learns")
    assert list(learns.values_list("topic__name", flat=True)) == ["Strategy"]


def test_moving_a_manager_moves_their_whole_subtree(org):
    import_csv(org, csv_bytes())
    rows = [*ROWS]
    rows[2] = rows[2].replace(",E2,London", ",E1,London")  # Alan now reports to Ada

    result = import_csv(org, csv_bytes(rows=rows))

    assert result.updated == 1
    people = {p.employee_id: p for p in Person.objects.filter(organisation=org)}
    assert people["E3"].manager == people["E1"]
    assert people["E4"].chain_path == people["E3"].subtree_prefix
    assert reporting_lines.ancestor_ids(people["E4"].chain_path) == [
        people["E1"].pk,
        people["E3"].pk,
    ]
    assert not people["E4"].chain_path.startswith(people["E2"].subtree_prefix)


def test_managers_may_come_after_their_reports_in_the_file(org):
    result = import_csv(org, csv_bytes(rows=list(reversed(ROWS))))
    assert result.created == 4
    lin = Person.objects.get(organisation=org, employee_id="E4")
    assert [p for p in reporting_lines.ancestor_ids(lin.chain_path)] == list(
        Person.objects.filter(employee_id__in=["E1", "E2", "E3"])
        .order_by("employee_id")
        .values_list("pk", flat=True)
    )


def test_managers_already_in_the_directory_are_found(org):
    import_csv(org, csv_bytes(rows=ROWS[:2]))
    result = import_csv(org, csv_bytes(rows=ROWS[2:]))
    assert result.created == 2
    alan = Person.objects.get(organisation=org, employee_id="E3")
    assert alan.manager.employee_id == "E2"


@pytest.mark.parametrize(
    ("find", "replace", "column", "reason"),
    [
        (",E3,Singapore", ",E99,Singapore", "manager_employee_id", "unknown manager"),
        ("lin@acme.test", "lin-at-acme", "email", "invalid email address"),
        ("Analyst,1,", "Analyst,12,", "level", "unknown level"),
        ("Analyst,1,", "Analyst,junior,", "level", "level must be a whole number"),
        ("Asia/Singapore", "Mars/Olympus", "time_zone", "invalid time zone"),
        ("2024-09-02", "02/09/2024", "hire_date", "invalid date"),
        ("en;zh-hans", "en;klingon", "languages", "unknown language code"),
        ("E4,Lin,", "E2,Lin,", "employee_id", "duplicate employee id (also on row 3)"),
        ("E4,Lin,", ",Lin,", "employee_id", "employee id is empty"),
        ("E4,Lin,", "E4,,", "first_name", "first name is empty"),
        (",E3,Singapore", ",E4,Singapore", "manager_employee_id", "cannot be their own manager"),
    ],
)
def test_one_bad_row_refuses_the_file_naming_row_column_and_reason(
    org, find, replace, column, reason
):
    rows = [*ROWS]
    rows[3] = rows[3].replace(find, replace)
    assert rows[3] != ROWS[3]

    errors = refused(org, csv_bytes(rows=rows))

    assert len(errors) == 1
    assert errors[0][:2] == (5, column)  # header is row 1, so the fourth person is row 5
    assert reason in errors[0][2]
    assert not Person.objects.filter(organisation=org).exists()


def test_one_bad_row_among_ten_thousand_imports_nothing(org):
    rows = [f"P{i},First{i},Last{i},p{i}@acme.test,,2,,,{'P0' if i else ''}" for i in range(10_000)]
    rows[7_321] = rows[7_321].replace("@acme.test", "@")
    header = "employee_id,first_name,last_name,email,job_title,level,department,team,manager id"

    errors = refused(org, csv_bytes(header=header, rows=rows))

    assert errors == [(7_323, "email", "invalid email address")]


def test_every_bad_row_is_listed_not_only_the_first(org):
    rows = [*ROWS]
    rows[1] = rows[1].replace("America/New_York", "Nowhere")
    rows[3] = rows[3].replace("lin@acme.test", "nope")
    assert [e[:2] for e in refused(org, csv_bytes(rows=rows))] == [
        (3, "time_zone"),
        (5, "email"),
    ]


def test_a_cycle_in_the_file_is_refused_and_named(org):
    rows = [*ROWS]
    rows[0] = rows[0].replace("Board,,London", "Board,E3,London")  # Ada → Alan → Grace → Ada

    errors = refused(org, csv_bytes(rows=rows))

    assert len(errors) == 1
    _row, column, reason = errors[0]
    assert column == "manager_employee_id"
    names = reason.removeprefix("reporting-line cycle: ").split(" → ")
    assert names[0] == names[-1] and len(names) == 4
    assert set(names) == {"Ada Lovelace (E1)", "Grace Hopper (E2)", "Alan Turing (E3)"}


def test_a_cycle_through_the_existing_directory_is_refused(org):
    import_csv(org, csv_bytes())
    # Only Ada's row: she would report to Lin, who (in the directory) reports up to Ada.
    row = ROWS[0].replace("Board,,London", "Board,E4,London")
    errors = refused(org, csv_bytes(rows=[row]))
    assert "reporting-line cycle" in errors[0][2] and "Lin Chen (E4)" in errors[0][2]
    assert Person.objects.get(organisation=org, employee_id="E1").manager is None


def test_a_dry_run_counts_exactly_and_writes_nothing(org):
    result = import_csv(org, csv_bytes(), dry_run=True)
    assert (result.created, result.dry_run) == (4, True)
    assert [c.action for c in result.changes] == ["create"] * 4
    assert not Person.objects.filter(organisation=org).exists()
    assert not Department.objects.filter(organisation=org).exists()


def test_a_full_sync_deactivates_people_missing_from_the_file(org):
    import_csv(org, csv_bytes())
    result = import_csv(org, csv_bytes(rows=ROWS[:3]), deactivate_missing=True)
    assert result.deactivated == 1
    assert not Person.objects.get(organisation=org, employee_id="E4").is_active
    # Back in the file: active again.
    result = import_csv(org, csv_bytes())
    assert result.updated == 1
    assert Person.objects.get(organisation=org, employee_id="E4").is_active


def test_without_full_sync_missing_people_stay(org):
    import_csv(org, csv_bytes())
    assert import_csv(org, csv_bytes(rows=ROWS[:3])).deactivated == 0
    assert Person.objects.get(organisation=org, employee_id="E4").is_active


def test_columns_absent_from_the_file_are_left_alone(org):
    import_csv(org, csv_bytes())
    header = "employee_id,first_name,job_title"
    result = import_csv(org, csv_bytes(header=header, rows=["E4,Lin,Lead analyst"]))
    assert result.updated == 1
    lin = Person.objects.get(organisation=org, employee_id="E4")
    assert (lin.job_title, lin.level, lin.manager.employee_id) == ("Lead analyst", 1, "E3")
    assert lin.topic_links.count() == 2


def test_the_same_employee_id_in_another_organisation_is_another_person(org):
    other = OrganisationFactory(slug="globex")
    import_csv(org, csv_bytes())
    result = import_csv(other, csv_bytes(rows=ROWS[:1]))
    assert result.created == 1
    assert Person.objects.filter(employee_id="E1").count() == 2
    import_csv(other, csv_bytes(rows=ROWS[:1]), deactivate_missing=True)
    assert Person.objects.filter(organisation=org, is_active=True).count() == 4


def test_a_file_that_is_not_utf8_is_refused_with_the_row_of_the_first_bad_byte(org):
    content = csv_bytes().replace(b"Lin,Chen", "Lîn,Chen".encode("latin-1"))
    errors = refused(org, content)
    assert errors[0][0] == 5 and "not UTF-8 text: the first bad byte is on row 5" in errors[0][2]


def test_a_missing_required_column_is_named(org):
    header = HEADER.replace("First Name", "Nickname")
    errors = refused(org, csv_bytes(header=header))
    assert (1, "first_name") in [e[:2] for e in errors]


def test_semicolon_separated_files_with_a_bom_are_read(org):
    content = "\ufeffEmployee ID;First Name;Manager ID\nA1;Ana;\nA2;Raj;A1\n".encode()
    assert import_csv(org, content).created == 2
    assert Person.objects.get(employee_id="A2").manager.first_name == "Ana"


def test_xlsx_files_import_like_csv(org):
    workbook = Workbook()
    sheet = workbook.active
    reader = csv.reader(io.StringIO(csv_bytes().decode()))
    for row in reader:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    out = io.BytesIO()
    workbook.save(out)

    table = table_read(content=out.getvalue(), filename="hris.xlsx")
    rows = rows_from_table(table, columns_guess(table.headers))
    result = directory_import(actor=None, organisation=org, rows=rows)

    assert result.created == 4
    assert Person.objects.get(employee_id="E1").level == 8


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(org):
    with pytest.raises(FileValidationError, match=r"neither a \.csv nor an \.xlsx"):
        table_read(content=b"%PDF-1.4", filename="people.pdf")
    with pytest.raises(FileValidationError, match=r"not a readable \.xlsx"):
        table_read(content=b"not a zip", filename="people.xlsx")


def test_an_export_imports_unchanged(org):
    import_csv(org, csv_bytes())
    rows = list(directory_export_rows(organisation=org))
    assert [r["employee_id"] for r in rows] == ["E1", "E2", "E3", "E4"]
    assert rows[3]["manager_employee_id"] == "E3"
    assert rows[0]["skills"] == "Inclusive leadership;Strategy"

    result = directory_import(actor=None, organisation=org, rows=rows)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)


def test_column_guessing_understands_common_hris_headers():
    guess = columns_guess(["Worker ID", "Given Name", "Surname", "Supervisor ID", "Band", "Misc"])
    assert guess == {
        "employee_id": "Worker ID",
        "first_name": "Given Name",
        "last_name": "Surname",
        "manager_employee_id": "Supervisor ID",
        "level": "Band",
    }


def test_a_reporting_line_deeper_than_chain_path_can_hold_is_refused(org):
    from twoway.people.importing import MAX_DEPTH

    header = "employee_id,first_name,manager_employee_id"
    rows = [f"D{i},Person{i},{f'D{i - 1}' if i else ''}" for i in range(MAX_DEPTH + 3)]

    errors = refused(org, csv_bytes(header=header, rows=rows))

    assert [e[0] for e in errors] == [MAX_DEPTH + 3, MAX_DEPTH + 4]  # rows of the two too deep
    assert errors[0][1] == "manager_employee_id" and "reporting line too long" in errors[0][2]
    # One level less imports.
    assert import_csv(org, csv_bytes(header=header, rows=rows[: MAX_DEPTH + 1])).created == (
        MAX_DEPTH + 1
    )


def test_one_upload_reports_field_errors_duplicates_and_cycles_together(org):
    header = "employee_id,first_name,manager_employee_id,hire_date"
    rows = [
        "A1,Ana,,2020-01-01",
        "B2,Ben,A1,yesterday",  # bad date
        "B2,Bea,A1,2020-01-01",  # duplicate id
        "C3,Cy,D4,2020-01-01",  # C3 → D4 → C3
        "D4,Di,C3,2020-01-01",
    ]

    errors = refused(org, csv_bytes(header=header, rows=rows))

    assert [(row, column) for row, column, _ in errors] == [
        (3, "hire_date"),
        (4, "employee_id"),
        (5, "manager_employee_id"),
    ]
    assert "duplicate employee id (also on row 3)" in errors[1][2]
    assert "Cy (C3) → Di (D4) → Cy (C3)" in errors[2][2]


def test_a_file_with_only_a_header_is_refused_when_read():
    with pytest.raises(FileValidationError, match="no rows below the header"):
        table_read(content=HEADER.encode() + b"\n", filename="people.csv")
