"""The demo's engagement and insights (issue 7), built on the pilot cohort and the spring cohort.

- Consenting diversity answers for most of the pilot's applicants (one in ten declines), so the
  dashboard's generational breakdown has cells it publishes and cells it must suppress.
- Three pilot pairs that need attention: one has gone quiet (last met seven weeks ago), one
  has an action item ten days overdue, one rated its last sessions poorly. The nudge sweep runs
  once, so nudges and notifications exist; the manager has already nudged the overdue pair.
- Surveys: the pilot's mid-program check-in is open, answered anonymously by six people (not the
  participant login, who can answer it), enough to show its results; the spring cohort's
  anonymous exit survey has the answers of its four members with an account, so its results
  stay hidden until a fifth person answers.

Everything goes through the services, as a manager and participants would; running it again
changes nothing once the pilot has a survey.
"""

from __future__ import annotations

import datetime as dt
import random

from django.urls import reverse
from django.utils import timezone

from twoway.accounts.models import User
from twoway.core.models import Membership, Organisation
from twoway.demo.growth import SPRING
from twoway.demo.rooms import PILOT
from twoway.demo.services import DemoStep
from twoway.enrolment.models import Application, DiversityResponse
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.nudges.services import nudge_send_manual, nudges_sweep
from twoway.programs.models import Program
from twoway.rooms.access import Seat
from twoway.rooms.models import ActionItem, Pulse, Session
from twoway.rooms.services.agreement import agreement_accept, agreement_update
from twoway.surveys.models import Question, Survey
from twoway.surveys.services import response_submit, survey_create, survey_open

QUIET_WEEKS = 7
# Mentors of the reverse pilot are junior, mentees senior: their age bands follow.
MENTOR_BANDS = [DiversityResponse.AgeBand.UNDER_25] * 3 + [DiversityResponse.AgeBand.FROM_25] * 2
MENTEE_BANDS = [DiversityResponse.AgeBand.FROM_45] * 3 + [DiversityResponse.AgeBand.FROM_55] * 2
GENDERS = ["Woman", "Man", "Woman", "Man", "Non-binary"]


def demo_engagement(
    organisation: Organisation, *, manager: User, participant: User, seed: int = 42
) -> None:
    pilot = Program.objects.filter(organisation=organisation, name=PILOT).first()
    if pilot is None or Survey.objects.filter(program=pilot).exists():
        return
    rng = random.Random(f"engagement:{seed}")
    now = timezone.now()
    managing = Membership.objects.get(organisation=organisation, user=manager)
    _diversity(pilot, rng)
    # The quiet and the low-pulse pairs are left for the manager to find on the dashboard.
    _, overdue, _ = _pairs_needing_attention(pilot, participant=participant, now=now)
    nudges_sweep(now=now, program=pilot)
    if overdue is not None:
        nudge_send_manual(actor=managing, mentorship=overdue, now=now)
    _check_in(pilot, actor=managing, skip=participant, count=6, rng=rng)
    spring = Program.objects.filter(organisation=organisation, name=SPRING).first()
    if spring is not None:
        _exit_survey(spring, actor=managing, rng=rng)


def _diversity(program: Program, rng: random.Random) -> None:
    applications = list(
        Application.objects.filter(program=program, status=Application.Status.APPROVED).order_by(
            "pk"
        )
    )
    answered = set(
        DiversityResponse.objects.filter(application__in=applications).values_list(
            "application_id", flat=True
        )
    )
    rows = []
    for i, application in enumerate(applications):
        if application.pk in answered:
            continue
        bands = MENTOR_BANDS if application.role == "mentor" else MENTEE_BANDS
        rows.append(
            DiversityResponse(
                organisation_id=program.organisation_id,
                application=application,
                age_band=rng.choice(bands),
                gender=GENDERS[i % len(GENDERS)],
                consent_matching=False,
                consent_reporting=i % 10 != 9,  # some people decline: never counted
            )
        )
    DiversityResponse.objects.bulk_create(rows)


def _agree(mentorship: Mentorship) -> None:
    members = list(mentorship.members.all())
    for member in members:
        agreement_update(
            seat=Seat(mentorship=mentorship, member=member),
            wants_to_learn="To see my work through the other generation's eyes.",
            offers="Time, questions and honest answers.",
        )
    for member in members:
        agreement_accept(seat=Seat(mentorship=mentorship, member=member))


def _session(mentorship: Mentorship, *, starts_at: dt.datetime, n: int) -> Session:
    return Session.objects.create(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=45,
        uid=f"demo-engagement-{mentorship.pk}-{n}@twoway",
    )


