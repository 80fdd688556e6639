"""The demo's running programs: published pairs and circles, each with a working room.

``demo_rooms`` makes a pilot cohort of digital reverse mentoring (the participant login is one of
its junior mentors) and takes the multigenerational-circle program to running; both go through
enrolment, a matching run and publishing, as a manager would. Then it furnishes the
participant's pair and one circle through the rooms' own services: the agreement accepted by
everyone, a recurring series of sessions with agendas, notes (shared and private), action items
(one overdue), goals with progress, and pulses. The other pairs are left at "agreement pending",
as a real cohort looks in its first week.

Sessions can only be scheduled ahead, so the history of a furnished room (its first sessions,
already held) is made by scheduling them and then moving them into the past — the one shortcut
the demo takes, said here so nobody copies it.

Idempotent like the rest of the demo: a program that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from twoway.accounts.models import User
from twoway.core.models import Organisation
from twoway.demo.matching import _eligible, _pool, _to_matching
from twoway.demo.services import DEMO_URL, DemoStep, draft_program
from twoway.matching.models import MatchRun
from twoway.matching.services import (
    match_run_create_unattended,
    match_run_execute,
    match_run_publish,
)
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.programs.models import Program
from twoway.programs.services import (
    program_create_from_playbook,
    program_default_dates,
    program_update,
)
from twoway.rooms.access import Seat
from twoway.rooms.models import Session
from twoway.rooms.services.actions import action_create, action_set_status
from twoway.rooms.services.agendas import agenda_attach, agenda_item_tick
from twoway.rooms.services.agreement import agreement_accept, agreement_update
from twoway.rooms.services.goals import goal_create, goal_update_progress
from twoway.rooms.services.notes import note_create
from twoway.rooms.services.pulse import pulse_submit
from twoway.rooms.services.sessions import attendance_record, session_schedule

PILOT = "Digital reverse mentoring — pilot cohort"
PILOT_PAIRS = 10
MULTIGENERATIONAL = "multigenerational-circle"
CIRCLE_MENTORS, CIRCLE_MENTEES = 4, 16
HELD = 2  # sessions already held in a furnished room


def demo_rooms(organisation: Organisation, *, manager: User, participant: User, seed: int) -> None:
    pilot = _pilot(organisation, manager=manager, participant=participant, seed=seed)
    if pilot is not None:
        mine = (
            Mentorship.objects.filter(program=pilot, members__person__user=participant)
            .order_by("pk")
            .first()
        )
        if mine is not None:
            _furnish(mine, seed=seed)
    circles = _multigenerational(organisation, manager=manager, seed=seed)
    if circles is not None:
        first = Mentorship.objects.filter(program=circles).order_by("pk").first()
        if first is not None:
            _furnish(first, seed=seed)


def _publish(program: Program, *, manager: User) -> Program:
    run = match_run_execute(run=match_run_create_unattended(program=program))
    if run.status == MatchRun.Status.DONE and run.proposals.exists():
        match_run_publish(actor=manager, run=run, base_url=DEMO_URL)
    program.refresh_from_db()
    return program


def _pilot(
    organisation: Organisation, *, manager: User, participant: User, seed: int
) -> Program | None:
    return reverse_cohort(
        organisation, name=PILOT, pairs=PILOT_PAIRS, manager=manager, mentor=participant, seed=seed
    )


def reverse_cohort(
    organisation: Organisation, *, name: str, pairs: int, manager: User, mentor: User, seed: int
) -> Program | None:
    """A published cohort of digital reverse mentoring named ``name`` in which ``mentor`` is one
    of ``pairs`` junior mentors; None when a program of that name exists."""
    if Program.objects.filter(organisation=organisation, name=name).exists():
        return None
    program = program_create_from_playbook(
        actor=manager, organisation=organisation, name=name, playbook_key="reverse-digital"
    )
    program = program_update(
        actor=manager, program=program, **program_default_dates(today=timezone.localdate())
    )
    rng = random.Random(f"{name}:{seed}")
    me = Person.objects.get(organisation=organisation, user=mentor)
    people = _pool(organisation)
    mentors = _eligible(program, "mentor", people.filter(level__lte=3), pairs - 1, rng)
    mentees = _eligible(
        program, "mentee", people.filter(level__gte=4), pairs, rng, seniors_first=True
    )
    program = _to_matching(
        program, manager=manager, mentors=[me, *mentors], mentees=mentees, rng=rng
    )
    return _publish(program, manager=manager)


def _multigenerational(organisation: Organisation, *, manager: User, seed: int) -> Program | None:
    program = draft_program(organisation, MULTIGENERATIONAL)
    if program is None:
        return None
    rng = random.Random(f"{MULTIGENERATIONAL}:{seed}")
    people = _pool(organisation)
    mentors = _eligible(program, "mentor", people.filter(level__gte=5), CIRCLE_MENTORS, rng)
    mentees = _eligible(program, "mentee", people.filter(level__lte=4), CIRCLE_MENTEES, rng)
    program = _to_matching(program, manager=manager, mentors=mentors, mentees=mentees, rng=rng)
    return _publish(program, manager=manager)


LEARN = {
    MentorshipMember.Role.MENTOR: (
        "How decisions get made at the top, and how to bring an idea to the executive team.",
        "Short video and social media for the business: what works with younger customers, "
        "and the tools my generation uses every day.",
    ),
    MentorshipMember.Role.MENTEE: (
        "How younger customers discover brands, and how to show up on social media without "
        "it feeling forced.",
        "Thirty years of lessons on leading teams through change; honest answers to my "
        "questions about careers.",
    ),
}


def _furnish(mentorship: Mentorship, *, seed: int) -> None:
    """Give a published mentorship a room in use."""
    rng = random.Random(f"room:{mentorship.pk}:{seed}")
    members = list(mentorship.members.select_related("person", "user").order_by("role", "pk"))
    seats = {m.pk: Seat(mentorship=mentorship, member=m) for m in members}
    for member in members:
        learn, offer = LEARN[MentorshipMember.Role(member.role)]
        agreement_update(seat=seats[member.pk], wants_to_learn=learn, offers=offer)
    for member in members:
        agreement_accept(seat=seats[member.pk])
    mentorship.refresh_from_db()
    mentor = next(m for m in members if m.role == MentorshipMember.Role.MENTOR)
    mentee = next(m for m in members if m.role == MentorshipMember.Role.MENTEE)
    scheduler = seats[mentee.pk]

    # A series every two weeks at 10:00 in the scheduler's zone, the first two of which are
    # then moved back into the past (see the module's docstring).
    zone = (mentee.user.time_zone if mentee.user else "") or "UTC"
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except zoneinfo.ZoneInfoNotFoundError:
        zone, tz = "UTC", zoneinfo.ZoneInfo("UTC")
    start = (timezone.now().astimezone(tz) + dt.timedelta(days=7)).replace(
        hour=10, minute=0, second=0, microsecond=0, tzinfo=None
    )
    sessions = session_schedule(
        seat=scheduler,
        starts_at_local=start,
        time_zone=zone,
        duration_minutes=45,
        place="Café on the 3rd floor" if mentorship.kind == Mentorship.Kind.PAIR else "",
        video_url="https://meet.example.com/twoway-demo",
        repeat_count=6,
        every_weeks=2,
        base_url=DEMO_URL,
    )
    shift = dt.timedelta(weeks=2 * HELD + 1)
    for session in sessions:
        Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at - shift)
        session.starts_at -= shift
    held, coming = sessions[:HELD], sessions[HELD:]
    circle = mentorship.kind == Mentorship.Kind.CIRCLE
    agenda_attach(
        seat=scheduler,
        session=held[0],
        template_key="builtin:round_table" if circle else "builtin:kickoff",
    )
    for item in held[0].agenda.all()[:3]:
        agenda_item_tick(seat=scheduler, item=item, done=True)
    agenda_attach(
        seat=scheduler,
        session=coming[0],
        template_key="builtin:retrospective" if circle else "builtin:digital_world",
    )
    if circle:
        present = [m.pk for m in members if rng.random() < 0.8] or [mentor.pk]
        attendance_record(seat=scheduler, session=held[0], present_member_ids=present)

    note_create(
        seat=seats[mentor.pk],
        session=held[0],
        visibility="shared",
        body=(
            "**Kickoff.** We agreed to keep what is said here between us, and to be honest "
            "in both directions.\n\n"
            "- next time: a tour of the apps each of us uses every day\n"
            "- try one short video before then\n"
        ),
    )
    note_create(
        seat=seats[mentee.pk],
        visibility="private",
        body="For me only: ask about the budget round before the next session.",
    )
    note_create(
        seat=seats[mentee.pk],
        session=held[1],
        visibility="shared",
        body="Loved the walk-through of [the creator tools](https://example.com/creator-tools).",
    )
    today = timezone.localdate()
    done = action_create(
        seat=scheduler,
        title="Share the list of accounts worth following",
        owner_id=mentee.pk,
        due_on=today - dt.timedelta(days=10),
        session=held[0],
    )
    action_set_status(seat=scheduler, action=done, status="done")
    action_create(
        seat=scheduler,
        title="Draft a first 30-second video",
        owner_id=mentor.pk,
        due_on=today - dt.timedelta(days=2),
        session=held[1],
    )
    action_create(
        seat=scheduler,
        title="Bring one question from the leadership offsite",
        owner_id=mentor.pk,
        due_on=coming[0].starts_at.date(),
    )
    goal = goal_create(
        seat=seats[mentor.pk],
        title="Post one short video a week for a month",
        measure="milestones",
        milestones=["Pick a format", "Record the first one", "Post four in a row"],
    )
    first = goal.milestones.order_by("position").first()
    goal_update_progress(
        seat=seats[mentor.pk],
        goal=goal,
        milestones_done=[first.pk] if first else [],
        note="The format is chosen.",
    )
    own = goal_create(seat=seats[mentee.pk], title="Present to the leadership team with confidence")
    goal_update_progress(seat=seats[mentee.pk], goal=own, percent=30, status="on_track")
    for session in held:
        for member in members:
            pulse_submit(seat=seats[member.pk], session=session, rating=rng.choice([4, 4, 5, 3]))


def rooms_guide(organisation: Organisation, *, manager: User, participant: User) -> list[DemoStep]:
    """Where to look in the running programs' rooms."""
    steps: list[DemoStep] = []
    slug = organisation.slug
    mine = (
        Mentorship.objects.filter(
            organisation=organisation,
            members__person__user=participant,
            status__in=(Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE),
        )
        .order_by("pk")
        .first()
    )
    if mine is not None:
        steps.append(
            DemoStep(
                login=participant.email,
                what=(
                    "open your Mentorship Room (Mentorships in the menu): agreement, sessions "
                    "with agendas, notes, action items, goals and the pulse"
                ),
                path=reverse("rooms:room", kwargs={"org_slug": slug, "mentorship_id": mine.pk}),
            )
        )
    for program in Program.objects.filter(
        organisation=organisation, status=Program.Status.RUNNING, mentorships__isnull=False
    ).distinct():
        steps.append(
            DemoStep(
                login=manager.email,
                what=(
                    f"see the mentorships of “{program.name}” as a manager: dates, sessions "
                    "and goal status, never what the members wrote"
                ),
                path=reverse("rooms:program", kwargs={"org_slug": slug, "program_id": program.pk}),
            )
        )
    return steps
