"""Writes for enrolment: invitations, applications and the manager's decisions.

Every service checks its actor, validates everything before it writes anything (a refused
request leaves no trace), and raises ``ApplicationError`` with a reason in plain words. Emails
leave through django-tasks after the transaction commits, and carry a link, never content.
"""

from __future__ import annotations

import csv
import io
import secrets
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from twoway.core.errors import ApplicationError, FileValidationError, ValidationReport
from twoway.enrolment import availability, eligibility, selectors, tipi
from twoway.enrolment.models import (
    Application,
    CustomAnswer,
    CustomQuestion,
    DiversityResponse,
    Invitation,
    MeetingMode,
    Role,
)
from twoway.people.models import Person, Topic, topic_key
from twoway.programs import access
from twoway.programs.models import Program

Status = Application.Status
# The statuses an application may leave for each decision.
APPROVE_FROM: set[str] = {Status.SUBMITTED, Status.WAITLISTED, Status.DECLINED}
DECLINE_FROM: set[str] = {Status.SUBMITTED, Status.WAITLISTED, Status.APPROVED}
WAITLIST_FROM: set[str] = {Status.SUBMITTED, Status.APPROVED, Status.DECLINED}
WITHDRAW_FROM: set[str] = {Status.SUBMITTED, Status.WAITLISTED, Status.APPROVED}
DECIDING_STATUSES = {Program.Status.ENROLLING, Program.Status.MATCHING}
INVITING_STATUSES = {Program.Status.DRAFT, Program.Status.ENROLLING}
BULK_CHUNK = 2000  # ids per statement: well under SQLite's and PostgreSQL's parameter limits
MAX_GOALS = 4000
MAX_TAGS = 30


# --- Invitations ------------------------------------------------------------------------------


@dataclass
class InvitationBatch:
    invited: list[Invitation] = field(default_factory=list)
    already_invited: list[Person] = field(default_factory=list)
    already_applied: list[Person] = field(default_factory=list)
    without_email: list[Person] = field(default_factory=list)


def invitation_people_from_filters(
    *,
    organisation: Any,
    search: str = "",
    department_id: int | None = None,
    team_id: int | None = None,
    level: int | None = None,
    topic_id: int | None = None,
) -> list[Person]:
    """The active people the directory shows for these filters (the same search as its page)."""
    from twoway.people.selectors import person_list

    return list(
        person_list(
            organisation=organisation,
            search=search,
            department_id=department_id,
            team_id=team_id,
            level=level,
            topic_id=topic_id,
        ).prefetch_related(None)
    )


