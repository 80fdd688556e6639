from __future__ import annotations

import csv
import datetime as dt
import io
import re
import statistics
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest
from django.conf.locale import LANG_INFO

from twoway.demo.generator import (
    DIGITAL_TOPICS,
    EXECUTIVE_DEPARTMENT,
    HIRE_DATES_END,
    HIRE_YEARS,
    LEADERSHIP_TOPICS,
    generate_people,
    write_csv,
)
from twoway.people import reporting_lines
from twoway.people.columns import COLUMNS, LIST_SEPARATOR
from twoway.people.taxonomy import STARTER_TOPICS

JUNIORS = {1, 2, 3}
SENIORS = {6, 7, 8}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return generate_people(size=600, seed=42)


def _items(row: dict[str, str], column: str) -> list[str]:
    return [item for item in row[column].split(LIST_SEPARATOR) if item]


def _share(rows: list[dict[str, str]], levels: set[int], column: str, pool: set[str]) -> float:
    items = [t for r in rows if int(r["level"]) in levels for t in _items(r, column)]
    assert items, f"no {column} for levels {levels}"
    return sum(t in pool for t in items) / len(items)


def test_the_same_seed_gives_the_same_rows_and_another_seed_others() -> None:
    assert generate_people(size=200, seed=7) == generate_people(size=200, seed=7)
    assert generate_people(size=200, seed=7) != generate_people(size=200, seed=8)


@pytest.mark.parametrize("size", [1, 2, 25, 333])
def test_the_size_is_honoured(size: int) -> None:
    rows = generate_people(size=size, seed=3)
    assert len(rows) == size
    assert [r for r in rows if not r["manager_employee_id"]] == rows[:1]  # one CEO, first


