"""The built-in library and organisations' own playbooks."""

from __future__ import annotations

import pytest

from tests.authz import Actors
from tests.programs.factories import ready_dates
from twoway.core.errors import ApplicationError
from twoway.people.taxonomy import STARTER_TOPICS
from twoway.programs import lifecycle, services
from twoway.programs.models import EligibilityRule, Format, Playbook, Program
from twoway.programs.playbooks import BUILTIN_PLAYBOOKS, CHECKLIST, BuiltinPlaybook

STARTER_NAMES = {name for names in STARTER_TOPICS.values() for name in names}


def test_the_library_has_the_five_playbooks_of_the_issue() -> None:
    assert [p.format for p in BUILTIN_PLAYBOOKS] == [
        Format.REVERSE,
        Format.REVERSE,
        Format.CIRCLE,
        Format.MULTIGENERATIONAL,
        Format.CLASSIC,
    ]
    assert len({p.key for p in BUILTIN_PLAYBOOKS}) == 5


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p.key)
def test_key_areas_are_starter_topics(playbook: BuiltinPlaybook) -> None:
    assert set(playbook.key_areas) <= STARTER_NAMES


def test_the_checklist_is_the_five_steps_each_with_somewhere_to_go_or_a_plain_note() -> None:
    assert [s.title for s in CHECKLIST] == [
        "Identify key areas",
        "Match carefully",
        "Set clear expectations",
        "Encourage open dialogue",
        "Celebrate successes",
    ]
    for step in CHECKLIST:
        assert step.url_name or step.later


@pytest.mark.parametrize("playbook", BUILTIN_PLAYBOOKS, ids=lambda p: p.key)
def test_each_builtin_creates_a_valid_program_that_can_open_enrolment(
    actors: Actors, playbook: BuiltinPlaybook
) -> None:
    program = services.program_create_from_playbook(
        actor=actors.program_manager,
        organisation=actors.organisation,
        playbook_key=playbook.key,
        name=playbook.name,
    )

    assert program.format == playbook.format
    assert program.playbook_key == playbook.key
    assert sorted(t.name for t in program.key_areas.all()) == sorted(playbook.key_areas)
    assert all(t.organisation_id == actors.organisation.pk for t in program.key_areas.all())
    assert program.confidentiality_guidelines == playbook.confidentiality_guidelines
    assert (program.circle_min_size, program.circle_max_size) == (
        playbook.circle_min_size,
        playbook.circle_max_size,
    )
    rules = {r.role: r for r in EligibilityRule.objects.filter(program=program)}
    assert (rules["mentor"].min_level, rules["mentor"].max_level) == (
        playbook.mentor.min_level,
        playbook.mentor.max_level,
    )
    # Only the dates are missing before enrolment can open.
    services.program_update(actor=actors.program_manager, program=program, **ready_dates())
    program = lifecycle.program_open_enrolment(actor=actors.program_manager, program=program)
    assert program.status == Program.Status.ENROLLING


def test_reverse_digital_defaults(actors: Actors) -> None:
    program = services.program_create_from_playbook(
        actor=actors.admin,
        organisation=actors.organisation,
        playbook_key="reverse-digital",
        name="Digital",
    )
    rules = {r.role: (r.min_level, r.max_level) for r in program.eligibility.all()}
    assert rules == {"mentor": (1, 3), "mentee": (6, 8)}
    assert "line managers" in program.confidentiality_guidelines
    assert program.min_level_gap >= 1


def test_an_unknown_playbook_is_refused(actors: Actors) -> None:
    with pytest.raises(ApplicationError, match="no built-in playbook called 'nope'"):
        services.program_create_from_playbook(
            actor=actors.admin, organisation=actors.organisation, playbook_key="nope", name="X"
        )
    assert not Program.objects.exists()


def test_save_as_playbook_round_trip(actors: Actors) -> None:
    original = services.program_create_from_playbook(
        actor=actors.program_manager,
        organisation=actors.organisation,
        playbook_key="group-circle",
        name="Spring circles",
    )
    services.program_update(
        actor=actors.program_manager, program=original, goals="Our own goals", circle_max_size=6
    )

    playbook = services.playbook_save_from_program(
        actor=actors.program_manager, program=original, name="Acme circles"
    )
    copy = services.program_create_from_playbook(
        actor=actors.program_manager,
        organisation=actors.organisation,
        playbook=playbook,
        name="Autumn circles",
    )

    assert copy.playbook_key == f"custom:{playbook.pk}"
    assert (copy.format, copy.goals, copy.circle_max_size) == (Format.CIRCLE, "Our own goals", 6)
    assert set(copy.key_areas.all()) == set(original.key_areas.all())
    assert {
        (r.role, r.min_level, r.max_level, r.min_tenure_months) for r in copy.eligibility.all()
    } == {
        (r.role, r.min_level, r.max_level, r.min_tenure_months) for r in original.eligibility.all()
    }


def test_playbook_names_are_unique_per_organisation(actors: Actors, program: Program) -> None:
    services.playbook_save_from_program(actor=actors.admin, program=program, name="Ours")
    with pytest.raises(ApplicationError, match="already has a playbook called 'ours'"):
        services.playbook_save_from_program(actor=actors.admin, program=program, name="ours")
    assert Playbook.objects.count() == 1


def test_another_organisations_playbook_is_refused(actors: Actors, program: Program) -> None:
    playbook = services.playbook_save_from_program(actor=actors.admin, program=program, name="P")
    with pytest.raises(ApplicationError, match="belongs to another organisation"):
        services.program_create_from_playbook(
            actor=actors.outsider,
            organisation=actors.other_organisation,
            playbook=playbook,
            name="Stolen",
        )
