"""The distributions the insights dashboards read: right counts, one query each."""

from __future__ import annotations

from tests.authz import Actors
from tests.programs.factories import make_program
from tests.surveys.factories import (
    add_participants,
    answer,
    exit_answers,
    make_survey,
    surveyed_room,
)
from twoway.programs.models import Program
from twoway.surveys import selectors


def test_distributions_of_one_program(actors: Actors, django_assert_num_queries) -> None:
    room, extra = surveyed_room(actors, extra=2)
    exit_survey = make_survey(actors, room.program)
    check_in = make_survey(actors, room.program, template="check_in")
    for user, (recommend, satisfaction) in zip(
        [room.mentee, room.mentor, *extra], [(10, 5), (9, 5), (3, 2), (9, 4)], strict=True
    ):
        answer(
            user,
            exit_survey,
            exit_answers(exit_survey, recommend=recommend, satisfaction=satisfaction),
        )
    check_in_scale = check_in.questions.get(kind="scale")
    answer(
        room.mentee,
        check_in,
        {
            q.pk: (
                1 if q.pk == check_in_scale.pk else "Yes, as agreed" if q.kind == "choice" else ""
            )
            for q in check_in.questions.all()
        },
    )
    with django_assert_num_queries(1):
        recommend = selectors.recommend_distribution(program=room.program)
    with django_assert_num_queries(1):
        satisfaction = selectors.satisfaction_distribution(program=room.program)
    assert recommend == {0: 0, 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 2, 10: 1}
    # The exit survey's satisfaction and the check-in's both count.
    assert satisfaction == {1: 1, 2: 1, 3: 0, 4: 1, 5: 2}


def test_distributions_by_program(actors: Actors, django_assert_num_queries) -> None:
    room, _ = surveyed_room(actors)
    other = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        name="Second",
        status=Program.Status.RUNNING,
    )
    (other_person,) = add_participants(actors, other, 1)
    empty = make_program(
        organisation=actors.organisation, manager=actors.program_manager, name="Empty"
    )
    first_survey = make_survey(actors, room.program)
    second_survey = make_survey(actors, other)
    answer(room.mentee, first_survey, exit_answers(first_survey, recommend=7))
    answer(other_person, second_survey, exit_answers(second_survey, recommend=2, satisfaction=1))
    programs = [room.program, other, empty]
    with django_assert_num_queries(1):
        recommend = selectors.recommend_distribution_by_program(programs=programs)
    with django_assert_num_queries(1):
        satisfaction = selectors.satisfaction_distribution_by_program(programs=programs)
    assert set(recommend) == {room.program.pk, other.pk, empty.pk}
    assert recommend[room.program.pk][7] == 1 and sum(recommend[room.program.pk].values()) == 1
    assert recommend[other.pk][2] == 1 and sum(recommend[other.pk].values()) == 1
    assert sum(recommend[empty.pk].values()) == 0
    assert satisfaction[other.pk] == {1: 1, 2: 0, 3: 0, 4: 0, 5: 0}
    assert satisfaction[room.program.pk][4] == 1
