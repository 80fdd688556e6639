"""The demo's programs in matching: one to run, one with circles drafted, one for self-service.

``demo_matching`` takes three of Acme's draft programs through enrolment to matching, through
the same services as real use (``demo.services.enrol`` has people apply as themselves):

* reverse mentoring for inclusive leadership, with about 30 approved mentors and 30 approved
  mentees and no run yet, so the manager presses "Run matching" themselves;
* the group mentoring circle, with a finished run whose circles are a draft to review and publish;
* classic 1:1 mentoring with self-service on, in which the participant login is an approved
  mentee, so "Find a mentor" shows them suggestions with reasons.

Like the rest of the demo it is idempotent: a program that has left draft is left as it is.
``demo_guide`` then says, from the state the programs are in, where to look.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import Counter
from collections.abc import Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from twoway.accounts.models import User
from twoway.core.models import Organisation
from twoway.demo.services import (
    ACCOUNTS,
    DemoStep,
    draft_program,
    enrol,
    open_enrolment,
)
from twoway.enrolment import eligibility, selectors
from twoway.enrolment.models import Application
from twoway.enrolment.services import application_bulk_approve
from twoway.matching.models import MatchRun
from twoway.matching.services import (
    match_run_create_unattended,
    match_run_execute,
    matching_settings_get_or_create,
    matching_settings_update,
)
from twoway.people.models import Person
from twoway.programs.lifecycle import program_start_matching
from twoway.programs.models import EligibilityRule, Program
from twoway.programs.services import eligibility_set

REVERSE = "reverse-inclusion"
CIRCLES = "group-circle"
SELF_SERVICE = "classic-1-1"

REVERSE_PAIRS = 30
# The generated ladder has one head per department above level 5, far fewer than 30: this
# program opens to people leaders from lead (4) up, seniors first. The level gap still holds.
REVERSE_MENTEE_MIN_LEVEL = 4
CIRCLE_MENTORS, CIRCLE_MENTEES = 8, 40
SELF_SERVICE_MENTORS, SELF_SERVICE_MENTEES = 12, 8  # the mentees besides the participant
# Applicants work in a zone at most this far from the organisation's, so that free hours in
# their working days overlap and most of them can be matched.
MAX_HOURS_APART = 5


def demo_matching(
    organisation: Organisation, *, manager: User, participant: User, seed: int
) -> None:
    """Take the three programs to matching (each only while it is still a draft)."""
    _reverse(organisation, manager=manager, seed=seed)
    _circles(organisation, manager=manager, seed=seed)
    _self_service(organisation, manager=manager, participant=participant, seed=seed)


def _reverse(organisation: Organisation, *, manager: User, seed: int) -> None:
    program = draft_program(organisation, REVERSE)
    if program is None:
        return
    rule = EligibilityRule.objects.filter(program=program, role="mentee").first()
    eligibility_set(
        actor=manager,
        program=program,
        role="mentee",
        min_level=REVERSE_MENTEE_MIN_LEVEL,
        max_level=rule.max_level if rule else None,
        min_tenure_months=rule.min_tenure_months if rule else None,
    )
    rng = random.Random(f"{REVERSE}:{seed}")
    people = _pool(organisation)
    mentors = _eligible(program, "mentor", people.filter(level__lte=3), REVERSE_PAIRS, rng)
    mentees = _eligible(
        program, "mentee", people.filter(level__gte=4), REVERSE_PAIRS, rng, seniors_first=True
    )
    _to_matching(program, manager=manager, mentors=mentors, mentees=mentees, rng=rng)


def _circles(organisation: Organisation, *, manager: User, seed: int) -> None:
    program = draft_program(organisation, CIRCLES)
    if program is None:
        return
    rng = random.Random(f"{CIRCLES}:{seed}")
    people = _pool(organisation)
    mentors = _eligible(program, "mentor", people.filter(level__gte=5), CIRCLE_MENTORS, rng)
    mentees = _eligible(program, "mentee", people.filter(level__lte=4), CIRCLE_MENTEES, rng)
    program = _to_matching(program, manager=manager, mentors=mentors, mentees=mentees, rng=rng)
    if mentors and mentees:
        # In process, as the operator's command line does: the draft is there when the build
        # ends, with no worker needed.
        match_run_execute(run=match_run_create_unattended(program=program))


def _self_service(
    organisation: Organisation, *, manager: User, participant: User, seed: int
) -> None:
    program = draft_program(organisation, SELF_SERVICE)
    if program is None:
        return
    rng = random.Random(f"{SELF_SERVICE}:{seed}")
    people = _pool(organisation)
    mentors = _eligible(program, "mentor", people.filter(level__gte=5), SELF_SERVICE_MENTORS, rng)
    mentees = _eligible(program, "mentee", people.filter(level__lte=3), SELF_SERVICE_MENTEES, rng)
    me = Person.objects.get(organisation=organisation, user=participant)
    program = _to_matching(
        program, manager=manager, mentors=mentors, mentees=[me, *mentees], rng=rng
    )
    settings = matching_settings_get_or_create(program=program)
    matching_settings_update(
        actor=manager,
        program=program,
        weights={},
        min_shared_hours=settings.min_shared_hours,
        load_spreading=settings.load_spreading,
        self_service=True,
        request_days=settings.request_days,
    )


def _to_matching(
    program: Program,
    *,
    manager: User,
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    rng: random.Random,
) -> Program:
    """Open enrolment, have everyone apply, approve them all and close applications."""
    program = open_enrolment(program, manager=manager)
    applications = enrol(
        program, manager=manager, applicants={"mentor": mentors, "mentee": mentees}, rng=rng
    )
    if applications:
        application_bulk_approve(
            actor=manager, program=program, application_ids=[a.pk for a in applications]
        )
    return program_start_matching(actor=manager, program=program)


def _pool(organisation: Organisation) -> QuerySet[Person]:
    """Active people who may be picked as applicants: not the demo logins, whose roles and
    applications the demo sets itself."""
    return (
        Person.objects.filter(organisation=organisation, is_active=True, level__isnull=False)
        .exclude(email__in=[account.email for account in ACCOUNTS])
        .select_related("department")
        .order_by("employee_id")
    )


def _eligible(
    program: Program,
    role: str,
    people: QuerySet[Person],
    count: int,
    rng: random.Random,
    *,
    seniors_first: bool = False,
) -> list[Person]:
    """Up to ``count`` of ``people`` who may apply as ``role`` (the program's own eligibility
    rules) and whose working hours overlap the organisation's, at random (the most senior
    first if asked)."""
    rules = selectors.eligibility_rules_load(program=program)
    today = selectors.organisation_today(program.organisation)
    home = program.organisation.default_time_zone
    now = timezone.now()
    candidates = [p for p in people if _hours_apart(p.time_zone, home, now) <= MAX_HOURS_APART]
    rng.shuffle(candidates)
    if seniors_first:
        candidates.sort(key=lambda p: -(p.level or 0))  # stable: random within a level
    picked = []
    for person in candidates:
        if not eligibility.application_problems(
            rules, selectors.candidate_for(person), role, today
        ):
            picked.append(person)
            if len(picked) == count:
                break
    return picked


def _hours_apart(zone: str, home: str, now: dt.datetime) -> float:
    try:
        here, there = zoneinfo.ZoneInfo(zone), zoneinfo.ZoneInfo(home)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return float("inf")
    offset = now.astimezone(here).utcoffset() or dt.timedelta()
    home_offset = now.astimezone(there).utcoffset() or dt.timedelta()
    return abs((offset - home_offset).total_seconds()) / 3600


# --- Where to look ---------------------------------------------------------------------------


def demo_guide(organisation: Organisation, *, manager: User, participant: User) -> list[DemoStep]:
    """What to try in the matching programs, as they are now (a program the demo user has
    taken further is not mentioned)."""
    steps: list[DemoStep] = []
    programs = {
        p.playbook_key: p
        for p in Program.objects.filter(
            organisation=organisation, playbook_key__in=(REVERSE, CIRCLES, SELF_SERVICE)
        )
    }
    slug = organisation.slug
    reverse_program = programs.get(REVERSE)
    if reverse_program is not None and reverse_program.status == Program.Status.MATCHING:
        approved = _approved(reverse_program)
        done = reverse_program.match_runs.exists()
        steps.append(
            DemoStep(
                login=manager.email,
                what=(
                    f"{'review the matching of' if done else 'run matching for'} "
                    f"“{reverse_program.name}” ({approved.get('mentor', 0)} mentors and "
                    f"{approved.get('mentee', 0)} mentees approved)"
                ),
                path=reverse(
                    "matching:home", kwargs={"org_slug": slug, "program_id": reverse_program.pk}
                ),
            )
        )
    circles = programs.get(CIRCLES)
    run = circles.match_runs.order_by("-created_at", "-id").first() if circles else None
    if circles is not None and run is not None and run.status == MatchRun.Status.DONE:
        count = run.proposals.count()
        steps.append(
            DemoStep(
                login=manager.email,
                what=(
                    f"review and publish the {count} circle{'s' if count != 1 else ''} drafted "
                    f"for “{circles.name}”"
                ),
                path=reverse("matching:run", kwargs={"org_slug": slug, "run_id": run.pk}),
            )
        )
    self_service = programs.get(SELF_SERVICE)
    if (
        self_service is not None
        and self_service.status in (Program.Status.MATCHING, Program.Status.RUNNING)
        and Application.objects.filter(
            program=self_service,
            user=participant,
            role="mentee",
            status=Application.Status.APPROVED,
        ).exists()
    ):
        steps.append(
            DemoStep(
                login=participant.email,
                what=f"find a mentor in “{self_service.name}” (My mentoring → Find a mentor)",
                path=reverse(
                    "find_a_mentor:find",
                    kwargs={"org_slug": slug, "program_id": self_service.pk},
                ),
            )
        )
    return steps


def _approved(program: Program) -> Counter[str]:
    applications = Application.objects.filter(program=program, status=Application.Status.APPROVED)
    return Counter(applications.values_list("role", flat=True))
