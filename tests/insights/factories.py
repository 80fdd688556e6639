"""A program with known figures for the insights tests, built row by row so every count on the
dashboard can be worked out by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from tests.authz import Actors
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import make_program
from twoway.enrolment.models import Application, DiversityResponse, Invitation
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.rooms.models import ActionItem, Agreement, Goal, Pulse, Session

_uids = itertools.count()


@dataclass
class Built:
    program: Program
    now: dt.datetime
    mentorships: dict[str, Mentorship] = field(default_factory=dict)


def person(program: Program) -> Person:
    """A directory person with an account (nudges go to accounts)."""
    user = UserFactory()
    who: Person = PersonFactory(organisation=program.organisation, email=user.email)
    Person.objects.filter(pk=who.pk).update(user=user)
    who.user = user
    return who


def application(
    program: Program, who: Person, *, status: str = Application.Status.APPROVED
) -> Application:
    return Application.objects.create(
        organisation=program.organisation,
        program=program,
        person=who,
        user=who.user or UserFactory(),
        role="mentee",
        status=status,
        submitted_at=timezone.now(),
    )


def diversity(
    app: Application, *, age_band: str = "", gender: str = "", consent: bool = True
) -> DiversityResponse:
    return DiversityResponse.objects.create(
        organisation=app.organisation,
        application=app,
        age_band=age_band,
        gender=gender,
        consent_reporting=consent,
        consent_matching=not consent,
    )


def pair(
    program: Program,
    *,
    status: str,
    started_at: dt.datetime,
    ended_at: dt.datetime | None = None,
    rhythm_weeks: int | None = 2,
    people: tuple[Person, Person] | None = None,
) -> Mentorship:
    mentorship = Mentorship.objects.create(
        organisation=program.organisation,
        program=program,
        kind=Mentorship.Kind.PAIR,
        origin=Mentorship.Origin.MATCHING,
        status=status,
        started_at=started_at,
        ended_at=ended_at,
    )
    mentor, mentee = people or (person(program), person(program))
    for who, role in ((mentor, "mentor"), (mentee, "mentee")):
        MentorshipMember.objects.create(
            organisation=program.organisation,
            mentorship=mentorship,
            person=who,
            user=who.user,
            role=role,
        )
    if rhythm_weeks is not None:
        Agreement.objects.create(
            organisation=program.organisation, mentorship=mentorship, rhythm_weeks=rhythm_weeks
        )
    return mentorship


def session(
    mentorship: Mentorship, starts_at: dt.datetime, *, status: str = Session.Status.SCHEDULED
) -> Session:
    return Session.objects.create(
        organisation=mentorship.organisation,
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=45,
        status=status,
        uid=f"insights-{next(_uids)}@test",
    )


def pulse(held: Session, ratings: list[int], reflection: str = "") -> None:
    members = list(held.mentorship.members.order_by("pk"))
    for member, rating in zip(members, ratings, strict=False):
        Pulse.objects.create(
            organisation=held.organisation,
            session=held,
            member=member,
            rating=rating,
            reflection=reflection,
        )


def goal(mentorship: Mentorship, status: str) -> Goal:
    return Goal.objects.create(
        organisation=mentorship.organisation,
        mentorship=mentorship,
        member=mentorship.members.first(),
        title="A goal",
        status=status,
    )


def overdue_action(mentorship: Mentorship, now: dt.datetime) -> ActionItem:
    return ActionItem.objects.create(
        organisation=mentorship.organisation,
        mentorship=mentorship,
        title="An action",
        due_on=(now - dt.timedelta(days=10)).date(),
    )


def weeks_ago(now: dt.datetime, weeks: float) -> dt.datetime:
    return now - dt.timedelta(weeks=weeks)


def build_program(actors: Actors, *, now: dt.datetime | None = None) -> Built:
    """The program the figures tests read:

    - 3 invitations; 12 applications: 10 approved, 1 submitted, 1 declined;
    - mentorships: "steady" active for 10 weeks on a 2-week rhythm (3 sessions held, one
      cancelled, one upcoming; an overdue action), "done" completed after 4 weeks on a weekly
      rhythm (2 held), "ended" ended early (1 held, not counted), "pending" awaiting its
      agreement, "quiet" active for 10 weeks with one session 8 weeks ago and low pulses;
    - pulses from 8 different people: 5, 4 (steady), 5, 5 (done), 1, 2 (ended), 1, 2 (quiet);
    - goals: 2 on track, 1 done, 1 behind.
    """
    now = now or timezone.now()
    program = make_program(
        organisation=actors.organisation,
        manager=actors.program_manager,
        name="Health check",
        status=Program.Status.RUNNING,
        cadence_weeks=2,
    )
    built = Built(program=program, now=now)
    for _ in range(3):
        who = person(program)
        Invitation.objects.create(
            organisation=program.organisation,
            program=program,
            person=who,
            email=who.email,
            token=f"token-{next(_uids)}",
        )
    m = built.mentorships
    m["steady"] = pair(program, status="active", started_at=weeks_ago(now, 10))
    m["done"] = pair(
        program,
        status="completed",
        started_at=weeks_ago(now, 8),
        ended_at=weeks_ago(now, 4),
        rhythm_weeks=1,
    )
    m["ended"] = pair(
        program, status="ended_early", started_at=weeks_ago(now, 6), ended_at=weeks_ago(now, 5)
    )
    m["pending"] = pair(program, status="agreement_pending", started_at=weeks_ago(now, 1))
    m["quiet"] = pair(program, status="active", started_at=weeks_ago(now, 10))
    members = list(Person.objects.filter(mentorship_roles__mentorship__program=program).distinct())
    for who in members:  # the 10 matched people applied and were approved
        application(program, who)
    application(program, person(program), status=Application.Status.SUBMITTED)
    application(program, person(program), status=Application.Status.DECLINED)

    steady = [session(m["steady"], weeks_ago(now, w)) for w in (5, 3, 1)]
    session(m["steady"], weeks_ago(now, 2), status=Session.Status.CANCELLED)
    session(m["steady"], now + dt.timedelta(days=3))
    done = [session(m["done"], weeks_ago(now, w)) for w in (7, 5)]
    ended = session(m["ended"], weeks_ago(now, 5.5))
    quiet = session(m["quiet"], weeks_ago(now, 8))
    pulse(steady[0], [5, 4])
    pulse(done[0], [5, 5])
    pulse(ended, [1, 2])
    pulse(quiet, [1, 2])
    overdue_action(m["steady"], now)
    goal(m["steady"], "on_track")
    goal(m["steady"], "on_track")
    goal(m["done"], "done")
    goal(m["ended"], "behind")
    return built
