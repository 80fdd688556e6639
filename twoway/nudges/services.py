"""Writes of nudges: the periodic sweep over every rule, and a manager's one-click nudge.

Each rule computes its due (subject, recipient) pairs with a few set-based queries per
program. Sending is "insert, then notify what we inserted": the ``Nudge`` rows go in with
``bulk_create(ignore_conflicts=True)`` tagged with a fresh ``claim``; the unique constraint on
``(rule, subject_key, recipient, period)`` makes a second sweeper's insert of the same row wait
for the first one's commit and then skip it (PostgreSQL), or wait for the database lock
(SQLite). Only the rows carrying our claim are notified, in the same transaction, so each
nudge reaches its recipient exactly once however many workers sweep at the same moment.

Titles are metadata only: which mentorship, program or date, never anything a member wrote.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.enrolment.models import Application, Invitation
from twoway.matching.models import MatchRequest
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.notifications.models import Kind
from twoway.notifications.services import Draft, notifications_send
from twoway.nudges.models import Nudge, NudgeSettings, Rule
from twoway.nudges.rules import overdue_before, quiet_mentorships, settings_for
from twoway.programs.models import Program
from twoway.programs.selectors import program_list_managed
from twoway.rooms.models import ActionItem, Note, Session

SWEPT_RULES = [rule for rule in Rule if rule != Rule.MANUAL]
# Programs whose people can still be nudged about something.
LIVE_PROGRAMS = (
    Program.Status.ENROLLING,
    Program.Status.MATCHING,
    Program.Status.RUNNING,
    Program.Status.CLOSING,
)
LIVE_MENTORSHIPS = (Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE)
# A circle session older than this (past the rule's days) is history: no more reminders.
CIRCLE_NOTES_WINDOW = dt.timedelta(days=14)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, order=True)
class Due:
    """One nudge a rule wants to send: to ``user_id`` about ``subject_key``."""

    rule: str
    subject_key: str
    user_id: int
    mentorship_id: int | None
    title: str
    url: str


def sweep_period(*, now: dt.datetime, repeat_days: int) -> str:
    """The period ``now`` falls in when a rule may fire once every ``repeat_days`` days:
    consecutive blocks of that many days since the epoch (e.g. ``"7d2934"``)."""
    repeat_days = max(repeat_days, 1)
    return f"{repeat_days}d{(now - EPOCH).days // repeat_days}"


# --- The rules ---------------------------------------------------------------------------------


class _Urls:
    """Site paths for one program's organisation. Each pattern is reversed once with a
    placeholder id and filled per row: a sweep builds tens of thousands of links."""

    PLACEHOLDER = 987654321

    def __init__(self, program: Program) -> None:
        self.slug = program.organisation.slug
        self.program_id = program.pk
        x = self.PLACEHOLDER
        self._room = reverse("rooms:room", kwargs={"org_slug": self.slug, "mentorship_id": x})
        self._session = reverse(
            "rooms:session",
            kwargs={"org_slug": self.slug, "mentorship_id": x, "session_id": x + 1},
        )

    def room(self, mentorship_id: int) -> str:
        return self._room.replace(str(self.PLACEHOLDER), str(mentorship_id))

    def session(self, mentorship_id: int, session_id: int) -> str:
        return self._session.replace(str(self.PLACEHOLDER + 1), str(session_id)).replace(
            str(self.PLACEHOLDER), str(mentorship_id)
        )

    def requests(self) -> str:
        return reverse(
            "find_a_mentor:requests", kwargs={"org_slug": self.slug, "program_id": self.program_id}
        )

    def apply(self) -> str:
        return reverse(
            "enrolment:apply", kwargs={"org_slug": self.slug, "program_id": self.program_id}
        )


def _members(mentorship_ids: Iterable[int], *, role: str | None = None) -> list[tuple[int, int]]:
    """(mentorship id, user id) of the members with an account."""
    members = MentorshipMember.objects.filter(
        mentorship_id__in=sorted(set(mentorship_ids)), user__isnull=False
    )
    if role is not None:
        members = members.filter(role=role)
    return list(members.values_list("mentorship_id", "user_id"))


def _quiet(program: Program, settings: NudgeSettings, now: dt.datetime, urls: _Urls) -> list[Due]:
    last_held = (
        Session.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            mentorship_id=OuterRef("pk"),
            starts_at__lte=now,
            status=Session.Status.SCHEDULED,
        )
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    quiet = {
        pk: last or started
        for pk, started, last in quiet_mentorships(
            program=program, now=now, grace_days=settings.quiet_grace_days
        )
        .annotate(last_held=Subquery(last_held))
        .values_list("pk", "started_at", "last_held")
    }
    due = []
    for mentorship_id, user_id in _members(quiet):
        weeks = max((now - quiet[mentorship_id]).days // 7, 1)
        due.append(
            Due(
                Rule.QUIET,
                f"mentorship:{mentorship_id}",
                user_id,
                mentorship_id,
                f"Your mentorship in {program.name} has had no session for "
                f"{weeks} week{'s' if weeks != 1 else ''}",
                urls.room(mentorship_id),
            )
        )
    return due


def _agreement(
    program: Program, settings: NudgeSettings, now: dt.datetime, urls: _Urls
) -> list[Due]:
    """Members who have not accepted the current version of a pending agreement."""
    waiting = (
        MentorshipMember.objects.filter(
            organisation_id=program.organisation_id,
            mentorship__program=program,
            mentorship__status=Mentorship.Status.AGREEMENT_PENDING,
            mentorship__started_at__lte=now - dt.timedelta(days=settings.agreement_days),
            user__isnull=False,
        )
        .filter(
            Q(statement__isnull=True)
            | Q(statement__accepted_version__isnull=True)
            | Q(statement__accepted_version__lt=F("mentorship__agreement__version"))
        )
        .values_list("mentorship_id", "user_id")
    )
    return [
        Due(
            Rule.AGREEMENT,
            f"mentorship:{mentorship_id}",
            user_id,
            mentorship_id,
            f"The agreement of your mentorship in {program.name} is waiting for you",
            urls.room(mentorship_id),
        )
        for mentorship_id, user_id in waiting
    ]


def _overdue_actions(
    program: Program, settings: NudgeSettings, now: dt.datetime, urls: _Urls
) -> list[Due]:
    """The owner of each overdue item; every member for an item nobody owns."""
    items = ActionItem.objects.filter(
        organisation_id=program.organisation_id,
        mentorship__program=program,
        mentorship__status=Mentorship.Status.ACTIVE,
        status=ActionItem.Status.OPEN,
        due_on__lt=overdue_before(now=now, days=settings.overdue_actions_days),
    )
    pairs = set(
        items.filter(owner__isnull=False, owner__user__isnull=False).values_list(
            "mentorship_id", "owner__user_id"
        )
    )
    unowned = items.filter(owner__isnull=True).values_list("mentorship_id", flat=True)
    pairs.update(_members(unowned))
    return [
        Due(
            Rule.OVERDUE_ACTIONS,
            f"mentorship:{mentorship_id}",
            user_id,
            mentorship_id,
            "An action item is overdue in your mentorship",
            urls.room(mentorship_id),
        )
        for mentorship_id, user_id in pairs
    ]


def _time_left(left: dt.timedelta) -> str:
    hours = max(round(left.total_seconds() / 3600), 1)
    if hours >= 36:
        days = round(hours / 24)
        return f"{days} days"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _request_expiring(
    program: Program, settings: NudgeSettings, now: dt.datetime, urls: _Urls
) -> list[Due]:
    requests = MatchRequest.objects.filter(
        organisation_id=program.organisation_id,
        program=program,
        status=MatchRequest.Status.PENDING,
        expires_at__gt=now,
        expires_at__lte=now + dt.timedelta(hours=settings.request_expiring_hours),
    ).values_list("pk", "mentor__user_id", "expires_at")
    link = urls.requests()
    return [
        Due(
            Rule.REQUEST_EXPIRING,
            f"request:{pk}",
            user_id,
            None,
            f"A mentoring request to you expires in {_time_left(expires_at - now)}",
            link,
        )
        for pk, user_id, expires_at in requests
    ]


def _unfinished_application(
    program: Program, settings: NudgeSettings, now: dt.datetime, urls: _Urls
) -> list[Due]:
    """People invited to an enrolling program who have not sent their application."""
    if program.status != Program.Status.ENROLLING:
        return []
    applied = Application.objects.filter(program=program, person_id=OuterRef("person_id"))
    invited = (
        Invitation.objects.filter(
            organisation_id=program.organisation_id,
            program=program,
            status=Invitation.Status.PENDING,
            sent_at__lte=now - dt.timedelta(days=settings.unfinished_application_days),
            person__user__isnull=False,
        )
        .filter(~Exists(applied))
        .values_list("pk", "person__user_id")
    )
    link = urls.apply()
    return [
        Due(
            Rule.UNFINISHED_APPLICATION,
            f"invitation:{pk}",
            user_id,
            None,
            f"Your application to {program.name} is not finished",
            link,
        )
        for pk, user_id in invited
    ]


def _circle_notes(
    program: Program, settings: NudgeSettings, now: dt.datetime, urls: _Urls
) -> list[Due]:
    """The mentors of a circle whose recent session has no note yet."""
    latest = now - dt.timedelta(days=settings.circle_notes_days)
    noted = Note.objects.filter(session_id=OuterRef("pk"))
    sessions = {
        pk: (mentorship_id, starts_at)
        for pk, mentorship_id, starts_at in Session.objects.filter(
            organisation_id=program.organisation_id,
            mentorship__program=program,
            mentorship__kind=Mentorship.Kind.CIRCLE,
            mentorship__status=Mentorship.Status.ACTIVE,
            status=Session.Status.SCHEDULED,
            starts_at__lte=latest,
            starts_at__gt=latest - CIRCLE_NOTES_WINDOW,
        )
        .filter(~Exists(noted))
        .values_list("pk", "mentorship_id", "starts_at")
    }
    mentors: dict[int, list[int]] = {}
    for mentorship_id, user_id in _members(
        (m for m, _ in sessions.values()), role=MentorshipMember.Role.MENTOR
    ):
        mentors.setdefault(mentorship_id, []).append(user_id)
    zone = zoneinfo.ZoneInfo(program.organisation.default_time_zone)
    due = []
    for pk, (mentorship_id, starts_at) in sessions.items():
        day = date_format(timezone.localtime(starts_at, zone).date(), "j F Y")
        for user_id in mentors.get(mentorship_id, []):
            due.append(
                Due(
                    Rule.CIRCLE_NOTES,
                    f"session:{pk}",
                    user_id,
                    mentorship_id,
                    f"Add notes for your circle session of {day}",
                    urls.session(mentorship_id, pk),
                )
            )
    return due


RULES = {
    Rule.QUIET: ("quiet_enabled", _quiet),
    Rule.AGREEMENT: ("agreement_enabled", _agreement),
    Rule.OVERDUE_ACTIONS: ("overdue_actions_enabled", _overdue_actions),
    Rule.REQUEST_EXPIRING: ("request_expiring_enabled", _request_expiring),
    Rule.UNFINISHED_APPLICATION: ("unfinished_application_enabled", _unfinished_application),
    Rule.CIRCLE_NOTES: ("circle_notes_enabled", _circle_notes),
}


def nudges_due(*, program: Program, now: dt.datetime) -> list[Due]:
    """Every nudge the program's enabled rules want to send at ``now``, before deduplication."""
    settings = settings_for(program)
    urls = _Urls(program)
    due: list[Due] = []
    for enabled, compute in RULES.values():
        if getattr(settings, enabled):
            due.extend(compute(program, settings, now, urls))
    return due