def invitation_people_from_csv(*, organisation: Any, content: bytes) -> list[Person]:
    """The people whose addresses a CSV lists (one per row; a column named "email", or the first
    column). Refused as a whole, naming every row, when an address is not in the directory."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError("The file is not UTF-8 text; save it as CSV (UTF-8).") from error
    rows = list(csv.reader(io.StringIO(text)))
    column, start = 0, 0
    if rows and rows[0] and not any("@" in cell for cell in rows[0]):
        headers = [cell.strip().lower() for cell in rows[0]]
        column = headers.index("email") if "email" in headers else 0
        start = 1
    wanted: list[tuple[int, str]] = []
    report = ValidationReport()
    for number, row in enumerate(rows[start:], start=start + 1):
        value = row[column].strip() if len(row) > column else ""
        if not value:
            if any(cell.strip() for cell in row):
                report.add(number, "email", "This row has no email address.")
            continue
        if "@" not in value:
            report.add(number, "email", "This is not an email address.", value)
            continue
        wanted.append((number, value.lower()))
    if not wanted and not report:
        raise ApplicationError("The file lists no email addresses.")
    people: dict[str, list[Person]] = {}
    for person in Person.objects.for_organisation(organisation).filter(
        is_active=True, email__in={email for _, email in wanted}
    ):
        people.setdefault(person.email, []).append(person)
    chosen: dict[int, Person] = {}
    for number, email in wanted:
        found = people.get(email, [])
        if not found:
            report.add(number, "email", "No one in the directory has this address.", email)
        elif len(found) > 1:
            report.add(number, "email", "Several people in the directory share it.", email)
        else:
            chosen[found[0].pk] = found[0]
    if report:
        report.errors.sort(key=lambda error: error.row)
        count = len(report.errors)
        raise FileValidationError(
            f"No one was invited: {count} {'row needs' if count == 1 else 'rows need'} attention.",
            report=report,
        )
    return list(chosen.values())


def _require_manager(*, actor: Any, program: Program) -> None:
    access.require_manager(actor=actor, program=program)


@transaction.atomic
def invitation_send_bulk(
    *, actor: Any, program: Program, people: Sequence[Person], base_url: str
) -> InvitationBatch:
    """Invite ``people`` (skipping those already invited or applied, and those without an
    address) and email each a link to their invitation, in the background."""
    _require_manager(actor=actor, program=program)
    if program.status not in INVITING_STATUSES:
        raise ApplicationError(
            f"Invitations go out while a program is a draft or enrolling; "
            f"this one is {program.get_status_display().lower()}."
        )
    if not people:
        raise ApplicationError("Choose at least one person to invite.")
    if any(person.organisation_id != program.organisation_id for person in people):
        raise ApplicationError("Only people of this organisation can be invited.")
    ids = {person.pk for person in people}
    invited_ids = set(
        Invitation.objects.filter(program=program, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    applied_ids = set(
        Application.objects.filter(program=program, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    batch = InvitationBatch()
    new: list[Invitation] = []
    for person in people:
        if person.pk in applied_ids:
            batch.already_applied.append(person)
        elif person.pk in invited_ids:
            batch.already_invited.append(person)
        elif not person.email:
            batch.without_email.append(person)
        else:
            invited_ids.add(person.pk)
            new.append(
                Invitation(
                    organisation_id=program.organisation_id,
                    program=program,
                    person=person,
                    email=person.email,
                    token=secrets.token_urlsafe(32),
                    invited_by=actor,
                )
            )
    Invitation.objects.bulk_create(new)
    batch.invited = list(
        Invitation.objects.filter(program=program, token__in=[i.token for i in new])
    )
    invitation_ids = [invitation.pk for invitation in batch.invited]
    if invitation_ids:
        from twoway.enrolment.tasks import send_invitation_emails

        transaction.on_commit(
            lambda: send_invitation_emails.enqueue(invitation_ids, base_url.rstrip("/"))
        )
    return batch


@transaction.atomic
def invitation_decline(*, actor: Any, invitation: Invitation) -> Invitation:
    if invitation.person.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the person invited can decline this invitation.")
    if invitation.status != Invitation.Status.PENDING:
        raise ApplicationError("You have already answered this invitation.")
    invitation.status = Invitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    return invitation


# --- Custom questions -------------------------------------------------------------------------


def _question_clean(question: CustomQuestion) -> None:
    question.text = " ".join(question.text.split())
    if not question.text:
        raise ApplicationError("A question needs its wording.")
    if question.kind in {CustomQuestion.Kind.SINGLE, CustomQuestion.Kind.MULTIPLE}:
        choices = [" ".join(str(c).split()) for c in question.choices if str(c).strip()]
        if len(choices) < 2:
            raise ApplicationError("A choice question needs at least two options.")
        if len(set(choices)) != len(choices):
            raise ApplicationError("Each option of a choice question must be different.")
        question.choices = choices
    else:
        question.choices = []
    if question.kind == CustomQuestion.Kind.SCALE and not (
        question.scale_min < question.scale_max <= question.scale_min + 10
    ):
        raise ApplicationError("A scale goes from a lower to a higher number, at most 10 apart.")
    if question.kind == CustomQuestion.Kind.TEXT and question.used_for_matching:
        raise ApplicationError("Free-text answers cannot feed matching; use a choice or a scale.")
    if not question.used_for_matching:
        question.weight = CustomQuestion.Weight.OFF
    elif question.weight == CustomQuestion.Weight.OFF:
        raise ApplicationError("A question used for matching needs a weight.")
    question.full_clean(exclude=["organisation", "program"])


@transaction.atomic
def question_create(
    *,
    actor: Any,
    program: Program,
    text: str,
    kind: str,
    choices: Sequence[str] = (),
    help_text: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
    required: bool = False,
    used_for_matching: bool = False,
    weight: str = CustomQuestion.Weight.OFF,
) -> CustomQuestion:
    _require_manager(actor=actor, program=program)
    if kind not in CustomQuestion.Kind.values:
        raise ApplicationError(
            "Choose a kind of question: single choice, multiple choice, scale or text."
        )
    if Application.objects.filter(program=program).exists() and required:
        raise ApplicationError("People have already applied, so a new question cannot be required.")
    last = selectors.question_list(program=program).order_by("-position").first()
    question = CustomQuestion(
        organisation_id=program.organisation_id,
        program=program,
        text=text,
        help_text=help_text.strip(),
        kind=kind,
        choices=list(choices),
        scale_min=scale_min,
        scale_max=scale_max,
        required=required,
        used_for_matching=used_for_matching,
        weight=weight,
        position=(last.position + 1) if last else 0,
    )
    _question_clean(question)
    question.save()
    return question


@transaction.atomic
def question_update(*, actor: Any, question: CustomQuestion, **fields: Any) -> CustomQuestion:
    """Change a question's wording, options or matching use (its kind stays; delete and add
    to change it). Options and scale are fixed once someone answered, and a question cannot
    become required after people applied. ``position`` moves it (see ``question_move``)."""
    _require_manager(actor=actor, program=question.program)
    allowed = {
        "text",
        "help_text",
        "choices",
        "scale_min",
        "scale_max",
        "required",
        "used_for_matching",
        "weight",
        "position",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    position = fields.pop("position", None)
    if "choices" in fields:
        fields["choices"] = [" ".join(str(c).split()) for c in fields["choices"] if str(c).strip()]
    changed = {name for name, value in fields.items() if getattr(question, name) != value}
    if changed & {"choices", "scale_min", "scale_max"} and question.answers.exists():
        raise ApplicationError(
            "People have answered this question, so its options can no longer change."
        )
    if (
        "required" in changed
        and fields["required"]
        and Application.objects.filter(program_id=question.program_id).exists()
    ):
        raise ApplicationError(
            "People have already applied, so this question cannot become required."
        )
    for name in changed:
        setattr(question, name, fields[name])
    if "help_text" in changed:
        question.help_text = question.help_text.strip()
    _question_clean(question)
    question.save()
    if position is not None:
        question = question_move(actor=actor, question=question, position=position)
    return question


@transaction.atomic
def question_move(*, actor: Any, question: CustomQuestion, position: int) -> CustomQuestion:
    """Put ``question`` at ``position`` (0 is first; beyond the end means last) and number the
    program's questions 0, 1, 2… again, under the program row lock so two managers reordering
    at once cannot leave two questions in one place."""
    program = Program.objects.select_for_update().get(pk=question.program_id)
    _require_manager(actor=actor, program=program)
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise ApplicationError("A position is a whole number from 0 (first).")
    ordered = [q for q in selectors.question_list(program=program) if q.pk != question.pk]
    ordered.insert(min(position, len(ordered)), question)
    moved = []
    now = timezone.now()  # bulk_update skips auto_now
    for index, each in enumerate(ordered):
        if each.position != index:
            each.position, each.updated_at = index, now
            moved.append(each)
    CustomQuestion.objects.bulk_update(moved, ["position", "updated_at"])
    question.position = ordered.index(question)
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: CustomQuestion) -> None:
    _require_manager(actor=actor, program=question.program)
    if question.answers.exists():
        raise ApplicationError("People have answered this question, so it cannot be deleted.")
    question.delete()


# --- Applications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DiversityInput:
    """Optional answers; each field may be left empty."""

    erg_memberships: Sequence[str] = ()
    gender: str = ""
    age_band: str = ""
    ethnicity: str = ""
    consent_matching: bool = False
    consent_reporting: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.erg_memberships or self.gender or self.age_band or self.ethnicity)


def _window_problem(program: Program) -> str | None:
    if program.status != Program.Status.ENROLLING:
        return "This program is not taking applications at the moment."
    today = selectors.organisation_today(program.organisation)
    if program.application_opens and today < program.application_opens:
        return (
            f"Applications to this program open on {program.application_opens:%-d %B %Y}; "
            "please come back then."
        )
    if program.application_closes and today > program.application_closes:
        return f"Applications to this program closed on {program.application_closes:%-d %B %Y}."
    return None


def _answer_problem(question: CustomQuestion, value: Any) -> str | None:
    """Why ``value`` is not an answer to ``question``, or None. Empty answers are checked by
    the caller (required or not)."""
    kind = CustomQuestion.Kind
    name = f"“{question.text}”"
    if question.kind == kind.TEXT:
        if not isinstance(value, str):
            return f"{name} needs a written answer."
        if len(value) > 2000:
            return f"The answer to {name} is too long (2,000 characters at most)."
    elif question.kind == kind.SINGLE:
        if not isinstance(value, str) or value not in question.choices:
            return f"{name} needs one of its options: {', '.join(question.choices)}."
    elif question.kind == kind.MULTIPLE:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{name} needs a list of its options."
        wrong = [v for v in value if v not in question.choices]
        if wrong:
            return f"{name} has no option {wrong[0]!r}."
    elif question.kind == kind.SCALE and (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not question.scale_min <= value <= question.scale_max
    ):
        return f"{name} needs a whole number from {question.scale_min} to {question.scale_max}."
    return None


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _clean_tags(values: Iterable[Topic | str], what: str) -> list[Topic | str]:
    cleaned: list[Topic | str] = []
    seen: set[Any] = set()
    for value in values:
        if isinstance(value, str):
            value = " ".join(value.split())
            if not value:
                continue
            if len(value) > 100:
                raise ApplicationError(f"“{value[:30]}…” is too long for a topic (100 characters).")
            key: Any = topic_key(value)
        else:
            key = value.pk
        if key not in seen:
            seen.add(key)
            cleaned.append(value)
    if len(cleaned) > MAX_TAGS:
        raise ApplicationError(f"Choose at most {MAX_TAGS} {what}.")
    return cleaned


def _resolve_topics(organisation_id: int, values: list[Topic | str], kind: str) -> list[Topic]:
    """Topics of the taxonomy as given; free tags found by name or created (not curated)."""
    topics: list[Topic] = []
    for value in values:
        if isinstance(value, Topic):
            if value.organisation_id != organisation_id:
                raise ApplicationError("That topic belongs to another organisation.")
            topics.append(value)
            continue
        existing = Topic.objects.filter(
            organisation_id=organisation_id, kind=kind, key=topic_key(value)
        ).first()
        if existing is None:
            existing = Topic(organisation_id=organisation_id, name=value, kind=kind)
            existing.save()
        topics.append(existing)
    return topics


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    program: Program,
    role: str,
    goals: str = "",
    shares: Iterable[Topic | str] = (),
    learns: Iterable[Topic | str] = (),
    interests: Iterable[Topic | str] = (),
    tipi_answers: Sequence[int] = (),
    availability_slots: Iterable[tuple[int, int]] = (),
    time_zone: str = "",
    meeting_mode: str = MeetingMode.EITHER,
    languages: Sequence[str] = (),
    answers: Mapping[int, Any] | None = None,
    diversity: DiversityInput | None = None,
) -> Application:
    """Apply to ``program`` as ``actor``. Refused, with the reason and nothing saved, outside the
    application window, for a second application, an ineligible applicant or a wrong answer;
    waitlisted when the program is full; approved at once when it needs no approval."""
    # Lock the program row: two applicants racing for the last place are served one by one.
    program = Program.objects.select_for_update().select_related("organisation").get(pk=program.pk)
    organisation = program.organisation
    person = selectors.person_for_user(organisation=organisation, user=actor)
    if person is None or not person.is_active:
        raise ApplicationError(
            "Your account is not linked to an entry in this organisation's directory, so you "
            "cannot apply yet. Ask your organisation's admin to add you."
        )
    problem = _window_problem(program)
    if problem:
        raise ApplicationError(problem)
    existing = Application.objects.filter(program=program, person=person).first()
    if existing is not None:
        if existing.status == Status.WITHDRAWN:
            raise ApplicationError(
                "You withdrew your application to this program; to take part after all, "
                "ask one of its program managers."
            )
        raise ApplicationError("You have already applied to this program.")
    invitation = selectors.invitation_for(program=program, person=person)
    if program.enrolment_mode == Program.EnrolmentMode.INVITATION and invitation is None:
        raise ApplicationError(
            "This program is by invitation only, and you have not been invited to it."
        )
    if role not in Role.values:
        raise ApplicationError("Choose whether you apply as a mentor, a mentee, or either.")
    problems = eligibility.application_problems(
        selectors.eligibility_rules_load(program=program),
        selectors.candidate_for(person),
        role,
        selectors.organisation_today(organisation),
    )
    if problems:
        raise ApplicationError(" ".join(problems), extra={"reasons": problems})
    if meeting_mode not in MeetingMode.values:
        raise ApplicationError("Choose how you would like to meet: video, in person, or either.")
    goals = goals.strip()
    if len(goals) > MAX_GOALS:
        raise ApplicationError(f"Your goals are too long ({MAX_GOALS:,} characters at most).")
    tipi_list = list(tipi_answers)
    tipi_problem = tipi.answers_problem(tipi_list)
    if tipi_problem:
        raise ApplicationError(tipi_problem)
    scores = tipi.score(tipi_list)
    time_zone = time_zone or person.time_zone
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ApplicationError(f"{time_zone!r} is not a known time zone.") from error
    try:
        availability_utc = availability.local_slots_to_utc(
            availability_slots, time_zone, timezone.localdate(timezone=zone)
        )
    except ValueError as error:
        raise ApplicationError(str(error)) from error
    language_list = [str(code).strip() for code in languages if str(code).strip()]
    if len(language_list) > 20 or any(len(code) > 20 for code in language_list):
        raise ApplicationError("List at most 20 languages.")
    share_tags = _clean_tags(shares, "skills to share")
    learn_tags = _clean_tags(learns, "topics to learn")
    interest_tags = _clean_tags(interests, "interests")
    questions = {q.pk: q for q in selectors.question_list(program=program)}
    given = dict(answers or {})
    unknown = set(given) - set(questions)
    if unknown:
        raise ApplicationError("Some answers are to questions this program does not ask.")
    for question in questions.values():
        value = given.get(question.pk)
        if _is_blank(value):
            if question.required:
                raise ApplicationError(f"Please answer “{question.text}”.")
            given.pop(question.pk, None)
            continue
        problem = _answer_problem(question, value)
        if problem:
            raise ApplicationError(problem)
    if diversity is not None:
        if diversity.age_band and diversity.age_band not in DiversityResponse.AgeBand.values:
            raise ApplicationError("Choose an age band from the list, or leave it empty.")
        if len(diversity.gender) > 100 or len(diversity.ethnicity) > 200:
            raise ApplicationError("A diversity answer is too long.")

    # Everything is valid: write.
    now = timezone.now()
    status = Status.SUBMITTED
    decided = False
    if program.max_participants is not None and (
        Application.objects.filter(program=program, status=Status.APPROVED).count()
        >= program.max_participants
    ):
        status = Status.WAITLISTED
    elif not program.requires_approval:
        status, decided = Status.APPROVED, True
    application = Application.objects.create(
        organisation=organisation,
        program=program,
        person=person,
        user=actor,
        invitation=invitation,
        role=role,
        status=status,
        submitted_at=now,
        decided_at=now if decided else None,
        goals=goals,
        tipi_answers=tipi_list,
        extraversion=scores.extraversion,
        agreeableness=scores.agreeableness,
        conscientiousness=scores.conscientiousness,
        emotional_stability=scores.emotional_stability,
        openness=scores.openness,
        availability_utc=availability_utc,
        time_zone=time_zone,
        meeting_mode=meeting_mode,
        languages=language_list,
    )
    application.shares.set(_resolve_topics(organisation.pk, share_tags, Topic.Kind.SKILL))
    application.learns.set(_resolve_topics(organisation.pk, learn_tags, Topic.Kind.SKILL))
    application.interests.set(_resolve_topics(organisation.pk, interest_tags, Topic.Kind.INTEREST))
    CustomAnswer.objects.bulk_create(
        CustomAnswer(
            organisation=organisation, application=application, question_id=pk, value=value
        )
        for pk, value in given.items()
    )
    if (
        diversity is not None
        and not diversity.is_empty
        and (diversity.consent_matching or diversity.consent_reporting)
    ):
        DiversityResponse.objects.create(
            organisation=organisation,
            application=application,
            erg_memberships=[e.strip() for e in diversity.erg_memberships if e.strip()],
            gender=diversity.gender.strip(),
            age_band=diversity.age_band,
            ethnicity=diversity.ethnicity.strip(),
            consent_matching=diversity.consent_matching,
            consent_reporting=diversity.consent_reporting,
        )
    if invitation is not None and invitation.status != Invitation.Status.ACCEPTED:
        invitation.status = Invitation.Status.ACCEPTED
        invitation.responded_at = now
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
    if program.notify_applicant_manager and person.manager_id is not None:
        from twoway.enrolment.tasks import notify_applicant_manager

        application_id = application.pk
        transaction.on_commit(lambda: notify_applicant_manager.enqueue(application_id))
    return application


def _require_deciding(program: Program) -> None:
    if program.status not in DECIDING_STATUSES:
        raise ApplicationError(
            "Applications are decided while a program is enrolling or matching; "
            f"this one is {program.get_status_display().lower()}."
        )


def _check_capacity(program: Program, adding: int) -> None:
    if program.max_participants is None or adding == 0:
        return
    approved = Application.objects.filter(program=program, status=Status.APPROVED).count()
    if approved + adding > program.max_participants:
        room = max(program.max_participants - approved, 0)
        raise ApplicationError(
            f"The program has room for {program.max_participants} participants and "
            f"{approved} are approved, so {room} more can be approved, not {adding}. "
            "Raise the limit or put the others on the waiting list."
        )


def _decide(*, actor: Any, application: Application, to: str, allowed: set[str]) -> Application:
    program = Program.objects.select_for_update().get(pk=application.program_id)
    _require_manager(actor=actor, program=program)
    _require_deciding(program)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in allowed:
        raise ApplicationError(
            f"This application is {application.get_status_display().lower()}, so it cannot be "
            f"{Status(to).label.lower()}."
        )
    if to == Status.APPROVED:
        _check_capacity(program, 1)
    freed = 1 if application.status == Status.APPROVED and to == Status.DECLINED else 0
    application.status = to
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    _promote_from_waitlist(program, freed)
    return application


@transaction.atomic
def application_approve(*, actor: Any, application: Application) -> Application:
    return _decide(actor=actor, application=application, to=Status.APPROVED, allowed=APPROVE_FROM)


@transaction.atomic
def application_decline(*, actor: Any, application: Application) -> Application:
    return _decide(actor=actor, application=application, to=Status.DECLINED, allowed=DECLINE_FROM)


@transaction.atomic
def application_waitlist(*, actor: Any, application: Application) -> Application:
    return _decide(
        actor=actor, application=application, to=Status.WAITLISTED, allowed=WAITLIST_FROM
    )


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    """The applicant takes their application back (any time before the program runs). A place
    this frees goes to the waiting list (``_promote_from_waitlist``)."""
    # The program row first, as every decision locks it: the freed place is handed on once.
    program = Program.objects.select_for_update().get(pk=application.program_id)
    application = (
        Application.objects.select_for_update().select_related("program").get(pk=application.pk)
    )
    if application.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the applicant can withdraw this application.")
    if application.status not in WITHDRAW_FROM:
        raise ApplicationError(
            f"This application is {application.get_status_display().lower()} already."
        )
    if application.program.status not in INVITING_STATUSES | DECIDING_STATUSES:
        raise ApplicationError(
            "The program has started; to leave it, talk to one of its program managers."
        )
    freed = 1 if application.status == Status.APPROVED else 0
    application.status = Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _promote_from_waitlist(program, freed)
    return application


def _promote_from_waitlist(program: Program, freed: int) -> list[int]:
    """Hand ``freed`` places (approved applications just withdrawn or declined) to the oldest
    waitlisted applications of a capped program, within the caller's transaction, which must
    hold the program row lock (``select_for_update``) so two freed places never go to the same
    application and the cap is never passed. A promoted application is approved when the
    program needs no approval; otherwise it goes back to "submitted" for the managers to
    decide, and the applicant is told a place has opened up. Returns the promoted ids."""
    if freed <= 0 or program.max_participants is None:
        return []
    approved = Application.objects.filter(program=program, status=Status.APPROVED).count()
    room = min(freed, program.max_participants - approved)
    if room <= 0:
        return []
    ids = list(
        Application.objects.select_for_update()
        .filter(program=program, status=Status.WAITLISTED)
        .order_by("submitted_at", "id")
        .values_list("pk", flat=True)[:room]
    )
    if not ids:
        return []
    now = timezone.now()
    promoted = Application.objects.filter(pk__in=ids)
    if program.requires_approval:
        promoted.update(status=Status.SUBMITTED, promoted_at=now, updated_at=now)
    else:
        promoted.update(
            status=Status.APPROVED, promoted_at=now, decided_at=now, decided_by=None, updated_at=now
        )
    return ids


def _bulk_decide(
    *, actor: Any, program: Program, application_ids: Sequence[int], to: str, allowed: set[str]
) -> int:
    program = Program.objects.select_for_update().get(pk=program.pk)
    _require_manager(actor=actor, program=program)
    _require_deciding(program)
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        raise ApplicationError("Choose at least one application.")
    statuses: Counter[str] = Counter()
    found = 0
    for start in range(0, len(ids), BULK_CHUNK):
        chunk = ids[start : start + BULK_CHUNK]
        for status, count in (
            Application.objects.filter(program=program, pk__in=chunk)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        ):
            statuses[status] += count
            found += count
    if found != len(ids):
        missing = len(ids) - found
        raise ApplicationError(
            f"Nothing was changed: {missing} of the chosen applications "
            f"{'is' if missing == 1 else 'are'} not in this program."
        )
    refused = {status: n for status, n in statuses.items() if status not in allowed}
    if refused:
        listed = ", ".join(f"{n} {Status(s).label.lower()}" for s, n in sorted(refused.items()))
        raise ApplicationError(
            f"Nothing was changed: {sum(refused.values())} of the chosen applications cannot be "
            f"{Status(to).label.lower()} ({listed})."
        )
    if to == Status.APPROVED:
        _check_capacity(program, len(ids))
    now = timezone.now()
    for start in range(0, len(ids), BULK_CHUNK):
        Application.objects.filter(program=program, pk__in=ids[start : start + BULK_CHUNK]).update(
            status=to, decided_at=now, decided_by=actor, updated_at=now
        )
    if to == Status.DECLINED:
        _promote_from_waitlist(program, statuses[Status.APPROVED])
    return len(ids)


@transaction.atomic
def application_bulk_approve(
    *, actor: Any, program: Program, application_ids: Sequence[int]
) -> int:
    """Approve all of ``application_ids`` or none: a handful of statements whatever the number
    (the ids are read and written in chunks of ``BULK_CHUNK``)."""
    return _bulk_decide(
        actor=actor,
        program=program,
        application_ids=application_ids,
        to=Status.APPROVED,
        allowed=APPROVE_FROM,
    )


@transaction.atomic
def application_bulk_decline(
    *, actor: Any, program: Program, application_ids: Sequence[int]
) -> int:
    return _bulk_decide(
        actor=actor,
        program=program,
        application_ids=application_ids,
        to=Status.DECLINED,
        allowed=DECLINE_FROM,
    )
