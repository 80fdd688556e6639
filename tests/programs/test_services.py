"""Design services: validation, locked fields, managers, eligibility, the checklist."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.authz import Actors
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import make_program, ready_dates
from twoway.core.errors import ApplicationError
from twoway.core.models import Role
from twoway.people.models import Department, Topic
from twoway.programs import services
from twoway.programs.models import EligibilityRule, Format, Program

Status = Program.Status


def test_the_creator_becomes_a_manager(actors: Actors) -> None:
    topic = Topic.objects.get(organisation=actors.organisation, name="Generative AI")
    program = services.program_create(
        actor=actors.program_manager,
        organisation=actors.organisation,
        name="  AI for leaders ",
        format=Format.REVERSE,
        key_areas=[topic],
    )
    assert program.name == "AI for leaders"
    assert program.status == Status.DRAFT
    assert list(program.managers.all()) == [actors.program_manager]
    assert list(program.key_areas.all()) == [topic]


def test_participants_cannot_create_programs(actors: Actors) -> None:
    with pytest.raises(ApplicationError, match="Only program managers and organisation admins"):
        services.program_create(
            actor=actors.participant, organisation=actors.organisation, name="X", format="classic"
        )
    assert not Program.objects.exists()


def test_key_areas_of_another_organisation_are_refused(actors: Actors) -> None:
    foreign = Topic.objects.filter(organisation=actors.other_organisation).first()
    with pytest.raises(ApplicationError, match="this organisation's taxonomy"):
        services.program_create(
            actor=actors.admin,
            organisation=actors.organisation,
            name="X",
            format=Format.CLASSIC,
            key_areas=[foreign],
        )
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"name": " "}, "needs a name", "name"),
        ({"format": "pairs"}, "not a program format", "format"),
        (
            {"application_opens": dt.date(2030, 3, 10), "application_closes": dt.date(2030, 3, 1)},
            "The applications close date (1 Mar 2030) comes before the applications open date",
            "application_closes",
        ),
        (
            {"matching_date": dt.date(2030, 9, 1), "kickoff_date": dt.date(2030, 8, 1)},
            "kickoff date",
            "kickoff_date",
        ),
        ({"circle_min_size": 1}, "at least 2 people", "circle_min_size"),
        ({"circle_min_size": 6, "circle_max_size": 4}, "largest circle (4)", "circle_max_size"),
        ({"min_level_gap": 0}, "minimum level gap is at least 1", "min_level_gap"),
        ({"cadence_weeks": 0}, "every 1 to 12 weeks", "cadence_weeks"),
        ({"session_minutes": 5}, "between 15 minutes", "session_minutes"),
        ({"favourite_colour": "red"}, "cannot be set", None),
    ],
)
def test_update_refuses_bad_input_and_saves_nothing(
    actors: Actors, program: Program, fields: dict, message: str, field: str | None
) -> None:
    before = Program.objects.values().get(pk=program.pk)
    with pytest.raises(
        ApplicationError, match=message.replace("(", r"\(").replace(")", r"\)")
    ) as e:
        services.program_update(actor=actors.program_manager, program=program, **fields)
    assert e.value.extra.get("field") == field
    assert Program.objects.values().get(pk=program.pk) == before


def test_update_saves_the_design(actors: Actors, program: Program) -> None:
    topics = list(Topic.objects.filter(organisation=actors.organisation)[:2])
    services.program_update(
        actor=actors.program_manager,
        program=program,
        goals="Learn TikTok",
        cadence_weeks=3,
        key_areas=topics,
    )
    program.refresh_from_db()
    assert (program.goals, program.cadence_weeks) == ("Learn TikTok", 3)
    assert set(program.key_areas.all()) == set(topics)


def test_the_format_is_fixed_once_enrolment_opens(actors: Actors) -> None:
    program = make_program(
        organisation=actors.organisation, manager=actors.admin, status=Status.ENROLLING
    )
    with pytest.raises(ApplicationError, match="format cannot change once enrolment has opened"):
        services.program_update(actor=actors.admin, program=program, format=Format.CLASSIC)
    # Setting it to what it already is, as a form does, is fine.
    services.program_update(actor=actors.admin, program=program, format=Format.REVERSE, goals="g")


def test_timeline_and_capacity_are_locked_once_running(actors: Actors) -> None:
    program = make_program(
        organisation=actors.organisation,
        manager=actors.admin,
        status=Status.RUNNING,
        **ready_dates(),
    )
    with pytest.raises(ApplicationError, match="kickoff cannot change once the program is running"):
        services.program_update(
            actor=actors.admin, program=program, kickoff_date=dt.date(2030, 4, 20)
        )
    with pytest.raises(ApplicationError, match="mentees per mentor cannot change"):
        services.program_update(actor=actors.admin, program=program, mentees_per_mentor=3)
    # Words and the end date may still change.
    services.program_update(
        actor=actors.admin, program=program, description="Now running", end_date=dt.date(2031, 1, 1)
    )


def test_a_closed_program_no_longer_changes(actors: Actors) -> None:
    program = make_program(
        organisation=actors.organisation, manager=actors.admin, status=Status.CLOSED
    )
    with pytest.raises(ApplicationError, match="closed program can no longer be changed"):
        services.program_update(actor=actors.admin, program=program, description="x")


def test_a_manager_of_another_program_cannot_update(
    actors: Actors, program: Program, other_program_manager
) -> None:
    with pytest.raises(ApplicationError):
        services.program_update(actor=other_program_manager, program=program, goals="mine now")


def test_managers_must_be_program_managers_of_this_organisation(
    actors: Actors, program: Program
) -> None:
    with pytest.raises(ApplicationError, match="cannot manage programs here"):
        services.program_set_managers(
            actor=actors.program_manager, program=program, managers=[actors.participant]
        )
    with pytest.raises(ApplicationError, match="cannot manage programs here"):
        services.program_set_managers(
            actor=actors.program_manager, program=program, managers=[actors.outsider]
        )
    with pytest.raises(ApplicationError, match="at least one manager"):
        services.program_set_managers(actor=actors.program_manager, program=program, managers=[])
    assert list(program.managers.all()) == [actors.program_manager]

    services.program_set_managers(
        actor=actors.program_manager,
        program=program,
        managers=[actors.program_manager, actors.admin],
    )
    assert set(program.managers.all()) == {actors.program_manager, actors.admin}


def test_eligibility_is_validated_against_the_level_ladder(
    actors: Actors, program: Program
) -> None:
    with pytest.raises(ApplicationError, match=r"Level 9 is not on this organisation's ladder"):
        services.eligibility_set(
            actor=actors.program_manager, program=program, role="mentor", min_level=1, max_level=9
        )
    with pytest.raises(ApplicationError, match=r"highest level \(2\) is below the lowest \(3\)"):
        services.eligibility_set(
            actor=actors.program_manager, program=program, role="mentor", min_level=3, max_level=2
        )
    with pytest.raises(ApplicationError, match="not a role"):
        services.eligibility_set(actor=actors.program_manager, program=program, role="sponsor")
    assert not EligibilityRule.objects.exists()


def test_eligibility_saves_and_replaces(actors: Actors, program: Program) -> None:
    marketing = Department.objects.create(organisation=actors.organisation, name="Marketing")
    star = PersonFactory(organisation=actors.organisation, level=5)
    services.eligibility_set(
        actor=actors.program_manager,
        program=program,
        role="mentor",
        min_level=1,
        max_level=3,
        min_tenure_months=6,
        departments=[marketing],
        included=[star],
    )
    rule = services.eligibility_set(
        actor=actors.program_manager, program=program, role="mentor", max_level=4
    )
    assert EligibilityRule.objects.filter(program=program).count() == 1
    assert (rule.min_level, rule.max_level, rule.min_tenure_months) == (None, 4, None)
    assert not rule.departments.exists() and not rule.included.exists()


def test_eligibility_refuses_foreign_people_and_overlapping_lists(
    actors: Actors, program: Program
) -> None:
    stranger = PersonFactory(organisation=actors.other_organisation)
    with pytest.raises(ApplicationError, match="must belong to this organisation"):
        services.eligibility_set(
            actor=actors.program_manager, program=program, role="mentee", included=[stranger]
        )
    person = PersonFactory(organisation=actors.organisation, first_name="Ada", last_name="Byron")
    with pytest.raises(ApplicationError, match="Ada Byron cannot be both included and excluded"):
        services.eligibility_set(
            actor=actors.program_manager,
            program=program,
            role="mentee",
            included=[person],
            excluded=[person],
        )
    assert not EligibilityRule.objects.exists()


def test_checklist_ticks_and_unticks(actors: Actors, program: Program) -> None:
    services.checklist_tick(
        actor=actors.program_manager, program=program, step="key_areas", done=True
    )
    program.refresh_from_db()
    assert set(program.checklist) == {"key_areas"}
    services.checklist_tick(
        actor=actors.program_manager, program=program, step="key_areas", done=False
    )
    program.refresh_from_db()
    assert program.checklist == {}
    with pytest.raises(ApplicationError, match="not a step of the checklist"):
        services.checklist_tick(
            actor=actors.program_manager, program=program, step="party", done=True
        )


def test_another_organisations_admin_cannot_touch_the_program(
    actors: Actors, program: Program
) -> None:
    with pytest.raises(ApplicationError):
        services.checklist_tick(actor=actors.outsider, program=program, step="celebrate", done=True)
    other = OrganisationFactory()
    admin_elsewhere = MembershipFactory(organisation=other, role=Role.ADMIN).user
    with pytest.raises(ApplicationError):
        services.program_update(actor=admin_elsewhere, program=program, goals="x")
