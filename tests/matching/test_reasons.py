"""Reasons in plain language: for every pair, and for every mentee left without a mentor."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.matching.factories import person_rows
from twoway.matching.engine import Criterion, Problem, ProgramRules, Rule, Weight, match

TOPICS = ["TikTok marketing", "Generative AI", "Gen Z buying habits", "Podcasting", "P&L"]


def problem(mentors: list[dict[str, object]], mentees: list[dict[str, object]], **rules: object):
    return Problem(
        mentors=person_rows(mentors, TOPICS, first_id=1000),
        mentees=person_rows(mentees, TOPICS, first_id=2000),
        rules=ProgramRules(**rules),
        topic_names=TOPICS,
    )


def test_a_pair_reason_names_the_topics_hours_and_differences() -> None:
    # Given Ana, a junior who knows three of the four topics Raj, a senior, wants to learn
    ana = {
        "name": "Ana",
        "level": 2,
        "department": 1,
        "skills": ["TikTok marketing", "Generative AI", "Gen Z buying habits"],
        "hours": range(9, 15),
    }
    raj = {
        "name": "Raj",
        "level": 6,
        "department": 2,
        "learn": ["TikTok marketing", "Generative AI", "Gen Z buying habits", "Podcasting"],
        "hours": range(8, 20),
    }
    # When matched
    result = match(problem([ana], [raj], min_shared_hours=2))
    # Then the reason says what Ana can teach, the hours they share and what differs
    assert result.matched == 1
    reason = result.reasons[0]
    assert reason.startswith(
        "Ana can teach 3 of the 4 topics Raj wants — TikTok marketing, Generative AI, "
        "Gen Z buying habits"
    )
    assert "6 shared free hours a week" in reason
    assert "different departments" in reason
    assert "Podcasting" not in reason


def test_the_mentor_who_covers_more_topics_is_chosen() -> None:
    raj = {"name": "Raj", "level": 6, "learn": ["TikTok marketing", "Generative AI"]}
    one = {"name": "Bo", "level": 2, "skills": ["TikTok marketing"]}
    both = {"name": "Cy", "level": 2, "skills": ["TikTok marketing", "Generative AI"]}
    result = match(problem([one, both], [raj]))
    assert result.mentor.tolist() == [1]
    assert result.reasons[0].startswith("Cy can teach 2 of the 2 topics Raj wants")


def test_no_shared_language_is_named_as_the_reason() -> None:
    lee = {"name": "Lee", "level": 6, "languages": [3], "learn": ["P&L"]}
    mentors = [{"name": f"M{i}", "level": 1, "languages": [0, 1]} for i in range(3)]
    result = match(problem(mentors, [lee]))
    assert result.unmatched.tolist() == [0]
    assert result.unmatched_rule == [Rule.LANGUAGE]
    assert result.unmatched_reasons == ["no eligible mentor shares a language with Lee"]


def test_the_rule_that_empties_the_pool_is_named() -> None:
    # The only mentor at the right level reports to Lee (Lee's interval contains theirs).
    lee = {"name": "Lee", "level": 6, "tin": 100, "tout": 200}
    in_chain = {"name": "Kim", "level": 2, "tin": 150, "tout": 150}
    too_senior = {"name": "Max", "level": 7}
    result = match(problem([in_chain, too_senior], [lee], min_level_gap=2))
    assert result.unmatched_rule == [Rule.REPORTING_CHAIN]
    assert result.unmatched_reasons == ["the one remaining mentor is in Lee's reporting chain"]


def test_same_team_levels_hours_and_previous_pairings_are_explained() -> None:
    cases = [
        ({"team": 4}, {"team": 4}, {}, Rule.SAME_TEAM, "on Lee's team"),
        ({"level": 5}, {}, {"min_level_gap": 2}, Rule.LEVEL, "at least 2 levels more junior"),
        ({"hours": range(20, 22)}, {}, {"min_shared_hours": 2}, Rule.SHARED_HOURS, "in common"),
    ]
    for mentor_extra, mentee_extra, rules, rule, words in cases:
        mentor = {"name": "Kim", "level": 2, **mentor_extra}
        lee = {"name": "Lee", "level": 6, **mentee_extra}
        result = match(problem([mentor], [lee], **rules))
        assert result.unmatched_rule == [rule]
        assert words in result.unmatched_reasons[0]

    previous = problem([{"name": "Kim", "level": 2}], [{"name": "Lee", "level": 6}])
    previous = Problem(**{**previous.__dict__, "previous": np.array([[0, 0]])})
    result = match(previous)
    assert result.unmatched_rule == [Rule.PREVIOUS_PAIRING]
    assert result.unmatched_reasons == ["Lee has already been paired with the one remaining mentor"]


def test_a_full_mentor_is_explained_as_capacity() -> None:
    kim = {"name": "Kim", "level": 2, "skills": ["P&L"]}
    keen = {"name": "Ola", "level": 6, "learn": ["P&L"]}
    other = {"name": "Lee", "level": 6, "learn": ["Podcasting"]}
    result = match(problem([kim], [keen, other]))
    assert result.mentee.tolist() == [0]
    assert result.unmatched_rule == [Rule.CAPACITY]
    assert "the one mentor eligible for Lee is full" in result.unmatched_reasons[0]


def test_in_person_programs_prefer_the_same_location_and_say_so() -> None:
    # Given a mentee in Lisbon, a mentor in Lisbon and a mentor elsewhere who is otherwise alike
    lisbon, oslo = 0, 1
    mentors = [
        {"name": "Oslo mentor", "location": oslo, "skills": ["P&L"]},
        {"name": "Lisbon mentor", "location": lisbon, "skills": ["P&L"]},
    ]
    mentees = [{"name": "Mia", "level": 5, "location": lisbon, "learn": ["P&L"]}]
    weights = {Criterion.LOCATION: Weight.HIGH, Criterion.TEACH_LEARN: Weight.LOW}
    # When the program weighs the location
    base = problem(mentors, mentees, weights=weights)
    result = match(
        Problem(
            mentors=base.mentors,
            mentees=base.mentees,
            rules=base.rules,
            topic_names=TOPICS,
            location_names=["Lisbon", "Oslo"],
        )
    )
    # Then the mentor in the same place is chosen, and the reason names the place
    assert result.mentor.tolist() == [1]
    assert "both in Lisbon" in result.reasons[0]
    # And with "must", a mentor elsewhere is never proposed
    must = problem(mentors[:1], mentees, weights={Criterion.LOCATION: Weight.MUST})
    assert match(must).matched == 0


def test_load_spreading_sends_mentees_to_a_second_mentor_before_filling_the_first() -> None:
    # Given a popular mentor who teaches both topics and one who teaches one, two places each
    mentors = [
        {"name": "Popular", "skills": ["P&L", "Podcasting"], "capacity": 2},
        {"name": "Quieter", "skills": ["P&L"], "capacity": 2},
    ]
    mentees = [
        {"name": "Mia", "level": 5, "learn": ["P&L", "Podcasting"]},
        {"name": "Noor", "level": 5, "learn": ["P&L", "Podcasting"]},
    ]
    # When matched without load spreading, both go to the popular mentor
    plain = match(problem(mentors, mentees))
    assert sorted(plain.mentor.tolist()) == [0, 0]
    # And with load spreading, the second mentee goes to the quieter mentor
    spread = match(problem(mentors, mentees, load_spreading=0.5))
    assert sorted(spread.mentor.tolist()) == [0, 1]


def test_consented_diversity_answers_steer_the_choice_but_are_never_shown() -> None:
    # Given two mentors alike in every shown respect, one of whom differs from the mentee in a
    # diversity answer both consented to use in matching
    mentors = [{"name": "Same", "skills": ["P&L"]}, {"name": "Different", "skills": ["P&L"]}]
    mentees = [{"name": "Mia", "level": 5, "learn": ["P&L"]}]
    base = problem(mentors, mentees)
    answered = Problem(
        mentors=dataclasses.replace(base.mentors, perspective=np.array([[0], [1]])),
        mentees=dataclasses.replace(base.mentees, perspective=np.array([[0]])),
        rules=base.rules,
        topic_names=TOPICS,
    )
    # When matched
    result = match(answered)
    # Then the mentor who brings another perspective is chosen
    assert result.mentor.tolist() == [1]
    # And the pair's score, breakdown and reason are what they would be without the answers
    plain = match(base)
    assert result.score[0] == pytest.approx(plain.score[0])
    assert result.breakdown[Criterion.DIVERSITY][0] == pytest.approx(
        plain.breakdown[Criterion.DIVERSITY][0]
    )
    assert result.reasons[0] == plain.reasons[0].replace("Same", "Different")
    # While the whole run's total counts them
    assert result.total_score > plain.total_score
