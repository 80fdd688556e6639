"""The program's approved applications as the engine's problem."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.core.factories import OrganisationFactory
from tests.matching.django_factories import (
    approved,
    matching_program,
    mentorship,
    pairs_program,
    participant,
)
from twoway.enrolment.models import Application, CustomQuestion, DiversityResponse
from twoway.matching.engine import Criterion, Format, Weight, match
from twoway.matching.engine.scoring import pairs_allowed, prepare
from twoway.matching.models import MatchingSettings, PairExclusion
from twoway.matching.problem import program_problem
from twoway.matching.services import shown_totals
from twoway.people.models import Topic

pytestmark = pytest.mark.django_db


def test_sides_follow_roles_and_either_fills_the_shorter_side() -> None:
    org = OrganisationFactory()
    program = matching_program(org)
    mentor = approved(program, participant(org, first_name="Ann", level=2), role="mentor")
    mentee = approved(program, participant(org, first_name="Bea", level=5), role="mentee")
    # Given two "either" applications after one mentor and one mentee: the first ties (→ mentee),
    # the second fills the now shorter mentor side.
    first = approved(program, participant(org, first_name="Cy", level=3), role="either")
    second = approved(program, participant(org, first_name="Di", level=3), role="either")
    approved(program, participant(org, first_name="Ed"), role="mentor", status="submitted")

    built = program_problem(program=program)

    assert [a.pk for a in built.mentors] == [mentor.pk, second.pk]
    assert [a.pk for a in built.mentees] == [mentee.pk, first.pk]
    assert list(built.problem.mentors.names) == ["Ann Tester", "Di Tester"]
    assert built.problem.rules.format is Format.REVERSE


def test_capacity_is_net_of_open_mentorships_in_the_program() -> None:
    org = OrganisationFactory()
    program, mentors, _ = pairs_program(org, pairs=2, mentees_per_mentor=3)
    other = matching_program(org, name="Another program")
    busy = mentors[0].person
    mentorship(program, mentor=busy, mentee=participant(org, first_name="X", level=6))
    mentorship(program, mentor=busy, mentee=participant(org, first_name="Y", level=6))
    mentorship(
        program, mentor=busy, mentee=participant(org, first_name="Z", level=6), status="completed"
    )
    mentorship(other, mentor=busy, mentee=participant(org, first_name="W", level=6))

    built = program_problem(program=program)

    assert built.problem.mentors.capacity.tolist() == [1, 3]


def test_exclusions_and_earlier_pairings_are_forbidden_either_way() -> None:
    org = OrganisationFactory()
    program, mentors, mentees = pairs_program(org, pairs=2)
    PairExclusion.objects.create(
        organisation=org, program=program, person_a=mentees[0].person, person_b=mentors[0].person
    )
    earlier = matching_program(org, name="Last year", status="closed")
    # Last year the roles were the other way round: still a previous pairing.
    mentorship(earlier, mentor=mentees[1].person, mentee=mentors[1].person, status="completed")

    built = program_problem(program=program)

    assert built.problem.forbidden.tolist() == [[0, 0]]
    assert built.problem.previous.tolist() == [[1, 1]]
    f = prepare(built.problem)
    allowed = pairs_allowed(f, np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]))
    assert allowed.tolist() == [False, True, True, False]


def test_a_manager_and_their_report_are_never_paired() -> None:
    org = OrganisationFactory()
    program = matching_program(org)
    boss = participant(org, first_name="Boss", level=6)
    report = participant(org, first_name="Report", level=2, manager=boss)
    stranger = participant(org, first_name="Stranger", level=2)
    boss_app = approved(program, boss, role="mentee")
    approved(program, report, role="mentor")
    stranger_app = approved(program, stranger, role="mentor")

    built = program_problem(program=program)
    result = match(built.problem)

    # Given the report is the only other option, the boss gets the stranger, and the report is
    # left without a mentee although both are free.
    assert result.matched == 1
    assert built.mentees[int(result.mentee[0])].pk == boss_app.pk
    assert built.mentors[int(result.mentor[0])].pk == stranger_app.pk
    f = prepare(built.problem)
    assert pairs_allowed(f, np.array([0]), np.array([0])).tolist() == [False]


def test_questionnaire_becomes_features() -> None:
    org = OrganisationFactory()
    program = matching_program(org)
    python = Topic.objects.create(organisation=org, name="Python")
    sql = Topic.objects.create(organisation=org, name="SQL")
    question = CustomQuestion.objects.create(
        organisation=org,
        program=program,
        text="Pace",
        kind="single",
        choices=["slow", "fast"],
        used_for_matching=True,
        weight="medium",
    )
    mentor = approved(
        program,
        participant(org, first_name="Ann", level=2, hire_date=dt.date(2021, 4, 1)),
        role="mentor",
        shares=[python, sql],
        languages=[],
        time_zone="Asia/Kolkata",
        openness=None,
    )
    mentee = approved(
        program,
        participant(org, first_name="Bea", level=None, location="Paris"),
        role="mentee",
        learns=[sql],
        languages=["fr", "en"],
    )
    mentor.answers.create(organisation=org, question=question, value="fast")
    mentee.answers.create(organisation=org, question=question, value="Fast")
    MatchingSettings.objects.create(
        organisation=org, program=program, weights={"interests": "off"}, min_shared_hours=4
    )

    p = program_problem(program=program).problem

    assert list(p.topic_names) == ["SQL", "Python"]  # numbered as first seen, mentees first
    assert p.mentors.skills.toarray().tolist() == [[1, 1]]
    assert p.mentees.learn.toarray().tolist() == [[1, 0]]
    assert p.mentors.utc_offset.tolist() == [5.5]
    assert p.mentors.style[0].tolist() == [4.0, 5.0, 5.0, 4.0, 4.0]
    assert p.mentors.generation.tolist() == [2021 // 5]
    assert p.mentees.generation.tolist() == [-1]
    assert p.mentees.location.tolist() == [0] and p.mentors.location.tolist() == [-1]
    assert int(p.mentors.languages[0]) == 2**64 - 1  # none given: no restriction
    assert p.mentors.answers.tolist() == p.mentees.answers.tolist() == [[0]]
    assert p.rules.weights[Criterion.INTERESTS] is Weight.OFF
    assert p.rules.weights[Criterion.CUSTOM] is Weight.MEDIUM
    assert p.rules.min_shared_hours == 4
    # The mentee's level is unknown: the level rule keeps them unplaced.
    assert not pairs_allowed(prepare(p), np.array([0]), np.array([0]))[0]


def test_locked_pairs_map_to_indexes_and_unknown_ones_are_dropped() -> None:
    org = OrganisationFactory()
    program, mentors, mentees = pairs_program(org, pairs=2)
    gone = mentees[0]
    locked = [(mentees[1].pk, mentors[0].pk), (gone.pk, mentors[1].pk)]
    Application.objects.filter(pk=gone.pk).update(status="withdrawn")

    built = program_problem(program=program, locked=locked)

    assert built.problem.locked.tolist() == [[0, 0]]
    assert built.dropped_locks == [(gone.pk, mentors[1].pk)]


@pytest.mark.parametrize("size", [2, 12])
def test_the_builder_costs_the_same_queries_whatever_the_size(size: int) -> None:
    org = OrganisationFactory()
    program, mentors, mentees = pairs_program(org, pairs=size)
    topic = Topic.objects.create(organisation=org, name="Python")
    for application in mentors:
        application.shares.set([topic])
    for application in mentees:
        application.learns.set([topic])
    CustomQuestion.objects.create(
        organisation=org, program=program, text="Pace", kind="scale", used_for_matching=True
    )
    earlier = matching_program(org, name="Last year", status="closed")
    mentorship(earlier, mentor=mentors[0].person, mentee=mentees[0].person, status="completed")
    PairExclusion.objects.create(
        organisation=org, program=program, person_a=mentees[1].person, person_b=mentors[1].person
    )

    with CaptureQueriesContext(connection) as queries:
        built = program_problem(program=program)

    assert len(built.mentors) == size
    assert len(queries) == 11


def test_only_diversity_answers_consented_for_matching_count_and_they_are_never_shown() -> None:
    # Given one mentee and two mentors alike in every shown respect; the mentee and one mentor
    # gave (different) diversity answers for matching, the other mentor for reporting only
    org = OrganisationFactory()
    program = matching_program(org)
    mentee = approved(program, participant(org, first_name="Mia", level=5), role="mentee")
    answered = approved(program, participant(org, first_name="Sam", level=2), role="mentor")
    other = approved(program, participant(org, first_name="Oli", level=2), role="mentor")
    canary = "Canary-ethnicity-7f3e"
    for application, gender, consent in (
        (mentee, "woman", True),
        (answered, "man", True),
        (other, "woman", False),
    ):
        DiversityResponse.objects.create(
            organisation=org,
            application=application,
            gender=gender,
            ethnicity=canary,
            consent_matching=consent,
            consent_reporting=not consent,
        )
    # When the problem is built
    built = program_problem(program=program)
    # Then consented answers are coded and the unconsented ones are unknown (-1)
    mentors = {a.pk: i for i, a in enumerate(built.mentors)}
    perspective_m = built.problem.mentors.perspective
    perspective_e = built.problem.mentees.perspective
    assert perspective_m is not None and perspective_e is not None
    assert (perspective_m[mentors[other.pk]] == -1).all()
    assert perspective_m[mentors[answered.pk]][0] not in (-1, perspective_e[0][0])
    assert perspective_e[0][0] != -1
    # And nothing the engine says about a pair mentions an answer
    result = match(built.problem)
    assert built.mentors[int(result.mentor[0])].pk == answered.pk  # another perspective counted
    said = " ".join([*result.reasons, *result.unmatched_reasons])
    assert "woman" not in said and canary not in said
    # And the run's figures are the sum of the pairs' shown scores and the proven distance, so
    # no subtraction between them recovers the answers
    total, bound = shown_totals(result)
    assert total == pytest.approx(float(result.score.sum()))
    assert result.total_score > total  # the engine itself did count them
    assert bound - total == pytest.approx(result.upper_bound - result.total_score)