# --- Sending -----------------------------------------------------------------------------------


def _insert_and_notify(
    *,
    program: Program,
    due: list[Due],
    period: str,
    kind: str,
    sent_by_id: int | None = None,
) -> list[Nudge]:
    """Insert a ``Nudge`` per due item unless one exists for its period; notify the rows this
    call inserted (and only those) in the same transaction. Returns them."""
    claim = uuid.uuid4().hex
    # One order for every sweeper, so two inserting the same rows never wait on each other
    # in a cycle.
    due = sorted(set(due))
    by_key = {(d.rule, d.subject_key, d.user_id): d for d in due}
    with transaction.atomic():
        Nudge.objects.bulk_create(
            [
                Nudge(
                    organisation_id=program.organisation_id,
                    program=program,
                    mentorship_id=d.mentorship_id,
                    rule=d.rule,
                    subject_key=d.subject_key,
                    recipient_id=d.user_id,
                    period=period,
                    sent_by_id=sent_by_id,
                    claim=claim,
                )
                for d in due
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        ours = list(Nudge.objects.filter(claim=claim).order_by("pk"))
        if not ours:
            return []
        drafts = []
        for nudge in ours:
            d = by_key[(nudge.rule, nudge.subject_key, nudge.recipient_id)]
            drafts.append(Draft(user_id=d.user_id, kind=kind, title=d.title, url=d.url))
        notifications = notifications_send(organisation=program.organisation, drafts=drafts)
        for nudge, notification in zip(ours, notifications, strict=True):
            nudge.notification = notification
        _link_notifications(ours)
    return ours


def _link_notifications(nudges: list[Nudge]) -> None:
    """Store each nudge's notification id: one ``UPDATE … FROM (VALUES …)`` per thousand rows
    (PostgreSQL and SQLite ≥ 3.33 alike), where ``bulk_update`` builds a CASE per row and took
    most of a large sweep's time."""
    table = connection.ops.quote_name(Nudge._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(nudges), 1000):
            chunk = nudges[start : start + 1000]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params: list[int] = []
            for nudge in chunk:
                params += [nudge.pk, nudge.notification_id]  # type: ignore[list-item]
            cursor.execute(
                f"UPDATE {table} SET notification_id = v.column2 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                params,
            )


def nudges_sweep(*, now: dt.datetime, program: Program | None = None) -> dict[str, int]:
    """Send every due nudge of every live program (or of ``program``); returns how many were
    sent per rule. Safe to run from several workers at once: each nudge goes out once."""
    counts = {rule.value: 0 for rule in SWEPT_RULES}
    programs = Program.objects.select_related("organisation").filter(
        status__in=LIVE_PROGRAMS, organisation__is_active=True
    )
    if program is not None:
        programs = programs.filter(pk=program.pk)
    for found in programs.order_by("pk"):
        settings = settings_for(found)
        due = nudges_due(program=found, now=now)
        if not due:
            continue
        period = sweep_period(now=now, repeat_days=settings.repeat_days)
        for nudge in _insert_and_notify(program=found, due=due, period=period, kind=Kind.NUDGE):
            counts[nudge.rule] += 1
    return counts


def nudge_send_manual(
    *, actor: Membership, mentorship: Mentorship, now: dt.datetime | None = None
) -> list[Nudge]:
    """A program manager's one-click reminder to every member of ``mentorship`` (with an
    account); once a day per mentorship. Anyone but the program's managers and the
    organisation's admins gets 404, as for a mentorship that does not exist."""
    now = now or timezone.now()
    if (
        mentorship.organisation_id != actor.organisation_id
        or not program_list_managed(membership=actor).filter(pk=mentorship.program_id).exists()
    ):
        raise Http404
    if mentorship.status not in LIVE_MENTORSHIPS:
        raise ApplicationError("Only a mentorship that is under way can be nudged.")
    program = Program.objects.select_related("organisation").get(pk=mentorship.program_id)
    zone = zoneinfo.ZoneInfo(program.organisation.default_time_zone)
    period = timezone.localtime(now, zone).date().isoformat()
    subject_key = f"mentorship:{mentorship.pk}"
    already = "This mentorship was already nudged today"
    if Nudge.objects.filter(rule=Rule.MANUAL, subject_key=subject_key, period=period).exists():
        raise ApplicationError(already)
    members = _members([mentorship.pk])
    if not members:
        raise ApplicationError(
            "No member of this mentorship has signed in yet, so none can be nudged."
        )
    link = _Urls(program).room(mentorship.pk)
    title = f"A program manager of {program.name} sent a reminder about your mentorship"
    due = [
        Due(Rule.MANUAL, subject_key, user_id, mentorship.pk, title, link) for _, user_id in members
    ]
    sent = _insert_and_notify(
        program=program,
        due=due,
        period=period,
        kind=Kind.MANAGER_NUDGE,
        sent_by_id=actor.user_id,
    )
    if not sent:  # another click won the race
        raise ApplicationError(already)
    return sent


# --- Settings ----------------------------------------------------------------------------------

# The range each number may take, with the unit shown in refusals.
LIMITS: dict[str, tuple[int, int, str]] = {
    "quiet_grace_days": (0, 60, "days"),
    "agreement_days": (1, 60, "days"),
    "overdue_actions_days": (0, 60, "days"),
    "request_expiring_hours": (1, 336, "hours"),
    "unfinished_application_days": (1, 60, "days"),
    "circle_notes_days": (0, 30, "days"),
    "repeat_days": (1, 60, "days"),
}
SWITCHES = [f"{rule.value}_enabled" for rule in SWEPT_RULES]


def nudge_settings_update(
    *, actor: Membership, program: Program, values: dict[str, object]
) -> NudgeSettings:
    """Save the program's rules (switches and numbers); a number out of range is refused on its
    field and nothing is saved."""
    if not program_list_managed(membership=actor).filter(pk=program.pk).exists():
        raise Http404
    settings = settings_for(program)
    for name, (low, high, unit) in LIMITS.items():
        if name not in values:
            continue
        value = values[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ApplicationError(
                f"Choose a whole number of {unit} from {low} to {high}.", extra={"field": name}
            )
        setattr(settings, name, value)
    for name in SWITCHES:
        if name in values:
            setattr(settings, name, bool(values[name]))
    settings.save()
    return settings
