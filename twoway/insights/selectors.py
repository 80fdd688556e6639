"""Reads behind the program health dashboard, the organisation roll-up and the at-risk list.

Everything here is an aggregate of metadata: statuses, dates and counts of applications,
mentorships, sessions and goals, pulse ratings and survey scales. No note, journal, goal title,
pulse reflection or survey free text is read (confidentiality rule 1). Counts of people's
opinions (pulses, surveys) and of diversity groups go through ``suppression`` before they leave
this module; counts of pairs, sessions and goals are shown exactly because managers already see
them pair by pair on the program's pages.

Each read costs a fixed number of queries whatever the size of the program: several metrics
are folded into one ``aggregate()`` with conditional ``Count``/``Avg``, and groupings come back
as a few rows from ``GROUP BY``.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncWeek

from twoway.core.models import Membership, Organisation
from twoway.enrolment.models import Application, DiversityResponse, Invitation
from twoway.insights.suppression import (
    MIN_GROUP,
    SuppressedBreakdown,
    SuppressedTable,
    suppress_breakdown_with_total,
    suppress_table,
)
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.nudges.models import Nudge
from twoway.programs.models import Program
from twoway.programs.selectors import program_list_managed
from twoway.rooms.models import Goal, Pulse, Session

TREND_WEEKS = 12
AT_RISK_PAGE_SIZE = 20
ROLLUP_PAGE_SIZE = 20
LOW_PULSE_MEAN = 2  # the mean of a pair's last pulses at or under which it is at risk
LOW_PULSE_LAST = 3  # how many of the pair's latest pulses count
DEFAULT_RHYTHM_WEEKS = 2

RUNNING = (Mentorship.Status.ACTIVE, Mentorship.Status.COMPLETED)

# Generations from the self-described age band: approximate, and said so on the page.
GENERATIONS = {
    DiversityResponse.AgeBand.UNDER_25: "Gen Z (under 25)",
    DiversityResponse.AgeBand.FROM_25: "Millennials (25-44)",
    DiversityResponse.AgeBand.FROM_35: "Millennials (25-44)",
    DiversityResponse.AgeBand.FROM_45: "Gen X (45-54)",
    DiversityResponse.AgeBand.FROM_55: "Baby boomers and older (55+)",
    DiversityResponse.AgeBand.FROM_65: "Baby boomers and older (55+)",
}
GENERATION_ORDER = [*dict.fromkeys(GENERATIONS.values()), "Not stated"]
NOT_STATED = "Not stated"
OTHER_GENDER = "Another description"

# Outcome columns of the diversity tables: four exclusive stages plus "matched", their subtotal.
OUTCOMES = ["not_matched", "matched", "active", "completed", "ended_early"]
OUTCOME_LABELS = {
    "not_matched": "Not matched yet",
    "matched": "Matched",
    "active": "Active",
    "completed": "Completed",
    "ended_early": "Ended early",
}
MATCHED_PARTS = ["active", "completed", "ended_early"]


# --- Program health ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A rating scale's answers: published distribution (suppressed), count and mean."""

    distribution: SuppressedBreakdown
    answers: int
    mean: float | None  # None when fewer than MIN_GROUP people are behind it
    score: int | None = None  # net promoter style score, for the 0-10 scale


@dataclass(frozen=True)
class Trend:
    weeks: list[dt.date]
    sessions_held: list[int]
    mentorships_started: list[int]
    pulse_mean: list[float | None]  # None in a week with fewer than MIN_GROUP pulses