def test_rows_use_the_canonical_columns_and_unique_ids_and_emails(
    rows: list[dict[str, str]],
) -> None:
    assert all(list(row) == list(COLUMNS) for row in rows)
    assert len({r["employee_id"] for r in rows}) == len(rows)
    assert len({r["email"] for r in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"E\d{6}", row["employee_id"])
        number = int(row["employee_id"][1:])
        assert re.fullmatch(rf"[a-z]+\.[a-z]+\.{number}@acme\.example", row["email"]), row
    assert generate_people(size=5, domain="globex.example")[0]["email"].endswith("@globex.example")


def test_a_pyramid_with_one_ceo_and_most_people_junior(rows: list[dict[str, str]]) -> None:
    levels = Counter(int(r["level"]) for r in rows)
    assert rows[0]["level"] == "8" and levels[8] == 1
    assert rows[0]["job_title"] == "Chief Executive Officer"
    assert len(levels) >= 6 and set(levels) <= set(range(1, 9))
    assert sum(levels[n] for n in JUNIORS) > 0.6 * len(rows)
    assert levels[1] + levels[2] > levels[4] > levels[5]


def test_managers_come_first_are_senior_and_share_the_department(
    rows: list[dict[str, str]],
) -> None:
    position = {r["employee_id"]: i for i, r in enumerate(rows)}
    ceo = rows[0]["employee_id"]
    for i, row in enumerate(rows[1:], start=1):
        manager = rows[position[row["manager_employee_id"]]]
        assert position[manager["employee_id"]] < i
        assert int(manager["level"]) > int(row["level"])
        if manager["employee_id"] != ceo:
            assert manager["department"] == row["department"]


def test_reporting_lines_have_no_cycle_and_reach_the_ceo(rows: list[dict[str, str]]) -> None:
    ids = {r["employee_id"]: n for n, r in enumerate(rows, start=1)}
    parents = {ids[r["employee_id"]]: ids.get(r["manager_employee_id"]) for r in rows}
    assert reporting_lines.find_cycle(parents) is None  # type: ignore[arg-type]
    paths = reporting_lines.build_chain_paths(parents)
    assert all(p.startswith(reporting_lines.segment(1)) for n, p in paths.items() if n != 1)
    assert 4 <= max(reporting_lines.depth(p) for p in paths.values()) <= 7


def test_spans_of_control_are_realistic(rows: list[dict[str, str]]) -> None:
    spans = Counter(r["manager_employee_id"] for r in rows if r["manager_employee_id"])
    assert max(spans.values()) <= 10
    assert 4 <= statistics.median(spans.values()) <= 10


def test_six_to_eight_departments_each_with_several_teams(rows: list[dict[str, str]]) -> None:
    teams: dict[str, set[str]] = {}
    for row in rows:
        teams.setdefault(row["department"], set()).add(row["team"])
    departments = set(teams) - {EXECUTIVE_DEPARTMENT}
    assert 6 <= len(departments) <= 8
    assert all(len(teams[d]) >= 2 for d in departments)
    owners = Counter(team for d, names in teams.items() for team in names)
    assert max(owners.values()) == 1  # a team name belongs to one department


def test_juniors_share_digital_topics_and_seniors_leadership(rows: list[dict[str, str]]) -> None:
    digital, leadership = set(DIGITAL_TOPICS), set(LEADERSHIP_TOPICS)
    assert _share(rows, JUNIORS, "skills", digital) > 2 * _share(rows, SENIORS, "skills", digital)
    assert _share(rows, SENIORS, "skills", leadership) > 2 * _share(
        rows, JUNIORS, "skills", leadership
    )
    # Learning is the mirror image: what one side can share, the other wants to learn.
    assert _share(rows, SENIORS, "learning_topics", digital) > 2 * _share(
        rows, JUNIORS, "learning_topics", digital
    )
    assert _share(rows, JUNIORS, "learning_topics", leadership) > 2 * _share(
        rows, SENIORS, "learning_topics", leadership
    )


def test_topics_come_from_the_starter_taxonomy_where_it_has_them(
    rows: list[dict[str, str]],
) -> None:
    starter = {name for names in STARTER_TOPICS.values() for name in names}
    assert set(DIGITAL_TOPICS) <= starter
    assert set(LEADERSHIP_TOPICS) - starter == {"P&L management"}
    for row in rows:
        skills, learning = _items(row, "skills"), _items(row, "learning_topics")
        assert 1 <= len(skills) <= 5 and not set(skills) & set(learning)
        assert 1 <= len(_items(row, "interests")) <= 4


def test_places_time_zones_and_languages_are_valid(rows: list[dict[str, str]]) -> None:
    zones = {r["time_zone"] for r in rows}
    assert zones <= zoneinfo.available_timezones()
    assert len(zones) >= 5
    assert len({(r["location"], r["time_zone"]) for r in rows}) == len(zones)
    for row in rows:
        languages = _items(row, "languages")
        assert languages[0] == "en" and set(languages) <= set(LANG_INFO)
    berlin = [r for r in rows if r["location"] == "Berlin"]
    assert sum("de" in _items(r, "languages") for r in berlin) > len(berlin) / 2


def test_hire_dates_span_twenty_years_with_seniors_hired_earlier(
    rows: list[dict[str, str]],
) -> None:
    dates = {r["employee_id"]: dt.date.fromisoformat(r["hire_date"]) for r in rows}
    earliest = HIRE_DATES_END - dt.timedelta(days=round(HIRE_YEARS * 365.25))
    assert all(earliest <= d <= HIRE_DATES_END for d in dates.values())
    assert (max(dates.values()) - min(dates.values())).days > 12 * 365

    def mean_year(levels: set[int]) -> float:
        return statistics.mean(
            dates[r["employee_id"]].year for r in rows if int(r["level"]) in levels
        )

    assert mean_year(SENIORS) < mean_year({4, 5}) < mean_year(JUNIORS)
    by_number = sorted(dates, key=lambda e: int(e[1:]))  # numbers follow hire dates
    assert [dates[e] for e in by_number] == sorted(dates.values())


def test_write_csv_writes_the_canonical_header_and_round_trips(
    rows: list[dict[str, str]], tmp_path: Path
) -> None:
    buffer = io.StringIO()
    write_csv(rows[:50], buffer)
    buffer.seek(0)
    reader = csv.DictReader(buffer)
    assert reader.fieldnames == list(COLUMNS)
    assert list(reader) == rows[:50]

    path = tmp_path / "people.csv"
    write_csv(rows, path)
    with path.open(encoding="utf-8", newline="") as file:
        assert list(csv.DictReader(file)) == rows
    assert "São Paulo" in path.read_text(encoding="utf-8")
