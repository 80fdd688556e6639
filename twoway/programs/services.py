"""Writes of program design: create, update, managers, eligibility, the checklist, playbooks.

Every service checks its actor (views and endpoints have already answered 404 to strangers),
validates, and saves inside a transaction; a refusal raises ``ApplicationError`` with a message
for the user and writes nothing. Lifecycle transitions live in ``lifecycle.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from twoway.accounts.models import User
from twoway.core.errors import ApplicationError
from twoway.core.models import Membership, Organisation, Role
from twoway.people.models import Department, Level, Person, Topic, topic_key
from twoway.programs import access
from twoway.programs.models import EligibilityRule, Format, Playbook, Program
from twoway.programs.playbooks import (
    BUILTIN_BY_KEY,
    CHECKLIST_KEYS,
    CUSTOM_PREFIX,
    BuiltinPlaybook,
)

Status = Program.Status

# Plain fields ``program_update`` accepts (``key_areas`` and managers have their own handling).
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "format",
        "goals",
        "application_opens",
        "application_closes",
        "matching_date",
        "kickoff_date",
        "end_date",
        "cadence_weeks",
        "session_minutes",
        "confidentiality_guidelines",
        "mentees_per_mentor",
        "circle_min_size",
        "circle_max_size",
        "max_participants",
        "min_level_gap",
        "enrolment_mode",
        "requires_approval",
        "notify_applicant_manager",
    }
)
# People applied to a format: it is fixed once enrolment opens.
LOCKED_AFTER_DRAFT = frozenset({"format"})
# Once mentorships are under way, the shape of the program no longer changes.
LOCKED_WHEN_RUNNING = frozenset(
    {
        "application_opens",
        "application_closes",
        "matching_date",
        "kickoff_date",
        "mentees_per_mentor",
        "circle_min_size",
        "circle_max_size",
        "max_participants",
        "min_level_gap",
        "enrolment_mode",
        "requires_approval",
    }
)
RUNNING_OR_LATER = frozenset({Status.RUNNING, Status.CLOSING, Status.CLOSED})

FIELD_LABELS = {
    "application_opens": "applications open",
    "application_closes": "applications close",
    "matching_date": "matching date",
    "kickoff_date": "kickoff",
    "end_date": "end",
    "format": "format",
    "mentees_per_mentor": "mentees per mentor",
    "circle_min_size": "smallest circle",
    "circle_max_size": "largest circle",
    "max_participants": "participant cap",
    "min_level_gap": "minimum level gap",
    "enrolment_mode": "enrolment mode",
    "requires_approval": "approval",
}

DATE_ORDER = (
    "application_opens",
    "application_closes",
    "matching_date",
    "kickoff_date",
    "end_date",
)


def _refuse(message: str, field: str | None = None) -> ApplicationError:
    return ApplicationError(message, extra={"field": field} if field else None)


def _locked(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


# --- Validation ----------------------------------------------------------------------------------


def program_validate(program: Program) -> None:
    """The rules every saved program keeps, whatever its status."""
    if not program.name.strip():
        raise _refuse("A program needs a name.", "name")
    if program.format not in Format.values:
        raise _refuse(f"{program.format!r} is not a program format.", "format")
    dates = [(name, getattr(program, name)) for name in DATE_ORDER]
    set_dates = [(name, value) for name, value in dates if value is not None]
    for (earlier, first), (later, second) in itertools.pairwise(set_dates):
        if second < first:
            raise _refuse(
                f"The {FIELD_LABELS[later]} date ({second:%-d %b %Y}) comes before the "
                f"{FIELD_LABELS[earlier]} date ({first:%-d %b %Y}); dates must follow "
                "the order: applications open, applications close, matching, kickoff, end.",
                later,
            )
    if not 1 <= program.cadence_weeks <= 12:
        raise _refuse("Sessions should happen every 1 to 12 weeks.", "cadence_weeks")
    if not 15 <= program.session_minutes <= 480:
        raise _refuse("A session lasts between 15 minutes and 8 hours.", "session_minutes")
    if program.mentees_per_mentor < 1:
        raise _refuse("A mentor takes at least one mentee.", "mentees_per_mentor")
    low, high = program.circle_min_size, program.circle_max_size
    if low is not None and low < 2:
        raise _refuse("A circle has at least 2 people.", "circle_min_size")
    if low is not None and high is not None and high < low:
        raise _refuse(
            f"The largest circle ({high}) is smaller than the smallest ({low}).", "circle_max_size"
        )
    if program.max_participants is not None and program.max_participants < 2:
        raise _refuse("A participant cap below 2 leaves no one to match.", "max_participants")
    if program.format == Format.REVERSE and program.min_level_gap < 1:
        raise _refuse(
            "In reverse mentoring the mentor is more junior: the minimum level gap is at least 1.",
            "min_level_gap",
        )
    try:
        program.full_clean(exclude=["organisation", "key_areas", "managers"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise _refuse(f"{field.replace('_', ' ').capitalize()}: {messages[0]}", field) from None


def _resolve_key_areas(organisation: Organisation, key_areas: Iterable[Topic | int]) -> list[Topic]:
    wanted = [topic.pk if isinstance(topic, Topic) else int(topic) for topic in key_areas]
    topics = list(Topic.objects.filter(organisation=organisation, pk__in=wanted))
    if len(topics) != len(set(wanted)):
        raise _refuse("Key areas must come from this organisation's taxonomy.", "key_areas")
    return topics


def _topics_by_name(organisation: Organisation, names: Iterable[str]) -> list[Topic]:
    """The organisation's skill topics for the playbook's names (by key, case-insensitively);
    names the organisation no longer has are left out."""
    keys = [topic_key(name) for name in names]
    found = {
        topic.key: topic
        for topic in Topic.objects.filter(
            organisation=organisation, kind=Topic.Kind.SKILL, key__in=keys
        )
    }
    return [found[key] for key in keys if key in found]


# --- Create and update ---------------------------------------------------------------------------


def _program_build(
    *, organisation: Organisation, name: str, format: str, values: Mapping[str, Any]
) -> Program:
    program = Program(organisation=organisation, name=name.strip(), format=format)
    for field, value in values.items():
        if field not in EDITABLE_FIELDS:
            raise _refuse(f"{field!r} is not a field of a program.")
        setattr(program, field, value)
    program.name = name.strip()
    program.format = format
    return program


@transaction.atomic
def program_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    format: str,
    description: str = "",
    goals: str = "",
    key_areas: Iterable[Topic | int] = (),
    playbook_key: str = "",
    **fields: Any,
) -> Program:
    """A draft program; ``actor`` (a program manager or admin) becomes its first manager."""
    access.require_creator(actor=actor, organisation=organisation)
    program = _program_build(
        organisation=organisation,
        name=name,
        format=format,
        values={"description": description, "goals": goals, **fields},
    )
    program.playbook_key = playbook_key
    program_validate(program)
    topics = _resolve_key_areas(organisation, key_areas)
    program.save()
    program.key_areas.set(topics)
    program.managers.add(actor)
    return program


@transaction.atomic
def program_update(
    *,
    actor: User,
    program: Program,
    key_areas: Iterable[Topic | int] | None = None,
    **fields: Any,
) -> Program:
    """Change the design. The format is fixed once enrolment opens; timeline, capacity and
    enrolment settings once the program runs; a closed program no longer changes."""
    locked = _locked(program)
    access.require_manager(actor=actor, program=locked)
    if locked.status == Status.CLOSED:
        raise _refuse("A closed program can no longer be changed.")
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise _refuse(f"{', '.join(sorted(unknown))} cannot be set on a program.")
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        if name in LOCKED_AFTER_DRAFT and locked.status != Status.DRAFT:
            raise _refuse(
                f"The {FIELD_LABELS[name]} cannot change once enrolment has opened; people "
                "applied to this format.",
                name,
            )
        if name in LOCKED_WHEN_RUNNING and locked.status in RUNNING_OR_LATER:
            raise _refuse(
                f"The {FIELD_LABELS[name]} cannot change once the program is running.", name
            )
        setattr(locked, name, fields[name])
    if "name" in changed:
        locked.name = locked.name.strip()
    program_validate(locked)
    locked.save(update_fields=[*changed, "updated_at"])
    for name in [*changed, "updated_at"]:  # the caller's instance stays current
        setattr(program, name, getattr(locked, name))
    if key_areas is not None:
        locked.key_areas.set(_resolve_key_areas(locked.organisation, key_areas))
    return locked


@transaction.atomic
def program_set_managers(*, actor: User, program: Program, managers: Sequence[User]) -> Program:
    """Replace the program's managers: each an active member with the program manager role or
    above; at least one."""
    locked = _locked(program)
    access.require_manager(actor=actor, program=locked)
    if not managers:
        raise _refuse("A program needs at least one manager.", "managers")
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(
            organisation=locked.organisation, user__in=managers, is_active=True
        )
    }
    for user in managers:
        membership = memberships.get(user.pk)
        if membership is None or not membership.has_role(Role.PROGRAM_MANAGER):
            raise _refuse(
                f"{user} cannot manage programs here: managers must be program managers or "
                "admins of this organisation.",
                "managers",
            )
    locked.managers.set(managers)
    return locked


# --- Eligibility ---------------------------------------------------------------------------------


def _same_organisation(organisation: Organisation, rows: Sequence[Any], what: str) -> None:
    if any(row.organisation_id != organisation.pk for row in rows):
        raise _refuse(f"{what} must belong to this organisation.")


@transaction.atomic
def eligibility_set(
    *,
    actor: User,
    program: Program,
    role: str,
    min_level: int | None = None,
    max_level: int | None = None,
    min_tenure_months: int | None = None,
    departments: Sequence[Department] = (),
    included: Sequence[Person] = (),
    excluded: Sequence[Person] = (),
) -> EligibilityRule:
    """Who may take ``role`` (mentor or mentee): a level range on the organisation's ladder, a
    minimum tenure, departments, and explicit lists that override the rest."""
    locked = _locked(program)
    access.require_manager(actor=actor, program=locked)
    if role not in EligibilityRule.Role.values:
        raise _refuse(f"{role!r} is not a role in a program (mentor or mentee).")
    if locked.status in RUNNING_OR_LATER:
        raise _refuse("Eligibility cannot change once the program is running.")
    ladder = list(
        Level.objects.filter(organisation=locked.organisation)
        .order_by("number")
        .values_list("number", flat=True)
    )
    for field, level in (("min_level", min_level), ("max_level", max_level)):
        if level is not None and level not in ladder:
            span = f"{ladder[0]} to {ladder[-1]}" if ladder else "none defined"
            raise _refuse(
                f"Level {level} is not on this organisation's ladder (levels {span}).", field
            )
    if min_level is not None and max_level is not None and max_level < min_level:
        raise _refuse(
            f"The highest level ({max_level}) is below the lowest ({min_level}).", "max_level"
        )
    if min_tenure_months is not None and not 0 <= min_tenure_months <= 600:
        raise _refuse("Tenure is between 0 and 600 months.", "min_tenure_months")
    _same_organisation(locked.organisation, departments, "Departments")
    _same_organisation(locked.organisation, included, "People on the included list")
    _same_organisation(locked.organisation, excluded, "People on the excluded list")
    both = {p.pk for p in included} & {p.pk for p in excluded}
    if both:
        names = ", ".join(sorted(p.full_name for p in included if p.pk in both))
        raise _refuse(f"{names} cannot be both included and excluded.", "excluded")
    rule, _ = EligibilityRule.objects.update_or_create(
        program=locked,
        role=role,
        defaults={
            "organisation": locked.organisation,
            "min_level": min_level,
            "max_level": max_level,
            "min_tenure_months": min_tenure_months,
        },
    )
    rule.departments.set(departments)
    rule.included.set(included)
    rule.excluded.set(excluded)
    return rule


# --- Checklist -----------------------------------------------------------------------------------


@transaction.atomic
def checklist_tick(*, actor: User, program: Program, step: str, done: bool) -> Program:
    """Mark a checklist step done (with when) or not done."""
    locked = _locked(program)
    access.require_manager(actor=actor, program=locked)
    if step not in CHECKLIST_KEYS:
        raise _refuse(f"{step!r} is not a step of the checklist.")
    checklist = dict(locked.checklist or {})
    if done:
        checklist.setdefault(step, timezone.now().isoformat())
    else:
        checklist.pop(step, None)
    locked.checklist = checklist
    locked.save(update_fields=["checklist", "updated_at"])
    return locked


# --- Playbooks -----------------------------------------------------------------------------------


def _program_data(program: Program) -> dict[str, Any]:
    """A program's design as playbook data (no dates and no people: a playbook is reusable)."""
    eligibility: dict[str, dict[str, Any]] = {}
    for rule in EligibilityRule.objects.filter(program=program).prefetch_related("departments"):
        eligibility[rule.role] = {
            "min_level": rule.min_level,
            "max_level": rule.max_level,
            "min_tenure_months": rule.min_tenure_months,
            "departments": sorted(d.name for d in rule.departments.all()),
        }
    return {
        "format": program.format,
        "description": program.description,
        "goals": program.goals,
        "key_areas": sorted(t.name for t in program.key_areas.all()),
        "cadence_weeks": program.cadence_weeks,
        "session_minutes": program.session_minutes,
        "confidentiality_guidelines": program.confidentiality_guidelines,
        "mentees_per_mentor": program.mentees_per_mentor,
        "circle_min_size": program.circle_min_size,
        "circle_max_size": program.circle_max_size,
        "min_level_gap": program.min_level_gap,
        "enrolment_mode": program.enrolment_mode,
        "requires_approval": program.requires_approval,
        "eligibility": eligibility,
    }


