"""Engagement data at scale for the nudge sweep and insights benchmarks.

``build(...)`` fills the current (empty, scratch) database with one running program of
``participants`` people in pairs (half mentors, half mentees), each with an account, an
approved application and — for most — a consenting ``DiversityResponse`` (age band, gender);
agreements with rhythms of 1-4 weeks (a few mentorships still waiting for acceptance); about
``sessions`` sessions spread over the past year (some cancelled, some ahead, a share of pairs
that stopped meeting weeks ago); action items (some overdue) and pulses on held sessions.
Rows are written with ``bulk_create`` in chunks with their ids chosen up front, so nothing is
read back. Fixed seed: the same arguments give the same data.

Call it after ``django.setup()`` on a database made for the purpose, e.g. inside
``benchdb.bench_database`` followed by ``migrate``; ``bench/nudge_sweep.py`` and
``bench/dashboard.py`` do so.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

CHUNK = 5_000
AGE_BANDS = ["under_25", "25_34", "35_44", "45_54", "55_64", "65_plus"]
GENDERS = ["woman", "man", "non-binary", ""]
RHYTHMS = [1, 2, 2, 2, 3, 4]


@dataclass(frozen=True)
class EngagementData:
    organisation_id: int
    program_id: int
    participants: int
    mentorships: int
    sessions: int
    action_items: int
    pulses: int
    diversity_responses: int
    now: dt.datetime


def _chunks(rows: Iterator[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write(model: Any, rows: Iterator[Any]) -> int:
    written = 0
    for chunk in _chunks(rows):
        model.objects.bulk_create(chunk, batch_size=CHUNK)
        written += len(chunk)
    return written


def build(
    *,
    participants: int = 100_000,
    sessions: int = 1_000_000,
    seed: int = 7,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> EngagementData:
    """Build one running program of ``participants`` people (``participants // 2`` pairs) and
    about ``sessions`` sessions in an empty database; returns the ids and counts.

    About 8 % of active pairs stopped meeting six weeks before ``now`` (quiet), 4 % of the
    mentorships still wait for one member to accept the agreement, 30 % of the action items
    are open with a past due date, and 70 % of the people consented to diversity reporting.
    """
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from twoway.accounts.models import User
    from twoway.core.models import Membership, Organisation, Role
    from twoway.enrolment.models import Application, DiversityResponse
    from twoway.mentorships.models import Mentorship, MentorshipMember
    from twoway.people.models import Person
    from twoway.programs.models import Program
    from twoway.rooms.models import ActionItem, Agreement, MemberStatement, Pulse, Session

    rng = random.Random(seed)
    now = now or timezone.now()
    pairs = participants // 2
    people = pairs * 2
    per_pair = max(sessions // max(pairs, 1), 1)
    year_ago = now - dt.timedelta(days=365)

    with transaction.atomic():
        organisation = Organisation.objects.create(name="Engagement bench", slug="engagement")
        org = organisation.pk
        program = Program.objects.create(
            organisation=organisation,
            name="Reverse mentoring at scale",
            format="reverse",
            status=Program.Status.RUNNING,
            cadence_weeks=2,
        )
        progress(f"{people:,} people")
        _write(
            User,
            (User(id=i, email=f"p{i}@bench.test", password="!") for i in range(1, people + 1)),
        )
        _write(
            Membership,
            (
                Membership(id=i, user_id=i, organisation_id=org, role=Role.PARTICIPANT)
                for i in range(1, people + 1)
            ),
        )
        _write(
            Person,
            (
                Person(
                    id=i,
                    organisation_id=org,
                    user_id=i,
                    employee_id=f"E{i}",
                    first_name=f"First{i}",
                    last_name=f"Last{i}",
                    email=f"p{i}@bench.test",
                    level=1 + i % 8,
                )
                for i in range(1, people + 1)
            ),
        )
        _write(
            Application,
            (
                Application(
                    id=i,
                    organisation_id=org,
                    program_id=program.pk,
                    person_id=i,
                    user_id=i,
                    role="mentor" if i % 2 == 0 else "mentee",
                    status=Application.Status.APPROVED,
                    submitted_at=year_ago,
                )
                for i in range(1, people + 1)
            ),
        )
        consenting = [i for i in range(1, people + 1) if rng.random() < 0.7]
        diversity = _write(
            DiversityResponse,
            (
                DiversityResponse(
                    organisation_id=org,
                    application_id=i,
                    age_band=rng.choice(AGE_BANDS),
                    gender=rng.choice(GENDERS),
                    consent_reporting=True,
                )
                for i in consenting
            ),
        )

        progress(f"{pairs:,} mentorships")
        # Per pair: start, status, rhythm, and whether it went quiet.
        starts = [year_ago + dt.timedelta(days=rng.uniform(0, 300)) for _ in range(pairs)]
        pending = {m for m in range(1, pairs + 1) if rng.random() < 0.04}
        quiet = {m for m in range(1, pairs + 1) if m not in pending and rng.random() < 0.08}
        _write(
            Mentorship,
            (
                Mentorship(
                    id=m,
                    organisation_id=org,
                    program_id=program.pk,
                    kind=Mentorship.Kind.PAIR,
                    origin=Mentorship.Origin.MATCHING,
                    status=(
                        Mentorship.Status.AGREEMENT_PENDING
                        if m in pending
                        else Mentorship.Status.ACTIVE
                    ),
                    started_at=starts[m - 1],
                )
                for m in range(1, pairs + 1)
            ),
        )
        # Member 2m-1 is the mentee (person 2m-1), member 2m the mentor.
        _write(
            MentorshipMember,
            (
                MentorshipMember(
                    id=i,
                    organisation_id=org,
                    mentorship_id=(i + 1) // 2,
                    person_id=i,
                    user_id=i,
                    role="mentor" if i % 2 == 0 else "mentee",
                )
                for i in range(1, people + 1)
            ),
        )
        _write(
            Agreement,
            (
                Agreement(
                    id=m,
                    organisation_id=org,
                    mentorship_id=m,
                    rhythm_weeks=rng.choice(RHYTHMS),
                    agreed_at=None if m in pending else starts[m - 1],
                )
                for m in range(1, pairs + 1)
            ),
        )
        _write(
            MemberStatement,
            (
                MemberStatement(
                    organisation_id=org,
                    agreement_id=(i + 1) // 2,
                    member_id=i,
                    accepted_version=None if (i + 1) // 2 in pending and i % 2 else 1,
                )
                for i in range(1, people + 1)
            ),
        )

        progress(f"{per_pair * pairs:,} sessions")
        quiet_end = now - dt.timedelta(days=42)
        ahead = now + dt.timedelta(days=21)

        def session_rows() -> Iterator[Session]:
            sid = 0
            for m in range(1, pairs + 1):
                start = starts[m - 1]
                end = quiet_end if m in quiet else ahead
                step = (end - start) / per_pair
                for k in range(per_pair):
                    sid += 1
                    yield Session(
                        id=sid,
                        organisation_id=org,
                        mentorship_id=m,
                        starts_at=start + step * k,
                        duration_minutes=45,
                        status="cancelled" if rng.random() < 0.05 else "scheduled",
                        uid=f"s{sid}@bench.test",
                    )

        session_count = _write(Session, session_rows())

        progress("action items and pulses")
        today = now.date()
        action_count = _write(
            ActionItem,
            (
                ActionItem(
                    organisation_id=org,
                    mentorship_id=(i + 1) // 2,
                    title=f"Action {i}",
                    owner_id=i,
                    due_on=today - dt.timedelta(days=rng.randint(-20, 40)),
                    status="open" if rng.random() < 0.3 else "done",
                )
                for i in range(1, people + 1)
            ),
        )

        def pulse_rows() -> Iterator[Pulse]:
            # The mentee's pulse on every fifth session that has been held.
            for sid in range(1, session_count + 1, 5):
                m = (sid - 1) // per_pair + 1
                start = starts[m - 1]
                end = quiet_end if m in quiet else ahead
                at = start + (end - start) / per_pair * ((sid - 1) % per_pair)
                if at <= now:
                    yield Pulse(
                        organisation_id=org,
                        session_id=sid,
                        member_id=2 * m - 1,
                        rating=rng.randint(2, 5),
                    )

        pulse_count = _write(Pulse, pulse_rows())

    models = [User, Membership, Person, Application, Mentorship, MentorshipMember, Agreement]
    models += [Session]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return EngagementData(
        organisation_id=org,
        program_id=program.pk,
        participants=people,
        mentorships=pairs,
        sessions=session_count,
        action_items=action_count,
        pulses=pulse_count,
        diversity_responses=diversity,
        now=now,
    )
