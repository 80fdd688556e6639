"""A program's approved applications turned into the engine's ``Problem``.

The engine (``twoway.matching.engine``) is pure arrays; this module is the one place that reads
the database for it. ``program_problem`` loads everything in a fixed number of queries, whatever
the number of applicants, and keeps the index → application mapping so that the engine's answer
can be stored against applications.

Choices made here, in the engine's terms:

* Sides: role "mentor" → mentors, "mentee" → mentees. An "either" application goes to the side
  that is shorter at that moment (ties → mentee), taken in submission order so the result is
  reproducible; an "either" application named in a locked pair keeps that pair's side.
* Capacity (pairs): ``program.mentees_per_mentor`` minus the mentor's mentorships in this
  program that are agreement pending or active. Circles: the largest circle size minus one.
  A mentee of a live (agreement pending or active) mentorship of the program is left out; one
  whose mentorship ended can be matched again.
* Unknown level: the level rule never passes for that person (they cannot be placed until the
  directory says their level); unknown team, department, location, generation: -1 (never equal).
* Generation: 5-year bands of the hire date. Languages: the application's, else the person's;
  nobody listed means "no restriction" (every bit set), so a missing answer does not exclude.
* Working style: the TIPI scores, a missing one neutral (4).
* Forbidden: the program's ``PairExclusion`` rows, in both directions. Previous: two people who
  were mentor and mentee of the same mentorship anywhere in the organisation before, either way.
* Weights: the program's ``MatchingSettings``; a criterion not set takes the engine's default,
  except "custom", which then takes the strongest weight of the questions used for matching.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.enrolment.models import (
    Application,
    CustomAnswer,
    CustomQuestion,
    DiversityResponse,
    Role,
)
from twoway.matching.engine import (
    DEFAULT_WEIGHTS,
    HOURS_PER_WEEK,
    Criterion,
    Format,
    Participants,
    Problem,
    ProgramRules,
    Weight,
    pack_availability,
    sets_to_csr,
)
from twoway.matching.engine.model import MAX_LANGUAGES
from twoway.matching.models import MatchingSettings, PairExclusion
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people import reporting_lines
from twoway.programs.models import Format as ProgramFormat
from twoway.programs.models import Program

NEUTRAL_STYLE = 4.0  # the middle of the 1-7 TIPI scale
TIPI_FIELDS = (
    "extraversion",
    "agreeableness",
    "conscientiousness",
    "emotional_stability",
    "openness",
)
GENERATION_YEARS = 5
UNKNOWN = -1
# A level that fails the level rule against any real level, for people whose level is unknown.
NEVER = 1_000_000
# Cost per extra mentee with the same mentor when the manager asks to spread the load: small
# against a score in [0, 1], so it only decides between near-equal assignments.
LOAD_SPREADING_COST = 0.05
OPEN_STATUSES = (Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE)
WEIGHT_ORDER = [Weight.OFF, Weight.LOW, Weight.MEDIUM, Weight.HIGH, Weight.MUST]


@dataclass
class ProgramProblem:
    problem: Problem
    mentors: list[Application]  # engine mentor index → application
    mentees: list[Application]  # engine mentee index → application
    # Locked pairs asked for but dropped: an application no longer approved, or on the wrong side.
    dropped_locks: list[tuple[int, int]] = field(default_factory=list)

    def mentor_index(self) -> dict[int, int]:
        return {a.pk: i for i, a in enumerate(self.mentors)}

    def mentee_index(self) -> dict[int, int]:
        return {a.pk: i for i, a in enumerate(self.mentees)}


def program_problem(
    *, program: Program, locked: Sequence[tuple[int, int]] = (), seed: int = 0
) -> ProgramProblem:
    """The engine's problem for ``program``; ``locked`` holds (mentee application id, mentor
    application id) pairs that must be kept."""
    applications = list(
        Application.objects.filter(program=program, status=Application.Status.APPROVED)
        .exclude(role=Role.MENTEE, person_id__in=_live_mentees(program))
        .select_related("person")
        .prefetch_related(
            "shares",
            "learns",
            "interests",
            Prefetch(
                "answers",
                queryset=CustomAnswer.objects.filter(question__used_for_matching=True),
                to_attr="matching_answers",
            ),
        )
        .order_by("submitted_at", "id")
    )
    mentors, mentees = split_sides(applications, locked)
    settings = MatchingSettings.objects.filter(program=program).first()
    questions = list(
        CustomQuestion.objects.filter(program=program, used_for_matching=True).order_by(
            "position", "id"
        )
    )
    taken = _open_mentorships(program)
    rules = _rules(program, settings, questions, seed)
    is_circle = ProgramFormat(program.format).is_circle
    if is_circle:
        capacity_each = max((program.circle_max_size or 2) - 1, 1)
    else:
        capacity_each = program.mentees_per_mentor

    everyone = mentees + mentors
    consented = _consented_answers(program)
    tin, tout = reporting_lines.chain_intervals(
        [a.person_id for a in everyone], [a.person.chain_path for a in everyone]
    )
    codes = _Codes()
    # Number every topic first: both sides' matrices need the full vocabulary as their width.
    for application in everyone:
        for topic in (*application.shares.all(), *application.learns.all()):
            codes.topic(topic)
        for topic in application.interests.all():
            codes.interest(topic)
    topic_names, interest_names = codes.topic_names, codes.interest_names

    def side(apps: list[Application], offset: int, *, is_mentor: bool) -> Participants:
        return _participants(
            apps,
            tin=tin[offset : offset + len(apps)],
            tout=tout[offset : offset + len(apps)],
            codes=codes,
            questions=questions,
            consented=consented,
            rules=rules,
            is_mentor=is_mentor,
            capacity=[
                max(capacity_each - taken.get(a.person_id, 0), 0) if is_mentor else 0 for a in apps
            ],
        )

    mentee_side = side(mentees, 0, is_mentor=False)
    mentor_side = side(mentors, len(mentees), is_mentor=True)
    mentee_at = {a.pk: i for i, a in enumerate(mentees)}
    mentor_at = {a.pk: i for i, a in enumerate(mentors)}
    kept: list[tuple[int, int]] = []
    dropped: list[tuple[int, int]] = []
    for mentee_id, mentor_id in locked:
        if mentee_id in mentee_at and mentor_id in mentor_at:
            kept.append((mentee_at[mentee_id], mentor_at[mentor_id]))
        else:
            dropped.append((mentee_id, mentor_id))
    person_mentee = _people_index(mentees)
    person_mentor = _people_index(mentors)
    problem = Problem(
        mentors=mentor_side,
        mentees=mentee_side,
        rules=rules,
        topic_names=topic_names,
        interest_names=interest_names,
        location_names=codes.location_names,
        locked=_pairs(kept),
        forbidden=_pairs(_both_ways(_exclusions(program), person_mentee, person_mentor)),
        previous=_pairs(_both_ways(_previous(program), person_mentee, person_mentor)),
    )
    return ProgramProblem(problem=problem, mentors=mentors, mentees=mentees, dropped_locks=dropped)


def split_sides(
    applications: Iterable[Application], locked: Sequence[tuple[int, int]] = ()
) -> tuple[list[Application], list[Application]]:
    """(mentors, mentees): "either" goes to the shorter side, ties → mentee (see the module)."""
    locked_mentees = {pair[0] for pair in locked}
    locked_mentors = {pair[1] for pair in locked}
    mentors: list[Application] = []
    mentees: list[Application] = []
    either: list[Application] = []
    for application in applications:
        if application.role == Role.MENTOR:
            mentors.append(application)
        elif application.role == Role.MENTEE:
            mentees.append(application)
        elif application.pk in locked_mentors:
            mentors.append(application)
        elif application.pk in locked_mentees:
            mentees.append(application)
        else:
            either.append(application)
    for application in either:
        (mentors if len(mentors) < len(mentees) else mentees).append(application)
    return mentors, mentees


def _rules(
    program: Program,
    settings: MatchingSettings | None,
    questions: list[CustomQuestion],
    seed: int,
) -> ProgramRules:
    stored: dict[str, Any] = dict(settings.weights) if settings else {}
    weights: dict[Criterion, Weight] = dict(DEFAULT_WEIGHTS)
    for criterion in Criterion:
        if stored.get(criterion.value) in Weight.__members__.values():
            weights[criterion] = Weight(stored[criterion.value])
    if Criterion.CUSTOM.value not in stored and questions:
        weights[Criterion.CUSTOM] = max(
            (Weight(q.weight) for q in questions), key=WEIGHT_ORDER.index
        )
    # Circles: the engine's classic direction (the circle's mentor is the more senior side).
    engine_format = Format.REVERSE if program.format == ProgramFormat.REVERSE else Format.CLASSIC
    return ProgramRules(
        format=engine_format,
        min_level_gap=program.min_level_gap,
        min_shared_hours=settings.min_shared_hours if settings else 1,
        weights=weights,
        load_spreading=LOAD_SPREADING_COST if settings and settings.load_spreading else 0.0,
        seed=seed,
    )


class _Codes:
    """Integer codes for the strings and ids the engine compares, numbered as first seen."""

    def __init__(self) -> None:
        self.topics: dict[int, int] = {}
        self.topic_names: list[str] = []
        self.interests: dict[int, int] = {}
        self.interest_names: list[str] = []
        self.languages: dict[str, int] = {}
        self.locations: dict[str, int] = {}
        self.location_names: list[str] = []
        self.perspectives: dict[tuple[str, str], int] = {}
        self.answers: dict[tuple[int, Hashable], int] = {}

    def topic(self, topic: Any) -> int:
        if topic.pk not in self.topics:
            self.topics[topic.pk] = len(self.topic_names)
            self.topic_names.append(topic.name)
        return self.topics[topic.pk]

    def interest(self, topic: Any) -> int:
        if topic.pk not in self.interests:
            self.interests[topic.pk] = len(self.interest_names)
            self.interest_names.append(topic.name)
        return self.interests[topic.pk]

    def language_mask(self, languages: Iterable[str]) -> int:
        mask = 0
        for language in languages:
            key = str(language).strip().casefold()
            if not key:
                continue
            if key not in self.languages:
                if len(self.languages) >= MAX_LANGUAGES:
                    raise ApplicationError(
                        f"Matching handles at most {MAX_LANGUAGES} different languages in a "
                        "program."
                    )
                self.languages[key] = len(self.languages)
            mask |= 1 << self.languages[key]
        return mask if mask else (1 << MAX_LANGUAGES) - 1

    def location(self, location: str) -> int:
        key = location.strip().casefold()
        if not key:
            return UNKNOWN
        if key not in self.locations:
            self.locations[key] = len(self.location_names)
            self.location_names.append(location.strip())
        return self.locations[key]

    def perspective(self, field: str, value: str) -> int:
        key = value.strip().casefold()
        if not key:
            return UNKNOWN
        return self.perspectives.setdefault((field, key), len(self.perspectives))

    def answer(self, question: CustomQuestion, value: Any) -> int:
        key = _answer_key(question, value)
        if key is None:
            return UNKNOWN
        return self.answers.setdefault((question.pk, key), len(self.answers))


def _answer_key(question: CustomQuestion, value: Any) -> Hashable | None:
    if value is None or value == "" or value == []:
        return None
    if question.kind == CustomQuestion.Kind.MULTIPLE and isinstance(value, list):
        return tuple(sorted(str(v).casefold() for v in value))
    if question.kind == CustomQuestion.Kind.SCALE:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    return " ".join(str(value).split()).casefold()


def _participants(
    apps: list[Application],
    *,
    tin: np.ndarray,
    tout: np.ndarray,
    codes: _Codes,
    questions: list[CustomQuestion],
    consented: dict[int, dict[str, str]],
    rules: ProgramRules,
    is_mentor: bool,
    capacity: list[int],
) -> Participants:
    n = len(apps)
    now = timezone.now()
    offsets: dict[str, float] = {}
    hours = np.zeros((n, HOURS_PER_WEEK), dtype=bool)
    style = np.full((n, len(TIPI_FIELDS)), NEUTRAL_STYLE)
    answers = np.full((n, len(questions)), UNKNOWN, dtype=np.int64)
    question_at = {q.pk: column for column, q in enumerate(questions)}
    skills, learn, interests, levels = [], [], [], []
    for row, application in enumerate(apps):
        person = application.person
        skills.append([codes.topic(t) for t in application.shares.all()])
        learn.append([codes.topic(t) for t in application.learns.all()])
        interests.append([codes.interest(t) for t in application.interests.all()])
        levels.append(_level(person.level, is_mentor=is_mentor, rules=rules))
        grid = application.availability_utc[:HOURS_PER_WEEK]
        hours[row, : len(grid)] = np.frombuffer(grid.encode("ascii"), dtype=np.uint8) == ord("1")
        for column, name in enumerate(TIPI_FIELDS):
            score = getattr(application, name)
            if score is not None:
                style[row, column] = score
        for answer in getattr(application, "matching_answers", []):
            if answer.question_id in question_at:
                column = question_at[answer.question_id]
                answers[row, column] = codes.answer(questions[column], answer.value)
    return Participants(
        ids=np.array([a.pk for a in apps], dtype=np.int64),
        level=np.array(levels, dtype=np.int64),
        team=_ids(a.person.team_id for a in apps),
        department=_ids(a.person.department_id for a in apps),
        tin=np.asarray(tin, dtype=np.int64),
        tout=np.asarray(tout, dtype=np.int64),
        skills=sets_to_csr(skills, max(len(codes.topic_names), 1)),
        learn=sets_to_csr(learn, max(len(codes.topic_names), 1)),
        interests=sets_to_csr(interests, max(len(codes.interest_names), 1)),
        style=style,
        availability=pack_availability(hours),
        utc_offset=np.array([_utc_offset(a, now, offsets) for a in apps], dtype=np.float64),
        languages=np.array(
            [codes.language_mask(a.languages or a.person.languages or []) for a in apps],
            dtype=np.uint64,
        ),
        capacity=np.array(capacity, dtype=np.int64),
        location=np.array([codes.location(a.person.location) for a in apps], dtype=np.int64),
        generation=np.array([_generation(a.person.hire_date) for a in apps], dtype=np.int64),
        answers=answers,
        names=[a.person.full_name for a in apps],
        perspective=np.array(
            [
                [
                    codes.perspective(name, consented.get(a.pk, {}).get(name, ""))
                    for name in PERSPECTIVE
                ]
                for a in apps
            ],
            dtype=np.int64,
        ).reshape(n, len(PERSPECTIVE)),
    )


# Diversity answers that count towards "diversity of perspective" when the person consented to
# their use in matching. They steer the choice only: the engine never names them in a reason or
# a pair's breakdown (DESIGN.md, confidentiality rule 4).
PERSPECTIVE = ("gender", "age_band", "ethnicity")


def _consented_answers(program: Program) -> dict[int, dict[str, str]]:
    """Application id → the diversity answers its author consented to use in matching."""
    rows = DiversityResponse.objects.filter(
        organisation_id=program.organisation_id,
        application__program=program,
        application__status=Application.Status.APPROVED,
        consent_matching=True,
    ).values("application_id", *PERSPECTIVE)
    return {row.pop("application_id"): row for row in rows}


def _level(level: int | None, *, is_mentor: bool, rules: ProgramRules) -> int:
    if level is not None:
        return int(level)
    # Reverse: a mentor must be at or below (mentee - gap); classic: at or above (mentee + gap).
    junior_side = is_mentor == (rules.format is Format.REVERSE)
    return NEVER if junior_side else -NEVER


def _ids(values: Iterable[int | None]) -> np.ndarray:
    return np.array([UNKNOWN if v is None else v for v in values], dtype=np.int64)


def _generation(hire_date: dt.date | None) -> int:
    return UNKNOWN if hire_date is None else hire_date.year // GENERATION_YEARS


def _utc_offset(application: Application, now: dt.datetime, cache: dict[str, float]) -> float:
    name = application.time_zone or application.person.time_zone or "UTC"
    if name not in cache:
        try:
            delta = now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            delta = None
        cache[name] = (delta or dt.timedelta()).total_seconds() / 3600
    return cache[name]


def _open_mentorships(program: Program) -> dict[int, int]:
    """Person id → mentorships they mentor in this program that still take their time."""
    rows = (
        MentorshipMember.objects.filter(
            mentorship__program=program,
            mentorship__status__in=OPEN_STATUSES,
            role=MentorshipMember.Role.MENTOR,
        )
        .values("person_id")
        .annotate(count=Count("mentorship_id", distinct=True))
    )
    return {row["person_id"]: row["count"] for row in rows}


def _live_mentees(program: Program) -> Any:
    """People who are mentees of a live mentorship of this program: already placed. Once that
    mentorship has ended (early or completed) they can be matched again — never with the same
    partner, which the previous-pairing rule sees to."""
    return MentorshipMember.objects.filter(
        mentorship__program=program,
        mentorship__status__in=OPEN_STATUSES,
        role=MentorshipMember.Role.MENTEE,
    ).values("person_id")


def _exclusions(program: Program) -> list[tuple[int, int]]:
    return list(
        PairExclusion.objects.filter(program=program).values_list("person_a_id", "person_b_id")
    )


def _previous(program: Program) -> list[tuple[int, int]]:
    """(mentor person id, mentee person id) of every mentorship of the organisation in which
    someone approved in this program took part."""
    pool = Application.objects.filter(program=program, status=Application.Status.APPROVED).values(
        "person_id"
    )
    rows = MentorshipMember.objects.filter(
        Q(organisation_id=program.organisation_id) & Q(person_id__in=pool)
    ).values_list("mentorship_id", "person_id", "role")
    by_mentorship: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for mentorship_id, person_id, role in rows:
        by_mentorship[mentorship_id][role].append(person_id)
    return [
        (mentor, mentee)
        for members in by_mentorship.values()
        for mentor in members[MentorshipMember.Role.MENTOR]
        for mentee in members[MentorshipMember.Role.MENTEE]
    ]


def _people_index(apps: list[Application]) -> dict[int, int]:
    return {a.person_id: i for i, a in enumerate(apps)}


def _both_ways(
    person_pairs: Iterable[tuple[int, int]], mentee_at: dict[int, int], mentor_at: dict[int, int]
) -> list[tuple[int, int]]:
    """(mentee index, mentor index) for each unordered pair of people, whichever side each is."""
    out: set[tuple[int, int]] = set()
    for a, b in person_pairs:
        for mentee, mentor in ((a, b), (b, a)):
            if mentee in mentee_at and mentor in mentor_at:
                out.add((mentee_at[mentee], mentor_at[mentor]))
    return sorted(out)


def _pairs(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    return np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