@transaction.atomic
def playbook_save_from_program(*, actor: User, program: Program, name: str) -> Playbook:
    """Save the program's design as one of the organisation's own playbooks."""
    program = Program.objects.get(pk=program.pk)  # the design as saved, not as the caller holds it
    access.require_manager(actor=actor, program=program)
    name = " ".join(name.split())
    if not name:
        raise _refuse("A playbook needs a name.", "name")
    if Playbook.objects.filter(organisation=program.organisation, name__iexact=name).exists():
        raise _refuse(f"This organisation already has a playbook called {name!r}.", "name")
    playbook = Playbook(
        organisation=program.organisation,
        name=name,
        description=program.description,
        format=program.format,
        data=_program_data(program),
        created_by=actor,
    )
    playbook.full_clean(exclude=["organisation", "created_by"])
    try:
        with transaction.atomic():
            playbook.save()
    except IntegrityError:  # a concurrent save of the same name
        raise _refuse(
            f"This organisation already has a playbook called {name!r}.", "name"
        ) from None
    return playbook


_PREFILLED = (
    "description",
    "goals",
    "cadence_weeks",
    "session_minutes",
    "confidentiality_guidelines",
    "mentees_per_mentor",
    "circle_min_size",
    "circle_max_size",
    "min_level_gap",
    "enrolment_mode",
    "requires_approval",
)


