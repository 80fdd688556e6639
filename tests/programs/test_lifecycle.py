"""Every legal transition goes through; every illegal one is refused with a message and changes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.authz import Actors
from tests.programs.factories import make_program, ready_dates
from twoway.core.errors import ApplicationError
from twoway.programs import lifecycle
from twoway.programs.lifecycle import TRANSITIONS
from twoway.programs.models import Format, Program

Status = Program.Status
LEGAL = {(t.source, t.name): t.target for t in TRANSITIONS}


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.name)
def test_every_legal_transition_moves_the_program(actors: Actors, transition) -> None:
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        status=transition.source,
        **ready_dates(),
    )

    result = lifecycle.program_transition(
        actor=actors.program_manager, program=program, name=transition.name
    )

    assert result.status == transition.target
    program.refresh_from_db()
    assert program.status == transition.target


ILLEGAL = [(status, t) for status in Status.values for t in TRANSITIONS if t.source != status]


@pytest.mark.parametrize(
    ("status", "transition"), ILLEGAL, ids=[f"{s}-{t.name}" for s, t in ILLEGAL]
)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    actors: Actors, status: str, transition
) -> None:
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        status=status,
        **ready_dates(),
    )
    before = Program.objects.values().get(pk=program.pk)

    with pytest.raises(ApplicationError) as refused:
        lifecycle.program_transition(
            actor=actors.program_manager, program=program, name=transition.name
        )

    label = Status(status).label.lower()
    assert refused.value.message.startswith(f"A program in {label} cannot {transition.action};")
    assert Program.objects.values().get(pk=program.pk) == before


def test_the_refusal_says_why_in_the_products_words(actors: Actors) -> None:
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        status=Status.MATCHING,
        **ready_dates(),
    )
    with pytest.raises(ApplicationError) as refused:
        lifecycle.program_open_enrolment(actor=actors.program_manager, program=program)
    assert refused.value.message == (
        "A program in matching cannot open enrolment; it already has its applicants and is "
        "being matched. Only a program in draft can."
    )


def test_opening_enrolment_names_everything_missing_at_once(actors: Actors) -> None:
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        format=Format.CIRCLE,
        application_opens=dt.date(2030, 3, 1),
    )

    with pytest.raises(ApplicationError) as refused:
        lifecycle.program_open_enrolment(actor=actors.program_manager, program=program)

    assert refused.value.extra["problems"] == [
        "set the dates the application window opens and closes",
        "set the smallest and largest circle size",
    ]
    program.refresh_from_db()
    assert program.status == Status.DRAFT


def test_opening_enrolment_needs_a_manager(actors: Actors, program: Program) -> None:
    program.managers.clear()
    with pytest.raises(ApplicationError, match="add at least one program manager"):
        lifecycle.program_open_enrolment(actor=actors.admin, program=program)


def test_reverse_mentoring_needs_a_level_gap_to_open(actors: Actors, program: Program) -> None:
    Program.objects.filter(pk=program.pk).update(min_level_gap=0)  # as an old row might be
    program.refresh_from_db()
    with pytest.raises(ApplicationError, match="minimum level gap of at least 1"):
        lifecycle.program_open_enrolment(actor=actors.program_manager, program=program)


def test_starting_needs_a_kickoff_date(actors: Actors) -> None:
    program = make_program(
        organisation=actors.organisation, manager=actors.program_manager, status=Status.MATCHING
    )
    with pytest.raises(ApplicationError, match="set the kickoff date"):
        lifecycle.program_start(actor=actors.program_manager, program=program)
    program.refresh_from_db()
    assert program.status == Status.MATCHING


def test_an_admin_may_move_any_program(actors: Actors, program: Program) -> None:
    lifecycle.program_open_enrolment(actor=actors.admin, program=program)
    assert program.status == Status.ENROLLING


def test_a_manager_of_another_program_may_not(
    actors: Actors, program: Program, other_program_manager
) -> None:
    with pytest.raises(ApplicationError, match="Only the program's managers"):
        lifecycle.program_open_enrolment(actor=other_program_manager, program=program)
    program.refresh_from_db()
    assert program.status == Status.DRAFT


def test_the_whole_lifecycle_in_order(actors: Actors, program: Program) -> None:
    actor = actors.program_manager
    for service, status in [
        (lifecycle.program_open_enrolment, Status.ENROLLING),
        (lifecycle.program_start_matching, Status.MATCHING),
        (lifecycle.program_reopen_enrolment, Status.ENROLLING),
        (lifecycle.program_start_matching, Status.MATCHING),
        (lifecycle.program_start, Status.RUNNING),
        (lifecycle.program_begin_closing, Status.CLOSING),
        (lifecycle.program_close, Status.CLOSED),
    ]:
        program = service(actor=actor, program=program)
        assert program.status == status


def test_an_unknown_transition_is_refused(actors: Actors, program: Program) -> None:
    with pytest.raises(ApplicationError, match="no program transition called 'launch'"):
        lifecycle.program_transition(actor=actors.program_manager, program=program, name="launch")
