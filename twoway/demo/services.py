"""Build the demo: two organisations with realistic directories and one login per role.

``demo_build`` goes through the same services as real use (``organisation_create``, the
directory importer, ``membership_set``, ``application_submit``, the lifecycle and matching
services), so the demo shows exactly what an organisation gets after importing its HRIS export
and running programs: one draft per built-in playbook, one program enrolling, and three in
matching (``twoway.demo.matching``). It is idempotent: a second run imports nothing new, resets
the demo passwords and leaves everything else as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from twoway.accounts.models import User
from twoway.core.errors import ApplicationError
from twoway.core.models import Organisation, Role
from twoway.core.services import membership_set, organisation_create
from twoway.demo.generator import generate_people
from twoway.enrolment.models import Application
from twoway.people.importing import ImportResult, directory_import
from twoway.people.models import Person, Topic
from twoway.programs.models import Program
from twoway.programs.playbooks import BUILTIN_PLAYBOOKS
from twoway.programs.services import (
    program_create_from_playbook,
    program_default_dates,
    program_update,
)

DEMO_PASSWORD = "twoway-demo"  # printed by ``twoway demo``; a demo is not a place for secrets
DEMO_URL = "http://127.0.0.1:8000"
MIN_SIZE = 20  # enough people for a People department, a junior and a senior to log in as
SECOND_ORGANISATION_SIZE = 40


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    slug: str
    domain: str
    default_time_zone: str


ACME = DemoOrganisation("Acme Group", "acme", "acme.example", "Europe/London")
GLOBEX = DemoOrganisation("Globex", "globex", "globex.example", "America/New_York")

Row = dict[str, str]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    pick: Callable[[list[Row]], Row]  # which directory row this account is


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str  # the role's label, as the product shows it
    organisation: str
    person: str  # the directory entry the account is linked to


@dataclass(frozen=True)
class DemoStep:
    """Something to try in the demo: who logs in, what they do, and the page (a path)."""

    login: str
    what: str
    path: str


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    steps: list[DemoStep] = field(default_factory=list)
    people: dict[str, int] = field(default_factory=dict)  # organisation slug → active people
    imports: dict[str, ImportResult] = field(default_factory=dict)  # organisation slug → result
    url: str = DEMO_URL


def _first(rows: list[Row], *tests: Callable[[Row], bool]) -> Row:
    """The first row passing the first test that any row passes (tests in order of preference)."""
    for test in tests:
        for row in rows:
            if test(row):
                return row
    return rows[-1]


def _level(row: Mapping[str, str]) -> int:
    return int(row["level"] or 0)


def _pick_admin(rows: list[Row]) -> Row:
    # Directory data belongs to HR: the admin is the head of People, else another senior.
    return _first(
        rows,
        lambda r: r["department"] == "People" and _level(r) >= 6,
        lambda r: _level(r) >= 6 and r["manager_employee_id"] != "",
    )


def _pick_program_manager(rows: list[Row]) -> Row:
    return _first(
        rows,
        lambda r: r["department"] == "People" and 4 <= _level(r) <= 5,
        lambda r: r["department"] == "People" and _level(r) < 6,
        lambda r: 4 <= _level(r) <= 5,
    )


def _pick_participant(rows: list[Row]) -> Row:
    # A junior marketer: the classic reverse mentor on social media and Gen Z customers.
    return _first(
        rows,
        lambda r: r["department"] == "Marketing" and _level(r) <= 2,
        lambda r: _level(r) <= 3,
    )


def _pick_guest(rows: list[Row]) -> Row:
    return _first(rows, lambda r: 3 <= _level(r) <= 5, lambda r: r["manager_employee_id"] != "")


ADMIN = DemoAccount(f"admin@{ACME.domain}", Role.ADMIN, _pick_admin)
PROGRAM_MANAGER = DemoAccount(f"manager@{ACME.domain}", Role.PROGRAM_MANAGER, _pick_program_manager)
PARTICIPANT = DemoAccount(f"participant@{ACME.domain}", Role.PARTICIPANT, _pick_participant)
ACCOUNTS = (ADMIN, PROGRAM_MANAGER, PARTICIPANT)


@transaction.atomic
def demo_build(*, size: int = 600, seed: int = 42) -> DemoResult:
    """Create (or bring up to date) the demo organisations, directories and logins.

    Acme Group gets ``size`` people and one account per role, each linked to a person of its
    directory; Globex gets a small directory in which the Acme admin is also a participant, so
    the organisation switcher has something to switch between.
    """
    if size < MIN_SIZE:
        raise ApplicationError(f"The demo needs at least {MIN_SIZE} people.")
    result = DemoResult()

    acme_rows = generate_people(size=size, seed=seed, domain=ACME.domain)
    picked: dict[str, Row] = {}
    for account in ACCOUNTS:
        taken = {r["employee_id"] for r in picked.values()}
        row = account.pick([r for r in acme_rows if r["employee_id"] not in taken])
        row["email"] = account.email  # the directory and the login agree, as after SSO
        picked[account.email] = row
    users = {account.email: _user(account.email, picked[account.email]) for account in ACCOUNTS}
    acme = _organisation(ACME)
    result.imports[ACME.slug] = _import(acme, acme_rows, actor=users[ADMIN.email])
    for account in ACCOUNTS:
        person = _link(acme, picked[account.email], users[account.email])
        membership_set(organisation=acme, user=users[account.email], role=account.role)
        result.logins.append(_login(account.email, account.role, acme, person))

    from twoway.demo.matching import demo_guide, demo_matching  # it builds on this module

    manager, participant = users[PROGRAM_MANAGER.email], users[PARTICIPANT.email]
    _programs(acme, manager=manager)
    _enrolment(acme, manager=manager, seed=seed)
    demo_matching(acme, manager=manager, participant=participant, seed=seed)
    from twoway.demo.rooms import demo_rooms, rooms_guide

    demo_rooms(acme, manager=manager, participant=participant, seed=seed)
    result.steps = demo_guide(acme, manager=manager, participant=participant)
    result.steps += rooms_guide(acme, manager=manager, participant=participant)

    # A second organisation in which the Acme admin is also a participant.
    globex_rows = generate_people(
        size=SECOND_ORGANISATION_SIZE, seed=seed + 1, domain=GLOBEX.domain
    )
    guest = _pick_guest(globex_rows)
    admin_row = picked[ADMIN.email]
    guest.update(
        first_name=admin_row["first_name"], last_name=admin_row["last_name"], email=ADMIN.email
    )
    globex = _organisation(GLOBEX)
    result.imports[GLOBEX.slug] = _import(globex, globex_rows, actor=None)
    person = _link(globex, guest, users[ADMIN.email])
    membership_set(organisation=globex, user=users[ADMIN.email], role=Role.PARTICIPANT)
    result.logins.append(_login(ADMIN.email, Role.PARTICIPANT, globex, person))

    from twoway.demo.growth import demo_growth, growth_guide

    admin = users[ADMIN.email]
    demo_growth(acme, globex, admin=admin, manager=manager, participant=participant)
    result.steps += growth_guide(acme, admin=admin, manager=manager, participant=participant)

    from twoway.demo.engagement import demo_engagement, engagement_guide

    demo_engagement(acme, manager=manager, participant=participant, seed=seed)
    result.steps += engagement_guide(acme, admin=admin, manager=manager, participant=participant)

    for organisation in (acme, globex):
        result.people[organisation.slug] = Person.objects.filter(
            organisation=organisation, is_active=True
        ).count()
    return result


def _programs(organisation: Organisation, *, manager: User) -> None:
    """One draft program per built-in playbook, managed by the demo program manager, with a
    timeline starting today (a program made earlier is left as the demo user left it)."""
    existing = set(
        Program.objects.filter(organisation=organisation).values_list("playbook_key", flat=True)
    )
    for playbook in BUILTIN_PLAYBOOKS:
        if playbook.key in existing:
            continue
        program = program_create_from_playbook(
            actor=manager, organisation=organisation, playbook_key=playbook.key, name=playbook.name
        )
        program_update(
            actor=manager, program=program, **program_default_dates(today=timezone.localdate())
        )


DEMO_ENROLLING_PLAYBOOK = "reverse-digital"
DEMO_APPLICANTS = {"mentor": 14, "mentee": 8}


def _enrolment(organisation: Organisation, *, manager: User, seed: int) -> None:
    """Take the reverse-mentoring-for-digital program through enrolment, so the manager sees a
    funnel: invitations, applications with questionnaires, some approved. Left alone once the
    program has left draft."""
    from twoway.enrolment.services import application_bulk_approve

    program = draft_program(organisation, DEMO_ENROLLING_PLAYBOOK)
    if program is None:
        return
    program = open_enrolment(program, manager=manager)
    rng = random.Random(seed)
    people = Person.objects.filter(organisation=organisation, is_active=True, user__isnull=True)
    chosen = {
        "mentor": list(people.filter(level__lte=3).order_by("employee_id")[:200]),
        "mentee": list(people.filter(level__gte=6).order_by("employee_id")[:200]),
    }
    applicants = {
        role: rng.sample(group, min(DEMO_APPLICANTS[role], len(group)))
        for role, group in chosen.items()
    }
    applications = enrol(
        program, manager=manager, applicants=applicants, rng=rng, not_applied=lambda i: i % 4 == 3
    )
    application_bulk_approve(
        actor=manager, program=program, application_ids=[a.pk for a in applications[::2]]
    )


def draft_program(organisation: Organisation, playbook_key: str) -> Program | None:
    """The demo program made from ``playbook_key`` while it is still a draft; None once the demo
    user (or an earlier build) has taken it further, so that it is left as it is."""
    # The first program made from the playbook (the rooms demo adds a later cohort of one).
    program = (
        Program.objects.filter(organisation=organisation, playbook_key=playbook_key)
        .order_by("pk")
        .first()
    )
    if program is None or program.status != Program.Status.DRAFT:
        return None
    return program


def open_enrolment(program: Program, *, manager: User) -> Program:
    """Draft → enrolling, first moving a timeline whose application window is over (a draft
    made by a build weeks ago) to start today, so that people can still apply."""
    from twoway.enrolment.selectors import organisation_today
    from twoway.programs.lifecycle import program_open_enrolment

    today = organisation_today(program.organisation)
    opens, closes = program.application_opens, program.application_closes
    if opens is None or closes is None or not opens <= today <= closes:
        program_update(actor=manager, program=program, **program_default_dates(today=today))
    return program_open_enrolment(actor=manager, program=program)


def enrol(
    program: Program,
    *,
    manager: User,
    applicants: Mapping[str, Sequence[Person]],
    rng: random.Random,
    not_applied: Callable[[int], bool] = lambda i: False,
) -> list[Application]:
    """Invite ``applicants`` (role → people) to an enrolling program and have each apply, as
    themselves, with a questionnaire drawn from their directory entry (``not_applied(i)``: the
    i-th of a role was invited and has not applied yet). People without an account get one
    without a usable password: it exists so that their application has an owner."""
    from twoway.enrolment.services import invitation_send_bulk

    invited = [person for group in applicants.values() for person in group]
    if not invited:
        return []
    invitation_send_bulk(actor=manager, program=program, people=invited, base_url=DEMO_URL)
    applications = []
    for role, group in applicants.items():
        for i, person in enumerate(group):
            if not_applied(i):
                continue
            user = _applicant_account(program.organisation, person)
            applications.append(_apply(program, person=person, user=user, role=role, rng=rng))
    return applications


def _applicant_account(organisation: Organisation, person: Person) -> User:
    if person.user_id is not None:
        return User.objects.get(pk=person.user_id)  # a demo login, or an earlier applicant
    user = User.objects.filter(email=person.email).first() or User.objects.create_user(
        email=person.email, password=None
    )
    EmailAddress.objects.get_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    membership_set(organisation=organisation, user=user, role=Role.PARTICIPANT)
    Person.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    return user


def _apply(
    program: Program, *, person: Person, user: User, role: str, rng: random.Random
) -> Application:
    """``person`` applies through ``application_submit``: the skills they share, what they want
    to learn and their interests from the directory, a working style, three free hours on each
    working day in their own zone, and their languages."""
    from twoway.enrolment.services import application_submit

    topics: dict[str, list[int]] = {"shares": [], "learns": [], "interest": []}
    for relation, topic_id in person.topic_links.values_list("relation", "topic"):
        topics.setdefault(relation, []).append(topic_id)
    goals = DEMO_GOALS.get(program.playbook_key, DEMO_GOALS[DEMO_ENROLLING_PLAYBOOK])
    return application_submit(
        actor=user,
        program=program,
        role=role,
        goals=rng.choice(goals[role]),
        shares=Topic.objects.filter(pk__in=topics["shares"]),
        learns=Topic.objects.filter(pk__in=topics["learns"]),
        interests=Topic.objects.filter(pk__in=topics["interest"]),
        tipi_answers=[rng.randint(2, 7) for _ in range(10)],
        availability_slots=[
            (day, hour) for day in range(5) for hour in rng.sample(range(8, 18), 3)
        ],
        time_zone=person.time_zone,
        languages=person.languages,
    )


# Playbook → role → what applicants write as their goals.
DEMO_GOALS: dict[str, dict[str, list[str]]] = {
    "reverse-digital": {
        "mentor": [
            "Show a senior leader how our customers really use social media.",
            "Practise explaining generative AI tools to someone who decides budgets.",
            "Learn how strategy decisions get made, and give honest feedback in return.",
        ],
        "mentee": [
            "Understand how Gen Z customers discover and judge our brand.",
            "Use AI tools at work myself instead of asking for summaries.",
            "Hear unfiltered feedback on how my decisions land with junior staff.",
        ],
    },
    "reverse-inclusion": {
        "mentor": [
            "Help a leader see what our meetings feel like from the most junior seat.",
            "Share what I would want a manager to know, without it costing me anything.",
            "Learn how senior people make decisions about people, and question them.",
        ],
        "mentee": [
            "Find out how my team experiences my leadership when I am not in the room.",
            "Understand what gets in the way of people like my mentor being heard here.",
            "Change one habit of mine that makes our team less inclusive, and keep it changed.",
        ],
    },
    "group-circle": {
        "mentor": [
            "Pass on what I learned the hard way about leading a team, to several people at once.",
            "Keep in touch with how newer colleagues see the company.",
        ],
        "mentee": [
            "Learn how experienced colleagues handle difficult stakeholders.",
            "Build a network outside my own team.",
            "Get advice on my next career step from people who have taken it.",
        ],
    },
    "classic-1-1": {
        "mentor": [
            "Help someone earlier in their career find their feet and their voice.",
            "Give back what my own mentors gave me.",
        ],
        "mentee": [
            "Plan my next two years with someone who has seen many careers.",
            "Get better at presenting my work to senior people.",
            "Learn how decisions are made above my team.",
        ],
    },
}


def _organisation(spec: DemoOrganisation) -> Organisation:
    existing = Organisation.objects.filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    return organisation_create(
        name=spec.name, slug=spec.slug, default_time_zone=spec.default_time_zone
    )


def _import(organisation: Organisation, rows: list[Row], *, actor: User | None) -> ImportResult:
    # A full sync: rerunning with another --size or --seed leaves exactly the new directory
    # active (people no longer generated are deactivated, as an HRIS sync would).
    return directory_import(
        actor=actor, organisation=organisation, rows=rows, deactivate_missing=True
    )


def _user(email: str, row: Row) -> User:
    """The demo account for ``email``, with the demo password and a verified address."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
    else:
        user.set_password(DEMO_PASSWORD)  # a demo someone changed the password of still works
    user.display_name = f"{row['first_name']} {row['last_name']}".strip()
    user.time_zone = row["time_zone"]
    user.is_active = True
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _link(organisation: Organisation, row: Row, user: User) -> Person:
    """Make ``user`` the directory entry of ``row`` (and no other entry in the organisation)."""
    person = Person.objects.get(organisation=organisation, employee_id=row["employee_id"])
    Person.objects.filter(organisation=organisation, user=user).exclude(pk=person.pk).update(
        user=None
    )
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return person


def _login(email: str, role: Role, organisation: Organisation, person: Person) -> DemoLogin:
    return DemoLogin(
        email=email,
        password=DEMO_PASSWORD,
        role=role.label,
        organisation=organisation.name,
        person=f"{person.full_name}, {person.job_title}",
    )
