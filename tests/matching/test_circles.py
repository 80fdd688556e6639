"""Mentoring circles: hard rules between every mentor and mentee, sizes, reasons, cohesion."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.matching.factories import person_rows, random_problem
from twoway.matching.engine import (
    CircleResult,
    Criterion,
    Format,
    Problem,
    ProgramRules,
    Rule,
    Weight,
    form_circles,
)
from twoway.matching.engine.scoring import pairs_allowed, prepare


def assert_valid_circles(
    problem: Problem, result: CircleResult, min_size: int, max_size: int, per: int
) -> None:
    f = prepare(problem)
    placed: list[int] = []
    leaders: list[int] = []
    for circle in result.circles:
        assert min_size <= circle.size <= max_size
        assert len(circle.mentors) == per
        e = np.repeat(circle.mentees, per)
        m = np.tile(circle.mentors, len(circle.mentees))
        assert pairs_allowed(f, e, m).all(), "a hard rule broken inside a circle"
        assert circle.reason
        assert 0.0 <= circle.cohesion <= 1.0
        assert 0.0 <= circle.diversity <= 1.0
        placed += circle.mentees.tolist()
        leaders += circle.mentors.tolist()
    assert len(placed) == len(set(placed)), "a mentee in two circles"
    assert len(leaders) == len(set(leaders)), "a mentor leading two circles"
    assert sorted(placed + result.unplaced.tolist()) == list(range(len(problem.mentees)))
    assert sorted(leaders + result.unused_mentors.tolist()) == list(range(len(problem.mentors)))
    assert len(result.unplaced_reasons) == len(result.unplaced_rule) == len(result.unplaced)
    assert all(result.unplaced_reasons)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    fmt=st.sampled_from(list(Format)),
    per=st.sampled_from([1, 2]),
    sizes=st.sampled_from([(3, 5), (4, 8), (2, 3), (5, 5)]),
    mentees=st.integers(0, 40),
    must=st.booleans(),
)
def test_every_circle_keeps_the_hard_rules_and_the_sizes(
    seed: int,
    fmt: Format,
    per: int,
    sizes: tuple[int, int],
    mentees: int,
    must: bool,
) -> None:
    # Given a random org chart, with "must" weights sometimes
    weights = None
    if must:
        weights = {Criterion.TEACH_LEARN: Weight.MUST, Criterion.DIVERSITY: Weight.HIGH}
    problem = random_problem(
        seed,
        people=70,
        mentors=16,
        mentees=mentees,
        format=fmt,
        busy=0.4,
        k=5 + seed % 20,
        weights=weights,
    )
    min_size, max_size = max(sizes[0], per + 1), max(sizes[1], per + 1)
    # When circles are formed
    result = form_circles(problem, min_size=min_size, max_size=max_size, mentors_per_circle=per)
    # Then every mentor-mentee pair of a circle is allowed and every size is in range
    assert_valid_circles(problem, result, min_size, max_size, per)


def test_same_seed_same_circles() -> None:
    problem = random_problem(11, people=120, mentors=20, mentees=60, busy=0.3)
    first = form_circles(problem, min_size=3, max_size=6)
    again = form_circles(problem, min_size=3, max_size=6)
    assert [c.mentees.tolist() for c in first.circles] == [
        c.mentees.tolist() for c in again.circles
    ]
    assert [c.mentors.tolist() for c in first.circles] == [
        c.mentors.tolist() for c in again.circles
    ]
    assert first.unplaced.tolist() == again.unplaced.tolist()
    assert first.total_score == again.total_score


def test_a_large_random_program_places_nearly_everyone() -> None:
    problem = random_problem(3, people=400, mentors=60, mentees=250, busy=0.3, max_capacity=1)
    result = form_circles(problem, min_size=4, max_size=8)
    assert_valid_circles(problem, result, 4, 8, 1)
    eligible = [r for r in result.unplaced_rule if r is Rule.CAPACITY]
    assert len(eligible) <= 0.05 * len(problem.mentees)


TOPICS = ["Generative AI", "TikTok marketing", "Negotiation"]


def two_mentor_program(mentees: list[dict[str, object]]) -> Problem:
    """Lee (UTC) and Sam (UTC+1), who can teach every topic, level 1; mentees at level 3."""
    mentors = person_rows(
        [
            {"name": name, "skills": TOPICS, "level": 1, "utc_offset": offset}
            for name, offset in (("Lee", 0.0), ("Sam", 1.0))
        ],
        TOPICS,
        first_id=1,
    )
    return Problem(
        mentors=mentors,
        mentees=person_rows(mentees, TOPICS, first_id=100),
        rules=ProgramRules(seed=1),
        topic_names=TOPICS,
    )


def test_cohesion_puts_the_two_topic_groups_in_separate_circles() -> None:
    # Given four mentees after each topic, where the time zones alone would mix them: three
    # who want generative AI and one who wants TikTok marketing are on Lee's clock
    wants = ["Generative AI"] * 4 + ["TikTok marketing"] * 4
    offsets = [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    problem = two_mentor_program(
        [
            {"name": f"M{i}", "learn": [topic], "level": 3, "utc_offset": offset}
            for i, (topic, offset) in enumerate(zip(wants, offsets, strict=True))
        ]
    )
    # When circles of five are formed
    result = form_circles(problem, min_size=5, max_size=5)
    # Then each circle gathers the mentees who want the same topic
    assert len(result.circles) == 2
    for circle in result.circles:
        assert len({wants[e] for e in circle.mentees.tolist()}) == 1
        assert circle.cohesion == pytest.approx(1.0)
        assert "who want to learn" in circle.reason


def test_diversity_mixes_departments() -> None:
    # Given six mentees alike but for their departments, three and three
    problem = two_mentor_program(
        [
            {"name": f"M{i}", "learn": ["Negotiation"], "level": 3, "department": i % 2}
            for i in range(6)
        ]
    )
    result = form_circles(problem, min_size=4, max_size=4)
    # Then each circle has both departments
    assert len(result.circles) == 2
    for circle in result.circles:
        assert len({e % 2 for e in circle.mentees.tolist()}) == 2
        assert "2 departments" in circle.reason


def test_the_reason_names_the_leader_topics_and_hours() -> None:
    problem = two_mentor_program(
        [{"name": f"M{i}", "learn": ["Generative AI"], "level": 3} for i in range(3)]
    )
    result = form_circles(problem, min_size=4, max_size=8)
    (circle,) = result.circles
    leader = problem.mentors.name(int(circle.mentors[0]))
    assert circle.reason == (
        f"{leader} leads 3 people who want to learn Generative AI; 1 department, "
        f"1 generation; everyone shares ≥ 8 free hours a week with {leader}"
    )


def test_too_few_mentees_for_the_minimum_size_are_told_why() -> None:
    problem = two_mentor_program(
        [{"name": name, "learn": ["Negotiation"], "level": 3} for name in ("Ana", "Bo")]
    )
    result = form_circles(problem, min_size=4, max_size=8)
    assert result.circles == []
    assert result.unplaced.tolist() == [0, 1]
    assert result.unplaced_reasons[0] == (
        "only 2 mentees could join a circle, and a circle needs at least 4 people: "
        "1 mentor and 3 mentees"
    )
    assert result.unused_mentors.tolist() == [0, 1]


def test_a_mentee_without_an_eligible_mentor_gets_the_rule_that_excluded_them() -> None:
    mentees = [{"name": f"M{i}", "learn": ["Negotiation"], "level": 3} for i in range(4)]
    mentees.append({"name": "Zoe", "learn": ["Negotiation"], "level": 3, "languages": [1]})
    result = form_circles(two_mentor_program(mentees), min_size=3, max_size=5)
    assert result.unplaced.tolist() == [4]
    assert result.unplaced_rule == [Rule.LANGUAGE]
    assert result.unplaced_reasons == ["no eligible mentor shares a language with Zoe"]


def test_full_circles_are_the_reason_when_places_run_out() -> None:
    mentees = [{"name": f"M{i}", "learn": ["Negotiation"], "level": 3} for i in range(9)]
    result = form_circles(two_mentor_program(mentees), min_size=3, max_size=5)
    assert sorted(c.size for c in result.circles) == [5, 5]
    assert len(result.unplaced) == 1
    assert result.unplaced_rule == [Rule.CAPACITY]
    assert "full at 5 people" in result.unplaced_reasons[0]


def test_two_mentors_lead_each_circle_together() -> None:
    mentees = [{"name": f"M{i}", "learn": ["Negotiation"], "level": 3} for i in range(4)]
    result = form_circles(two_mentor_program(mentees), min_size=3, max_size=6, mentors_per_circle=2)
    (circle,) = result.circles
    assert sorted(circle.mentors.tolist()) == [0, 1]
    assert circle.reason.startswith(("Lee and Sam lead 4 people", "Sam and Lee lead 4 people"))


@pytest.mark.parametrize(("low", "high", "per"), [(1, 4, 1), (3, 2, 1), (2, 4, 2), (4, 8, 0)])
def test_impossible_sizes_are_refused(low: int, high: int, per: int) -> None:
    problem = random_problem(1)
    with pytest.raises(ValueError):
        form_circles(problem, min_size=low, max_size=high, mentors_per_circle=per)