def _pairs_needing_attention(
    program: Program, *, participant: User, now: dt.datetime
) -> tuple[Mentorship | None, Mentorship | None, Mentorship | None]:
    """Three pairs other than the participant's, started nine weeks ago with an agreement: one
    last met seven weeks ago, one has an overdue action item, one rated its sessions low."""
    others = list(
        Mentorship.objects.filter(program=program)
        .exclude(members__user=participant)
        .prefetch_related("members")
        .order_by("pk")[:3]
    )
    if len(others) < 3:
        return None, None, None
    quiet, overdue, low = others
    Mentorship.objects.filter(pk__in=[m.pk for m in others]).update(
        started_at=now - dt.timedelta(weeks=9)
    )
    for mentorship in others:
        mentorship.refresh_from_db()
        _agree(mentorship)
    _session(quiet, starts_at=now - dt.timedelta(weeks=QUIET_WEEKS), n=1)
    for n, weeks in enumerate((3, 1), start=1):
        _session(overdue, starts_at=now - dt.timedelta(weeks=weeks), n=n)
    mentor = overdue.members.filter(role=MentorshipMember.Role.MENTOR).first()
    ActionItem.objects.create(
        organisation_id=overdue.organisation_id,
        mentorship=overdue,
        title="Share the slides on short-form video",
        owner=mentor,
        due_on=(now - dt.timedelta(days=10)).date(),
        created_by=mentor,
    )
    low_members = list(low.members.all())
    for n, (weeks, rating) in enumerate(((5, 2), (3, 1), (1, 2)), start=1):
        session = _session(low, starts_at=now - dt.timedelta(weeks=weeks), n=n)
        Pulse.objects.bulk_create(
            Pulse(
                organisation_id=low.organisation_id, session=session, member=member, rating=rating
            )
            for member in low_members
        )
    return quiet, overdue, low


def _answers(survey: Survey, rng: random.Random) -> dict[int, object]:
    answers: dict[int, object] = {}
    for question in Question.objects.filter(survey=survey).order_by("position"):
        if question.kind == Question.Kind.SCALE:
            low, high = question.scale_min or 1, question.scale_max or 5
            answers[question.pk] = rng.randint(max(low, high - 2), high)
        elif question.kind == Question.Kind.CHOICE:
            answers[question.pk] = rng.choice(question.choices[:2])
        elif question.required:
            answers[question.pk] = rng.choice(
                ["Seeing my own habits from the outside.", "Short video is a real channel."]
            )
    return answers


def _respondents(program: Program, *, skip: User | None = None) -> list[Membership]:
    users = (
        MentorshipMember.objects.filter(mentorship__program=program, user__isnull=False)
        .exclude(user=skip)
        .values_list("user_id", flat=True)
        .order_by("pk")
    )
    memberships = Membership.objects.filter(
        organisation_id=program.organisation_id, user_id__in=list(users)
    ).select_related("organisation")
    return list(memberships.order_by("pk"))


def _check_in(
    program: Program, *, actor: Membership, skip: User, count: int, rng: random.Random
) -> None:
    survey = survey_open(
        actor=actor, survey=survey_create(actor=actor, program=program, template="check_in")
    )
    for membership in _respondents(program, skip=skip)[:count]:
        response_submit(membership=membership, survey=survey, answers=_answers(survey, rng))


def _exit_survey(program: Program, *, actor: Membership, rng: random.Random) -> None:
    if Survey.objects.filter(program=program).exists():
        return
    survey = survey_open(
        actor=actor, survey=survey_create(actor=actor, program=program, template="exit")
    )
    for membership in _respondents(program):
        response_submit(membership=membership, survey=survey, answers=_answers(survey, rng))


def engagement_guide(
    organisation: Organisation, *, admin: User, manager: User, participant: User
) -> list[DemoStep]:
    """Where to look at nudges, surveys and the dashboards."""
    slug = organisation.slug
    steps = [
        DemoStep(
            login=participant.email,
            what=(
                "Notifications (top right): the unread count, reminders with links only; "
                "Surveys: answer the pilot's anonymous mid-program check-in"
            ),
            path=reverse("surveys:home", kwargs={"org_slug": slug}),
        ),
        DemoStep(
            login=admin.email,
            what="Insights: every program's figures side by side, with CSV/XLSX export",
            path=reverse("insights:home", kwargs={"org_slug": slug}),
        ),
    ]
    pilot = Program.objects.filter(organisation=organisation, name=PILOT).first()
    if pilot is not None:
        ids = {"org_slug": slug, "program_id": pilot.pk}
        steps += [
            DemoStep(
                login=manager.email,
                what=(
                    "the pilot's health dashboard: charts, the at-risk list (a quiet pair, an "
                    "overdue action, low pulse) with one-click nudge, the generational "
                    "breakdown with suppressed cells"
                ),
                path=reverse("insights:program", kwargs=ids),
            ),
            DemoStep(
                login=manager.email,
                what="the pilot's nudges: the rules to tune and who was nudged when",
                path=reverse("nudges:program", kwargs=ids),
            ),
            DemoStep(
                login=manager.email,
                what="the pilot's surveys: the check-in's results (six anonymous answers)",
                path=reverse("surveys:program", kwargs=ids),
            ),
        ]
    return steps
