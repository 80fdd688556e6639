"""The pure parts of enrolment: eligibility reasons, TIPI scoring, the availability grid."""

from __future__ import annotations

import datetime as dt

import pytest

from twoway.enrolment import availability, tipi
from twoway.enrolment.eligibility import (
    Candidate,
    RoleRule,
    application_problems,
    role_problems,
    tenure_months,
)

TODAY = dt.date(2026, 6, 15)


def candidate(**fields: object) -> Candidate:
    values: dict = {"person_id": 1, "level": 3, "hire_date": dt.date(2020, 1, 1)}
    values.update(department_id=10, department_name="Engineering")
    values.update(fields)
    return Candidate(**values)


def test_level_ceiling_is_explained_in_plain_words() -> None:
    rule = RoleRule(role="mentor", max_level=4)
    assert role_problems(rule, candidate(level=6), TODAY) == [
        "This program asks mentors to be at level 4 or below; your level is 6."
    ]
    assert role_problems(rule, candidate(level=4), TODAY) == []


def test_level_floor_range_and_unknown_level() -> None:
    assert role_problems(RoleRule(role="mentee", min_level=5), candidate(level=3), TODAY) == [
        "This program asks mentees to be at level 5 or above; your level is 3."
    ]
    assert role_problems(
        RoleRule(role="mentee", min_level=5, max_level=7), candidate(level=None), TODAY
    ) == [
        "This program asks mentees to be between level 5 and level 7; your level is not recorded."
    ]


def test_tenure_counts_whole_months_from_the_hire_date() -> None:
    assert tenure_months(dt.date(2026, 1, 16), TODAY) == 4
    assert tenure_months(dt.date(2026, 1, 15), TODAY) == 5
    rule = RoleRule(role="mentor", min_tenure_months=12)
    assert role_problems(rule, candidate(hire_date=dt.date(2026, 1, 16)), TODAY) == [
        "This program asks mentors to have been with the organisation for at least 12 months; "
        "you have been here 4 months."
    ]
    assert role_problems(rule, candidate(hire_date=dt.date(2025, 6, 15)), TODAY) == []


def test_departments_and_the_explicit_lists() -> None:
    rule = RoleRule(role="mentor", departments={1: "Sales", 2: "Finance", 3: "Legal"})
    assert role_problems(rule, candidate(), TODAY) == [
        "This program is open to mentors from Finance, Legal or Sales; "
        "your department is Engineering."
    ]
    included = RoleRule(role="mentor", max_level=1, included=frozenset({1}))
    assert role_problems(included, candidate(level=8), TODAY) == []
    excluded = RoleRule(role="mentor", excluded=frozenset({1}))
    assert role_problems(excluded, candidate(), TODAY) == [
        "This program does not take you as one of its mentors."
    ]


def test_either_role_needs_one_of_the_two() -> None:
    rules = {
        "mentor": RoleRule(role="mentor", max_level=4),
        "mentee": RoleRule(role="mentee", min_level=6),
    }
    assert application_problems(rules, candidate(level=3), "either", TODAY) == []
    assert application_problems(rules, candidate(level=5), "either", TODAY) == [
        "This program asks mentors to be at level 4 or below; your level is 5.",
        "This program asks mentees to be at level 6 or above; your level is 5.",
    ]
    assert application_problems({}, candidate(), "mentee", TODAY) == []


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # E = (5 + 8-4)/2, A = (6 + 8-2)/2, C = (6 + 8-2)/2, ES = (5 + 8-3)/2, O = (5 + 8-3)/2
        ([5, 2, 6, 3, 5, 4, 6, 2, 5, 3], (4.5, 6.0, 6.0, 5.0, 5.0)),
        ([7, 1, 7, 1, 7, 1, 7, 1, 7, 1], (7.0, 7.0, 7.0, 7.0, 7.0)),
        ([1, 7, 1, 7, 1, 7, 1, 7, 1, 7], (1.0, 1.0, 1.0, 1.0, 1.0)),
        # E = (2 + 8-6)/2 = 2, A = (3 + 8-4)/2 = 3.5, C = (7 + 8-1)/2 = 7,
        # ES = (4 + 8-5)/2 = 3.5, O = (6 + 8-2)/2 = 6
        ([2, 4, 7, 5, 6, 6, 3, 1, 4, 2], (2.0, 3.5, 7.0, 3.5, 6.0)),
    ],
)
def test_tipi_scores_match_hand_computed_values(
    answers: list[int], expected: tuple[float, ...]
) -> None:
    scores = tipi.score(answers)
    assert (
        scores.extraversion,
        scores.agreeableness,
        scores.conscientiousness,
        scores.emotional_stability,
        scores.openness,
    ) == expected


def test_tipi_refuses_incomplete_or_out_of_range_answers() -> None:
    assert tipi.answers_problem([4] * 9) == (
        "Please answer all ten statements of the working-style questions."
    )
    assert tipi.answers_problem([4, 4, 8, 4, 4, 4, 4, 4, 4, 4]) == (
        "Statement 3 of the working-style questions needs an answer from 1 to 7."
    )
    assert tipi.answers_problem([4] * 10) is None
    with pytest.raises(ValueError):
        tipi.score([True] * 10)


def test_availability_is_stored_in_utc() -> None:
    winter = dt.date(2026, 1, 14)
    stored = availability.local_slots_to_utc([(0, 9)], "America/New_York", winter)
    assert stored.index("1") == 14  # Monday 09:00 in New York is 14:00 UTC in winter
    # Monday 00:00 in Tokyo is Sunday 15:00 UTC: the week wraps round.
    wrapped = availability.local_slots_to_utc([(0, 0)], "Asia/Tokyo", winter)
    assert wrapped.index("1") == 6 * 24 + 15


def test_availability_across_the_summer_time_boundary() -> None:
    # Filled in in London in the week before the clocks go forward (29 March 2026): Monday 09:00
    # local is 09:00 UTC. Once summer time has begun, that same UTC hour is 10:00 on the clock.
    before = dt.date(2026, 3, 25)
    after = dt.date(2026, 3, 31)
    stored = availability.local_slots_to_utc([(0, 9), (6, 23)], "Europe/London", before)
    assert [i for i, bit in enumerate(stored) if bit == "1"] == [9, 6 * 24 + 23]
    assert availability.utc_to_local_slots(stored, "Europe/London", before) == {(0, 9), (6, 23)}
    assert availability.utc_to_local_slots(stored, "Europe/London", after) == {(0, 10), (0, 0)}
    # The week that contains the change itself uses one offset throughout: nothing lost.
    every_hour = {(d, h) for d in range(7) for h in range(24)}
    assert availability.local_slots_to_utc(every_hour, "Europe/London", before) == "1" * 168


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/St_Johns", "Pacific/Auckland", "UTC"])
def test_availability_round_trips_in_every_kind_of_zone(zone: str) -> None:
    slots = {(0, 0), (2, 13), (4, 9), (6, 23)}
    stored = availability.local_slots_to_utc(slots, zone, TODAY)
    assert stored.count("1") == 4
    assert availability.utc_to_local_slots(stored, zone, TODAY) == slots


def test_availability_refuses_hours_outside_the_week() -> None:
    with pytest.raises(ValueError):
        availability.local_slots_to_utc([(7, 0)], "UTC", TODAY)