@dataclass(frozen=True)
class ProgramHealth:
    invited: int
    applied: int
    approved: int
    matched: int  # people in a mentorship of the program (any status)
    match_rate: int | None  # matched / approved, percent
    mentorships: dict[str, int]  # status → count
    sessions_held: int
    sessions_expected: int
    sessions_upcoming: int
    sessions_cancelled: int
    rhythm_rate: int | None  # held / expected, percent
    goals: dict[str, int]  # status → count
    pulse: Scale
    satisfaction: Scale | None  # None until the surveys app has answers
    recommend: Scale | None
    trend: Trend
    generations: SuppressedTable
    genders: SuppressedTable
    at_risk_total: int = 0
    definitions: dict[str, str] = field(default_factory=dict)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A row count as a scalar subquery, so several counts share one round trip."""
    counted = (
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def _funnel(program: Program) -> dict[str, int]:
    """Invited, applied, approved and matched people: one query."""
    organisation = program.organisation
    applications = Application.objects.for_organisation(organisation).filter(program=program)
    members = MentorshipMember.objects.for_organisation(organisation).filter(
        mentorship__program=program
    )
    matched = (
        members.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("person_id", distinct=True))
        .values("n")
    )
    row = (
        Program.objects.filter(pk=program.pk)
        .annotate(
            invited=_count(
                Invitation.objects.for_organisation(organisation).filter(program=program)
            ),
            applied=_count(applications),
            approved=_count(applications.filter(status=Application.Status.APPROVED)),
            matched=Coalesce(Subquery(matched[:1], output_field=IntegerField()), 0),
        )
        .values_list("invited", "applied", "approved", "matched")
        .get()
    )
    return dict(zip(("invited", "applied", "approved", "matched"), row, strict=True))


def _mentorship_counts(program: Program, now: dt.datetime) -> tuple[dict[str, int], int]:
    """Mentorships by status, and the sessions expected of the running ones: each active or
    completed mentorship's weeks (start to now, or to its end) divided by its agreed rhythm.
    One query: grouped by rhythm, with the span summed per group."""
    end = Case(
        When(status=Mentorship.Status.COMPLETED, ended_at__isnull=False, then=F("ended_at")),
        default=Value(now),
        output_field=DateTimeField(),
    )
    rows = (
        Mentorship.objects.for_organisation(program.organisation)
        .filter(program=program)
        .annotate(
            rhythm=Coalesce(
                "agreement__rhythm_weeks", Value(program.cadence_weeks or DEFAULT_RHYTHM_WEEKS)
            )
        )
        .values("rhythm")
        .annotate(
            span=Sum(end - F("started_at"), filter=Q(status__in=RUNNING, started_at__lte=now)),
            **{status: Count("pk", filter=Q(status=status)) for status in Mentorship.Status.values},
        )
        .order_by()
    )
    counts = dict.fromkeys(Mentorship.Status.values, 0)
    expected = 0.0
    for row in rows:
        for status in Mentorship.Status.values:
            counts[status] += row[status]
        span = row["span"]
        if span is not None:
            seconds = span.total_seconds() if isinstance(span, dt.timedelta) else span / 1e6
            expected += max(seconds, 0) / (row["rhythm"] * 7 * 86400)
    return counts, int(expected)


def _sessions(program: Program, now: dt.datetime) -> dict[str, int]:
    sessions = Session.objects.for_organisation(program.organisation).filter(
        mentorship__program=program
    )
    scheduled = Q(status=Session.Status.SCHEDULED)
    return sessions.aggregate(
        held=Count("pk", filter=scheduled & Q(starts_at__lte=now, mentorship__status__in=RUNNING)),
        upcoming=Count("pk", filter=scheduled & Q(starts_at__gt=now)),
        cancelled=Count("pk", filter=Q(status=Session.Status.CANCELLED)),
    )


def _goals(program: Program) -> dict[str, int]:
    row = (
        Goal.objects.for_organisation(program.organisation)
        .filter(mentorship__program=program)
        .aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in Goal.Status.values}
        )
    )
    return {status: row[status] for status in Goal.Status.values}


def _pulse(program: Program) -> Scale:
    row = (
        Pulse.objects.for_organisation(program.organisation)
        .filter(session__mentorship__program=program)
        .aggregate(
            answers=Count("pk"),
            raters=Count("member_id", distinct=True),
            mean=Avg("rating"),
            **{f"r{rating}": Count("pk", filter=Q(rating=rating)) for rating in range(1, 6)},
        )
    )
    counts = {str(rating): row[f"r{rating}"] for rating in range(1, 6)}
    return _scale(counts, raters=row["raters"], mean=row["mean"])


def _scale(
    counts: dict[str, int], *, raters: int, mean: float | None, score: int | None = None
) -> Scale:
    """A distribution published only when at least MIN_GROUP people are behind it, and then
    with its small cells suppressed."""
    answers = sum(counts.values())
    if raters < MIN_GROUP:
        hidden = SuppressedBreakdown(cells=dict.fromkeys(counts), total=None)
        return Scale(distribution=hidden, answers=answers, mean=None, score=None)
    return Scale(
        distribution=suppress_breakdown_with_total(counts),
        answers=answers,
        mean=round(mean, 2) if mean is not None else None,
        score=score,
    )


def _surveys(program: Program) -> tuple[Scale | None, Scale | None]:
    """Satisfaction (1-5) and likelihood to recommend (0-10) from the program's surveys.
    Answers are anonymous: the number of answers stands for the number of people."""
    try:
        from twoway.surveys.selectors import recommend_distribution, satisfaction_distribution
    except ImportError:  # the surveys app without its dashboard reads
        return None, None
    return (
        _satisfaction(satisfaction_distribution(program=program)),
        _recommend(recommend_distribution(program=program)),
    )


def _satisfaction(distribution: dict[int, int]) -> Scale | None:
    answers = sum(distribution.values())
    if not answers:
        return None
    mean = sum(value * n for value, n in distribution.items()) / answers
    return _scale({str(k): v for k, v in distribution.items()}, raters=answers, mean=mean)


def _recommend(distribution: dict[int, int]) -> Scale | None:
    answers = sum(distribution.values())
    if not answers:
        return None
    buckets = {
        "detractors (0-6)": sum(n for value, n in distribution.items() if value <= 6),
        "passives (7-8)": sum(n for value, n in distribution.items() if 7 <= value <= 8),
        "promoters (9-10)": sum(n for value, n in distribution.items() if value >= 9),
    }
    score = round(100 * (buckets["promoters (9-10)"] - buckets["detractors (0-6)"]) / answers)
    mean = sum(value * n for value, n in distribution.items()) / answers
    return _scale(buckets, raters=answers, mean=mean, score=score)


def _weeks(now: dt.datetime) -> list[dt.date]:
    monday = (now - dt.timedelta(days=now.weekday())).date()
    return [monday - dt.timedelta(weeks=TREND_WEEKS - 1 - i) for i in range(TREND_WEEKS)]


def _week_of(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _trend(program: Program, now: dt.datetime) -> Trend:
    weeks = _weeks(now)
    start = dt.datetime.combine(weeks[0], dt.time.min, tzinfo=dt.UTC)
    organisation = program.organisation
    held = (
        Session.objects.for_organisation(organisation)
        .filter(
            mentorship__program=program,
            status=Session.Status.SCHEDULED,
            starts_at__gte=start,
            starts_at__lte=now,
        )
        .annotate(week=TruncWeek("starts_at", tzinfo=dt.UTC))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    started = (
        Mentorship.objects.for_organisation(organisation)
        .filter(program=program, started_at__gte=start, started_at__lte=now)
        .annotate(week=TruncWeek("started_at", tzinfo=dt.UTC))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    pulses = (
        Pulse.objects.for_organisation(organisation)
        .filter(
            session__mentorship__program=program,
            session__starts_at__gte=start,
            session__starts_at__lte=now,
        )
        .annotate(week=TruncWeek("session__starts_at", tzinfo=dt.UTC))
        .values("week")
        .annotate(n=Count("member_id", distinct=True), mean=Avg("rating"))
        .order_by()
    )
    held_by = {_week_of(row["week"]): row["n"] for row in held}
    started_by = {_week_of(row["week"]): row["n"] for row in started}
    pulse_by = {
        _week_of(row["week"]): (round(row["mean"], 2) if row["n"] >= MIN_GROUP else None)
        for row in pulses
    }
    return Trend(
        weeks=weeks,
        sessions_held=[held_by.get(week, 0) for week in weeks],
        mentorships_started=[started_by.get(week, 0) for week in weeks],
        pulse_mean=[pulse_by.get(week) for week in weeks],
    )


DEFINITIONS = {
    "invited": "People invited to the program (invitations sent, whatever the answer).",
    "applied": "Applications received, whether invited or open, in any status.",
    "approved": "Applications approved: the people enrolled in the program.",
    "matched": "Different people who are a member of at least one mentorship of the program.",
    "match_rate": "Matched people as a share of approved applications.",
    "mentorships": "Mentorships (pairs and circles) by status. Ended early is no-fault.",
    "sessions_held": (
        "Scheduled (not cancelled) sessions that have started, in active or completed mentorships."
    ),
    "sessions_expected": (
        "For each active or completed mentorship, the weeks since it started (to its end when "
        "completed) divided by the rhythm its members agreed (the program's cadence while "
        "there is no agreement), added up."
    ),
    "rhythm_rate": "Sessions held as a share of sessions expected.",
    "goals": "Members' goals by the status they set: on track, behind or done.",
    "pulse": (
        "Members' one-click pulse after a session: how useful it was, 1 to 5. Shown when at "
        "least 5 different people answered; counts under 5 are suppressed."
    ),
    "satisfaction": "Answers 1 to 5 to the program surveys' satisfaction questions.",
    "recommend": (
        "Answers 0 to 10 to 'how likely are you to recommend the program?': the score is the "
        "percentage of promoters (9-10) minus the percentage of detractors (0-6), from -100 "
        "to 100."
    ),
    "trend": (
        f"The last {TREND_WEEKS} weeks, Monday to Sunday (UTC): sessions held, mentorships "
        "started and the mean pulse (shown in weeks with at least 5 different people "
        "answering)."
    ),
    "at_risk": (
        "Active mentorships that are quiet (no session held within their rhythm plus the "
        "program's grace days), whose mean of the last 3 pulses is 2 or less, or with open "
        "action items past their due date."
    ),
    "diversity": (
        "Approved participants who consented to diversity reporting, by the last outcome of "
        "their mentorships in this program. Generations are approximate, from the age band "
        "people chose. Any figure under 5 people is shown as <5, and so is at least one more "
        "figure in the same row or column, so a hidden figure cannot be worked out by "
        "subtraction. Gender descriptions chosen by fewer than 5 people are counted together "
        "as 'Another description'."
    ),
}


def program_health(*, program: Program, now: dt.datetime) -> ProgramHealth:
    """The program's dashboard figures, in a fixed number of queries."""
    funnel = _funnel(program)
    mentorships, expected = _mentorship_counts(program, now)
    sessions = _sessions(program, now)
    satisfaction, recommend = _surveys(program)
    generations, genders = diversity_breakdowns(program=program)
    return ProgramHealth(
        invited=funnel["invited"],
        applied=funnel["applied"],
        approved=funnel["approved"],
        matched=funnel["matched"],
        match_rate=_percent(funnel["matched"], funnel["approved"]),
        mentorships=mentorships,
        sessions_held=sessions["held"],
        sessions_expected=expected,
        sessions_upcoming=sessions["upcoming"],
        sessions_cancelled=sessions["cancelled"],
        rhythm_rate=_percent(sessions["held"], expected),
        goals=_goals(program),
        pulse=_pulse(program),
        satisfaction=satisfaction,
        recommend=recommend,
        trend=_trend(program, now),
        generations=generations,
        genders=genders,
        definitions=DEFINITIONS,
    )