@transaction.atomic
def program_create_from_playbook(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    playbook_key: str = "",
    playbook: Playbook | None = None,
) -> Program:
    """A draft program pre-filled from a built-in playbook (``playbook_key``) or one of the
    organisation's own (``playbook``), with its key areas and eligibility defaults."""
    if (playbook is None) == (not playbook_key):
        raise _refuse("Choose one playbook: a built-in one or one of your organisation's.")
    data: Mapping[str, Any]
    if playbook is not None:
        if playbook.organisation_id != organisation.pk:
            raise _refuse("That playbook belongs to another organisation.")
        data, key = playbook.data, f"{CUSTOM_PREFIX}{playbook.pk}"
    else:
        builtin: BuiltinPlaybook | None = BUILTIN_BY_KEY.get(playbook_key)
        if builtin is None:
            raise _refuse(f"There is no built-in playbook called {playbook_key!r}.")
        data, key = builtin.as_data(), builtin.key
    program = program_create(
        actor=actor,
        organisation=organisation,
        name=name,
        format=data.get("format", ""),
        key_areas=_topics_by_name(organisation, data.get("key_areas", [])),
        playbook_key=key,
        **{field: data[field] for field in _PREFILLED if field in data},
    )
    for role, rule in (data.get("eligibility") or {}).items():
        departments = list(
            Department.objects.filter(
                organisation=organisation, name__in=rule.get("departments", [])
            )
        )
        eligibility_set(
            actor=actor,
            program=program,
            role=role,
            min_level=rule.get("min_level"),
            max_level=rule.get("max_level"),
            min_tenure_months=rule.get("min_tenure_months"),
            departments=departments,
        )
    return program


def program_default_dates(*, today: dt.date) -> dict[str, Any]:
    """A sensible timeline starting ``today`` (used by the demo and offered by the design form)."""
    return {
        "application_opens": today,
        "application_closes": today + dt.timedelta(weeks=3),
        "matching_date": today + dt.timedelta(weeks=4),
        "kickoff_date": today + dt.timedelta(weeks=5),
        "end_date": today + dt.timedelta(weeks=31),
    }