# --- Diversity -----------------------------------------------------------------------------------


def _consenting_outcomes(program: Program) -> QuerySet[DiversityResponse, dict[str, Any]]:
    """Consenting, approved participants of ``program`` grouped by age band, gender and their
    outcome: one row per combination with its count (one query)."""
    seats = MentorshipMember.objects.filter(
        organisation_id=program.organisation_id,
        mentorship__program_id=program.pk,
        person_id=OuterRef("application__person_id"),
    )
    pending_or_active = [Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE]
    outcome = Case(
        When(Exists(seats.filter(mentorship__status__in=pending_or_active)), then=Value("active")),
        When(
            Exists(seats.filter(mentorship__status=Mentorship.Status.COMPLETED)),
            then=Value("completed"),
        ),
        When(
            Exists(seats.filter(mentorship__status=Mentorship.Status.ENDED_EARLY)),
            then=Value("ended_early"),
        ),
        default=Value("not_matched"),
    )
    return (
        DiversityResponse.objects.for_organisation(program.organisation)
        .filter(
            consent_reporting=True,
            application__program=program,
            application__status=Application.Status.APPROVED,
        )
        .annotate(outcome=outcome)
        .values("age_band", "gender", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _gender_label(value: str) -> str:
    text = " ".join(value.split())
    return text[:1].upper() + text[1:].lower() if text else NOT_STATED


def diversity_breakdowns(*, program: Program) -> tuple[SuppressedTable, SuppressedTable]:
    """Generation by outcome and gender by outcome of the consenting participants, suppressed.
    Non-consenting responses are never read."""
    rows = list(_consenting_outcomes(program))
    by_generation: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    gender_rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        generation = GENERATIONS.get(row["age_band"], NOT_STATED)
        by_generation[generation][row["outcome"]] += row["n"]
        gender_rows[_gender_label(row["gender"])][row["outcome"]] += row["n"]
    # Descriptions shared by fewer than MIN_GROUP people are pooled (never listed by name).
    by_gender: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for label, outcomes in gender_rows.items():
        pooled = label if sum(outcomes.values()) >= MIN_GROUP or label == NOT_STATED else None
        for outcome, n in outcomes.items():
            by_gender[pooled or OTHER_GENDER][outcome] += n
    generation_table = {g: dict(by_generation[g]) for g in GENERATION_ORDER if g in by_generation}
    gender_order = sorted(
        (label for label in by_gender if label not in (OTHER_GENDER, NOT_STATED)),
        key=str.casefold,
    ) + [label for label in (OTHER_GENDER, NOT_STATED) if label in by_gender]
    gender_table = {label: dict(by_gender[label]) for label in gender_order}
    subtotals = {"matched": MATCHED_PARTS}
    return (
        suppress_table(generation_table, columns=OUTCOMES, subtotals=subtotals),
        suppress_table(gender_table, columns=OUTCOMES, subtotals=subtotals),
    )


# --- At risk -------------------------------------------------------------------------------------


def _low_pulse(program: Program) -> QuerySet[Any]:
    """Active mentorships whose last ``LOW_PULSE_LAST`` pulses average ``LOW_PULSE_MEAN`` or
    less. Only pairs with at least one low rating can qualify, so the per-pair average is
    computed for those alone."""
    # Filtered through the session (not the pulse's own organisation column) so the database
    # walks the pair's sessions by their index and then their pulses, instead of scanning every
    # pulse of the organisation for each pair.
    latest = (
        Pulse.objects.filter(
            session__organisation_id=program.organisation_id,
            session__mentorship_id=OuterRef(OuterRef("pk")),
        )
        .order_by("-session__starts_at", "-pk")
        .values("pk")[:LOW_PULSE_LAST]
    )
    mean_of_latest = (
        Pulse.objects.filter(pk__in=latest)
        .order_by()
        .values("organisation_id")
        .annotate(mean=Avg("rating"))
        .values("mean")[:1]
    )
    with_low_rating = Pulse.objects.filter(
        session__organisation_id=program.organisation_id,
        session__mentorship_id=OuterRef("pk"),
        rating__lte=LOW_PULSE_MEAN,
    )
    return (
        Mentorship.objects.for_organisation(program.organisation)
        .filter(program=program, status=Mentorship.Status.ACTIVE)
        .filter(Exists(with_low_rating))
        .annotate(latest_pulse_mean=Subquery(mean_of_latest))
        .filter(latest_pulse_mean__lte=LOW_PULSE_MEAN)
    )


@dataclass(frozen=True)
class AtRisk:
    mentorship: Mentorship
    quiet_weeks: int | None  # None: not quiet
    low_pulse: bool
    overdue_actions: bool
    last_nudged_at: dt.datetime | None

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.quiet_weeks is not None:
            reasons.append(f"quiet for {self.quiet_weeks} weeks")
        if self.low_pulse:
            reasons.append("low pulse")
        if self.overdue_actions:
            reasons.append("overdue actions")
        return reasons

    @property
    def reason_keys(self) -> list[str]:
        keys = []
        if self.quiet_weeks is not None:
            keys.append("quiet")
        if self.low_pulse:
            keys.append("low_pulse")
        if self.overdue_actions:
            keys.append("overdue_actions")
        return keys


def _last_held(program: Program, now: dt.datetime) -> Subquery:
    return Subquery(
        Session.objects.filter(
            organisation_id=program.organisation_id,
            mentorship_id=OuterRef("pk"),
            status=Session.Status.SCHEDULED,
            starts_at__lte=now,
        )
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )


def _last_nudged(program: Program) -> Subquery:
    return Subquery(
        Nudge.objects.filter(organisation_id=program.organisation_id, mentorship_id=OuterRef("pk"))
        .order_by()
        .values("mentorship_id")
        .annotate(last=Max("created_at"))
        .values("last")[:1]
    )


def _at_risk_queryset(program: Program, now: dt.datetime) -> QuerySet[Any]:
    from twoway.nudges.rules import mentorships_with_overdue_actions, quiet_mentorships

    quiet = quiet_mentorships(program=program, now=now).values("pk")
    overdue = mentorships_with_overdue_actions(program=program, now=now).values("pk")
    low = _low_pulse(program).values("pk")
    return (
        Mentorship.objects.for_organisation(program.organisation)
        .filter(program=program, status=Mentorship.Status.ACTIVE)
        .filter(Q(pk__in=quiet) | Q(pk__in=overdue) | Q(pk__in=low))
        .annotate(
            is_quiet=Exists(quiet.filter(pk=OuterRef("pk"))),
            is_overdue=Exists(overdue.filter(pk=OuterRef("pk"))),
            is_low=Exists(low.filter(pk=OuterRef("pk"))),
            last_held_at=_last_held(program, now),
            last_nudged_at=_last_nudged(program),
        )
        .select_related("program")
        .order_by("started_at", "pk")
    )


def at_risk_page(*, program: Program, now: dt.datetime, page: Any = 1) -> Page:
    """One page (``AT_RISK_PAGE_SIZE``) of the program's at-risk mentorships, oldest first;
    the page's ``object_list`` holds ``AtRisk`` rows. A count and a page query (the reasons and
    last nudge are annotations), whatever the page size. Computed live: the dashboard reads the
    snapshot's list instead (``at_risk_page_from``)."""
    paginator = Paginator(_at_risk_queryset(program, now), AT_RISK_PAGE_SIZE)
    current = paginator.get_page(page)
    current.object_list = [
        _at_risk_row(m, now, quiet=m.is_quiet, overdue=m.is_overdue, low=m.is_low)
        for m in current.object_list
    ]
    return current


def at_risk_flags(*, program: Program, now: dt.datetime) -> list[list[Any]]:
    """The whole at-risk list as [mentorship id, quiet, overdue actions, low pulse] rows, in
    the list's order: what a snapshot stores."""
    return [
        [pk, bool(quiet), bool(overdue), bool(low)]
        for pk, quiet, overdue, low in _at_risk_queryset(program, now).values_list(
            "pk", "is_quiet", "is_overdue", "is_low"
        )
    ]


# --- Snapshots -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    health: ProgramHealth
    at_risk: list[list[Any]]  # see ``at_risk_flags``
    computed_at: dt.datetime
    seconds: float


def health_snapshot_get(*, program: Program) -> Snapshot | None:
    """The program's stored snapshot, or ``None`` when there is none or it cannot be read (it
    was written by another version of the code)."""
    from twoway.insights.models import HealthSnapshot

    row = (
        HealthSnapshot.objects.filter(organisation_id=program.organisation_id, program=program)
        .only("health", "at_risk", "computed_at", "seconds")
        .first()
    )
    if row is None:
        return None
    try:
        health = pickle.loads(bytes(row.health))
    except Exception:  # an older shape of ProgramHealth: recompute
        return None
    if not isinstance(health, ProgramHealth):
        return None
    return Snapshot(health, row.at_risk, row.computed_at, row.seconds)


def at_risk_page_from(
    snapshot: Snapshot, *, program: Program, now: dt.datetime, page: Any = 1
) -> Page:
    """One page of the snapshot's at-risk list, the page's mentorships read live (one query:
    when last held and last nudged are as of now; one that ended since is left out)."""
    current = Paginator(snapshot.at_risk, AT_RISK_PAGE_SIZE).get_page(page)
    flags = {row[0]: row[1:] for row in current.object_list}
    found = {
        mentorship.pk: mentorship
        for mentorship in Mentorship.objects.for_organisation(program.organisation)
        .filter(program=program, status=Mentorship.Status.ACTIVE, pk__in=list(flags))
        .annotate(last_held_at=_last_held(program, now), last_nudged_at=_last_nudged(program))
        .select_related("program")
    }
    rows = []
    for pk, (quiet, overdue, low) in flags.items():
        mentorship = found.get(pk)
        if mentorship is None:
            continue
        rows.append(_at_risk_row(mentorship, now, quiet=quiet, overdue=overdue, low=low))
    current.object_list = rows  # type: ignore[assignment]  # the page carries rows, not ids
    return current


def _at_risk_row(
    mentorship: Any, now: dt.datetime, *, quiet: bool, overdue: bool, low: bool
) -> AtRisk:
    quiet_weeks = None
    if quiet:
        since = mentorship.last_held_at or mentorship.started_at
        quiet_weeks = max((now - since).days // 7, 0)
    return AtRisk(
        mentorship=mentorship,
        quiet_weeks=quiet_weeks,
        low_pulse=bool(low),
        overdue_actions=bool(overdue),
        last_nudged_at=mentorship.last_nudged_at,
    )


# --- Organisation roll-up ------------------------------------------------------------------------


@dataclass(frozen=True)
class RollupRow:
    program: Program
    approved: int
    mentorships: dict[str, int]
    sessions_held: int
    pulse_mean: float | None  # None under MIN_GROUP different people
    satisfaction_mean: float | None
    recommend_score: int | None


def organisation_rollup(
    *, organisation: Organisation, membership: Membership, now: dt.datetime, page: Any = 1
) -> Page:
    """The programs the viewer manages (every program for admins), 20 a page, each with its
    headline figures: one query per figure kind, whatever the number of programs."""
    programs = program_list_managed(membership=membership).order_by("name", "pk")
    paginator = Paginator(programs, ROLLUP_PAGE_SIZE)
    current = paginator.get_page(page)
    page_programs = list(current.object_list)
    ids = [program.pk for program in page_programs]
    current.object_list = _rollup_rows(organisation, page_programs, ids, now)  # type: ignore[assignment]  # the page carries rows, not models
    return current


def _rollup_rows(
    organisation: Organisation, programs: list[Program], ids: list[int], now: dt.datetime
) -> list[RollupRow]:
    if not ids:
        return []
    approved = dict(
        Application.objects.for_organisation(organisation)
        .filter(program_id__in=ids, status=Application.Status.APPROVED)
        .values("program_id")
        .annotate(n=Count("pk"))
        .values_list("program_id", "n")
        .order_by()
    )
    statuses: dict[int, dict[str, int]] = {
        pk: dict.fromkeys(Mentorship.Status.values, 0) for pk in ids
    }
    for program_id, status, n in (
        Mentorship.objects.for_organisation(organisation)
        .filter(program_id__in=ids)
        .values("program_id", "status")
        .annotate(n=Count("pk"))
        .values_list("program_id", "status", "n")
        .order_by()
    ):
        statuses[program_id][status] = n
    held = dict(
        Session.objects.for_organisation(organisation)
        .filter(
            mentorship__program_id__in=ids,
            mentorship__status__in=RUNNING,
            status=Session.Status.SCHEDULED,
            starts_at__lte=now,
        )
        .values("mentorship__program_id")
        .annotate(n=Count("pk"))
        .values_list("mentorship__program_id", "n")
        .order_by()
    )
    pulses = {
        row["session__mentorship__program_id"]: row
        for row in Pulse.objects.for_organisation(organisation)
        .filter(session__mentorship__program_id__in=ids)
        .values("session__mentorship__program_id")
        .annotate(raters=Count("member_id", distinct=True), mean=Avg("rating"))
        .order_by()
    }
    satisfaction, recommend = _surveys_by_program(programs)
    rows = []
    for program in programs:
        pulse = pulses.get(program.pk)
        pulse_mean = round(pulse["mean"], 2) if pulse and pulse["raters"] >= MIN_GROUP else None
        sat = _satisfaction(satisfaction.get(program.pk, {}))
        rec = _recommend(recommend.get(program.pk, {}))
        rows.append(
            RollupRow(
                program=program,
                approved=approved.get(program.pk, 0),
                mentorships=statuses[program.pk],
                sessions_held=held.get(program.pk, 0),
                pulse_mean=pulse_mean,
                satisfaction_mean=sat.mean if sat else None,
                recommend_score=rec.score if rec else None,
            )
        )
    return rows


def _surveys_by_program(
    programs: Iterable[Program],
) -> tuple[dict[int, dict[int, int]], dict[int, dict[int, int]]]:
    try:
        from twoway.surveys.selectors import (
            recommend_distribution_by_program,
            satisfaction_distribution_by_program,
        )
    except ImportError:
        return {}, {}
    programs = list(programs)
    return (
        satisfaction_distribution_by_program(programs=programs),
        recommend_distribution_by_program(programs=programs),
    )


def program_get_for_insights(*, membership: Membership, program_id: int) -> Program:
    """The program if the viewer manages it (admins: any of the organisation's), else 404."""
    from twoway.programs.selectors import program_get_for_manager

    return program_get_for_manager(membership=membership, program_id=program_id)
