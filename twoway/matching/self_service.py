"""Self-service matching: a participant finds a mentor, the mentor answers.

A mentee of a program with ``MatchingSettings.self_service`` on (while the program is matching
or running) sees their best suggestions — the engine's ``suggest`` over the program's problem,
with every pending request counted as a taken place so capacities hold — and asks one mentor at
a time. The mentor accepts (a pair mentorship is created) or declines within the program's
``request_days``. A declined or expired request passes on by itself to the mentee's next
suggestion that has room and that they have not asked yet; when none is left, the mentee is told
so plainly.

Every write locks the program row first and then the applications it touches
(``select_for_update``), always in that order, so two requests at once can neither overfill a
mentor nor deadlock. Emails leave after commit and carry a name and a link, nothing else. The
mentee only ever sees a neutral "not available" for a declined or expired request; a decline
reason is the mentor's own and is not kept (``MatchRequest`` has no field for it).

Selectors for the pages and the API are here too: each starts from the viewer's membership and
answers 404 for anything that is not theirs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ApplicationError
from twoway.core.models import Membership
from twoway.enrolment.models import Application, Role
from twoway.matching.engine import suggest
from twoway.matching.models import MatchingSettings, MatchRequest
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.programs.models import Format, Program

MENTEE_ROLES = (Role.MENTEE, Role.EITHER)
MENTOR_ROLES = (Role.MENTOR, Role.EITHER)
OPEN_STATUSES = (Program.Status.MATCHING, Program.Status.RUNNING)
LIVE_MENTORSHIP = (Mentorship.Status.AGREEMENT_PENDING, Mentorship.Status.ACTIVE)
# A mentor the mentee asked before (and who did not take them) is never suggested again; a
# request the mentee cancelled themselves does not count.
ASKED = (
    MatchRequest.Status.PENDING,
    MatchRequest.Status.ACCEPTED,
    MatchRequest.Status.DECLINED,
    MatchRequest.Status.EXPIRED,
)
MAX_MESSAGE = 2000
STRONG, GOOD = 0.66, 0.4  # score bands shown to participants instead of numbers

Status = MatchRequest.Status


# --- What participants see ---------------------------------------------------------------------


def strength(score: float) -> str:
    """A score in words: what a participant sees instead of a number."""
    if score >= STRONG:
        return "strong"
    if score >= GOOD:
        return "good"
    return "fair"


def mentee_status(match_request: MatchRequest) -> str:
    """The status as the mentee sees it: declined and expired are the same neutral "not
    available" (ending is no-fault; the mentee never learns which it was)."""
    if match_request.status in (Status.DECLINED, Status.EXPIRED):
        return "not_available"
    return str(match_request.status)


MENTEE_STATUS_LABELS = {
    "pending": "Waiting for an answer",
    "accepted": "Accepted",
    "not_available": "Not available",
    "cancelled": "Cancelled by you",
}


def mentee_status_label(match_request: MatchRequest) -> str:
    return MENTEE_STATUS_LABELS[mentee_status(match_request)]


@dataclasses.dataclass(frozen=True)
class Suggestion:
    """One suggested mentor: their application (for the Request button), name, score, reason."""

    mentor: Application
    name: str
    score: float
    reason: str

    @property
    def strength(self) -> str:
        return strength(self.score)


# --- Selectors -------------------------------------------------------------------------------


def matching_settings_for(program: Program) -> MatchingSettings | None:
    return MatchingSettings.objects.filter(program=program).first()


def _own_applications(membership: Membership, program_id: int) -> QuerySet[Application]:
    return Application.objects.filter(
        organisation=membership.organisation,
        user=membership.user_id,
        program_id=program_id,
        status=Application.Status.APPROVED,
        program__matching_settings__self_service=True,
    ).select_related("program__organisation", "program__matching_settings", "person")


def mentee_application_get(*, membership: Membership, program_id: int) -> Application:
    """The viewer's approved mentee application in a program with self-service on; else 404."""
    application = _own_applications(membership, program_id).filter(role__in=MENTEE_ROLES).first()
    if application is None:
        raise Http404
    return application


def mentor_application_get(*, membership: Membership, program_id: int) -> Application:
    """The viewer's approved mentor application in a program with self-service on; else 404."""
    application = _own_applications(membership, program_id).filter(role__in=MENTOR_ROLES).first()
    if application is None:
        raise Http404
    return application


def _requests(organisation_id: int) -> QuerySet[MatchRequest]:
    requests: QuerySet[MatchRequest] = MatchRequest.objects.filter(organisation_id=organisation_id)
    return requests.select_related("program", "mentee__person", "mentor__person").order_by(
        "-created_at", "-id"
    )


def match_request_list_for_mentee(
    *, membership: Membership, program_id: int | None = None
) -> QuerySet[MatchRequest]:
    requests = _requests(membership.organisation_id).filter(mentee__user=membership.user_id)
    if program_id is not None:
        requests = requests.filter(program_id=program_id)
    return requests


def match_request_list_for_mentor(
    *, membership: Membership, program_id: int | None = None
) -> QuerySet[MatchRequest]:
    requests = _requests(membership.organisation_id).filter(mentor__user=membership.user_id)
    if program_id is not None:
        requests = requests.filter(program_id=program_id)
    return requests


def match_request_list_for_manager(*, program: Program) -> QuerySet[MatchRequest]:
    """Every request of a program, for its managers: who asked whom, status and dates. The
    caller has checked that the viewer manages the program."""
    return _requests(program.organisation_id).filter(program=program)


def match_request_get_for_mentee(*, membership: Membership, request_id: int) -> MatchRequest:
    found = match_request_list_for_mentee(membership=membership).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def match_request_get_for_mentor(*, membership: Membership, request_id: int) -> MatchRequest:
    found = match_request_list_for_mentor(membership=membership).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def mentorship_of_mentee(*, application: Application) -> Mentorship | None:
    """The live mentorship in which this application's person is a mentee, if any."""
    return (
        Mentorship.objects.filter(
            organisation_id=application.organisation_id,
            program_id=application.program_id,
            status__in=LIVE_MENTORSHIP,
            members__person_id=application.person_id,
            members__role=MentorshipMember.Role.MENTEE,
        )
        .order_by("-started_at")
        .first()
    )


def mentor_names(mentorship: Mentorship) -> list[str]:
    members = MentorshipMember.objects.filter(
        mentorship=mentorship, role=MentorshipMember.Role.MENTOR
    ).select_related("person")
    return [member.person.full_name for member in members]


# --- Places and rules ------------------------------------------------------------------------


def _require_open(program: Program) -> MatchingSettings:
    matching_settings = matching_settings_for(program)
    if matching_settings is None or not matching_settings.self_service:
        raise ApplicationError("This program does not offer self-service matching.")
    if program.status not in OPEN_STATUSES:
        raise ApplicationError(
            "You can look for a mentor yourself once the program is matching, until it ends."
        )
    if Format(program.format).is_circle:
        raise ApplicationError("Self-service matching is for one-to-one programs.")
    return matching_settings


def _mentee_of(actor: Any, program: Program) -> Application:
    application = (
        Application.objects.filter(
            organisation_id=program.organisation_id,
            program=program,
            user=getattr(actor, "pk", None),
            status=Application.Status.APPROVED,
            role__in=MENTEE_ROLES,
        )
        .select_related("person", "user")
        .first()
    )
    if application is None:
        raise ApplicationError("Only the program's approved mentees can look for a mentor.")
    return application


def _live_as_mentor(program: Program, person_ids: Iterable[int]) -> dict[int, int]:
    """Live mentorships per mentor (by person) in the program."""
    rows = (
        MentorshipMember.objects.filter(
            organisation_id=program.organisation_id,
            mentorship__program=program,
            mentorship__status__in=LIVE_MENTORSHIP,
            role=MentorshipMember.Role.MENTOR,
            person_id__in=list(person_ids),
        )
        .values("person_id")
        .annotate(n=Count("id"))
    )
    return {row["person_id"]: row["n"] for row in rows}


def _pending_per_mentor(program: Program, now: dt.datetime) -> dict[int, int]:
    """Pending, not yet overdue requests per mentor application: places already promised."""
    rows = (
        MatchRequest.objects.filter(
            organisation_id=program.organisation_id,
            program=program,
            status=Status.PENDING,
            expires_at__gt=now,
        )
        .values("mentor_id")
        .annotate(n=Count("id"))
    )
    return {row["mentor_id"]: row["n"] for row in rows}


def _places_taken(program: Program, mentor: Application, now: dt.datetime) -> int:
    live = _live_as_mentor(program, [mentor.person_id]).get(mentor.person_id, 0)
    return live + _pending_per_mentor(program, now).get(mentor.pk, 0)


def _asked_mentor_ids(mentee: Application) -> set[int]:
    return set(
        MatchRequest.objects.filter(
            organisation_id=mentee.organisation_id,
            program_id=mentee.program_id,
            mentee=mentee,
            status__in=ASKED,
        ).values_list("mentor_id", flat=True)
    )


def _has_mentor(mentee: Application) -> bool:
    return mentorship_of_mentee(application=mentee) is not None


def _lock(program: Program, *application_ids: int) -> tuple[Program, dict[int, Application]]:
    """Lock the program row, then the applications in id order: one order for every writer."""
    locked_program = (
        Program.objects.select_for_update().select_related("organisation").get(pk=program.pk)
    )
    # ``of=("self",)``: lock the application rows, not the people and users joined to them.
    applications = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person", "user")
        .filter(pk__in=sorted(set(application_ids)))
        .order_by("pk")
    )
    by_id = {application.pk: application for application in applications}
    return locked_program, by_id


# --- The engine --------------------------------------------------------------------------------


def _ranked(
    program: Program,
    mentee: Application,
    *,
    now: dt.datetime,
    limit: int,
    only: Application | None = None,
) -> list[Suggestion]:
    """The engine's best mentors with room for ``mentee``: pending requests take places, the
    mentors they asked before are left out (``only``: that one mentor alone, whatever its room,
    to check the hard rules for one pair)."""
    from twoway.matching.problem import program_problem

    # A "locked" pair naming the mentee (and the one mentor checked) keeps an "either"
    # applicant on that side; with no such mentor the pair is dropped, not locked.
    built = program_problem(program=program, locked=[(mentee.pk, only.pk if only else 0)])
    mentee_index = next(
        (i for i, application in enumerate(built.mentees) if application.pk == mentee.pk), None
    )
    if mentee_index is None:
        return []
    problem = built.problem
    capacity = np.asarray(problem.mentors.capacity, dtype=np.int64).copy()
    if only is not None:
        capacity[:] = 0
        for j, application in enumerate(built.mentors):
            if application.pk == only.pk and application.person_id != mentee.person_id:
                capacity[j] = 1
    else:
        pending = _pending_per_mentor(program, now)
        asked = _asked_mentor_ids(mentee)
        for j, application in enumerate(built.mentors):
            if application.pk in asked or application.person_id == mentee.person_id:
                capacity[j] = 0
            else:
                capacity[j] = max(0, int(capacity[j]) - pending.get(application.pk, 0))
    problem = dataclasses.replace(
        problem, mentors=dataclasses.replace(problem.mentors, capacity=capacity)
    )
    found = suggest(problem, mentee_index, limit=limit)
    if not found:
        return []
    # One query for the names, whatever the program's size.
    mentors = Application.objects.select_related("person").in_bulk(
        [built.mentors[j].pk for j, _, _ in found]
    )
    return [
        Suggestion(
            mentor=mentors[built.mentors[j].pk],
            name=mentors[built.mentors[j].pk].person.full_name,
            score=score,
            reason=reason,
        )
        for j, score, reason in found
    ]


def match_suggestions(*, actor: Any, program: Program, limit: int = 5) -> list[Suggestion]:
    """The actor's best mentors to ask, best first (empty once they have a mentor or a request
    waiting for an answer)."""
    mentee = _mentee_of(actor, program)
    _require_open(program)
    if _has_mentor(mentee):
        return []
    now = timezone.now()
    if MatchRequest.objects.filter(mentee=mentee, status=Status.PENDING).exists():
        return []
    return _ranked(program, mentee, now=now, limit=max(1, min(limit, 20)))


# --- Writes ----------------------------------------------------------------------------------


def _open_request(
    *,
    program: Program,
    mentee: Application,
    mentor: Application,
    score: float,
    reason: str,
    message: str,
    days: int,
    now: dt.datetime,
    base_url: str,
) -> MatchRequest:
    match_request = MatchRequest(
        organisation_id=program.organisation_id,
        program=program,
        mentee=mentee,
        mentor=mentor,
        status=Status.PENDING,
        message=message,
        score=score,
        reason=reason,
        expires_at=now + dt.timedelta(days=days),
    )
    match_request.full_clean()
    match_request.save()
    _email_after_commit("requested", match_request.pk, base_url)
    return match_request


@transaction.atomic
def match_request_create(
    *,
    actor: Any,
    program: Program,
    mentor_application: Application,
    message: str = "",
    base_url: str = "",
) -> MatchRequest:
    """Ask ``mentor_application`` to be the actor's mentor. Refused when the actor already has a
    mentor or a request waiting, asked this mentor before, the mentor has no place left
    (pending requests count), or a hard rule of the program forbids the pair."""
    mentee = _mentee_of(actor, program)
    program, locked = _lock(program, mentee.pk, mentor_application.pk)
    matching_settings = _require_open(program)
    mentee, mentor = locked[mentee.pk], locked.get(mentor_application.pk)
    if (
        mentor is None
        or mentor.program_id != program.pk
        or mentor.status != Application.Status.APPROVED
        or mentor.role not in MENTOR_ROLES
        or mentor.person_id == mentee.person_id
    ):
        raise ApplicationError("This person is not available as a mentor in this program.")
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise ApplicationError(f"Keep the message under {MAX_MESSAGE} characters.")
    if _has_mentor(mentee):
        raise ApplicationError("You already have a mentor in this program.")
    if MatchRequest.objects.filter(mentee=mentee, status=Status.PENDING).exists():
        raise ApplicationError(
            "You already have a request waiting for an answer. Cancel it to ask someone else."
        )
    name = mentor.person.full_name
    if mentor.pk in _asked_mentor_ids(mentee):
        raise ApplicationError(f"You asked {name} before; choose another mentor.")
    now = timezone.now()
    if _places_taken(program, mentor, now) >= program.mentees_per_mentor:
        raise ApplicationError(f"{name} has no free place left in this program.")
    pair = _ranked(program, mentee, now=now, limit=1, only=mentor)
    if not pair:
        raise ApplicationError(f"The program's rules do not allow {name} to be your mentor.")
    return _open_request(
        program=program,
        mentee=mentee,
        mentor=mentor,
        score=pair[0].score,
        reason=pair[0].reason,
        message=message,
        days=matching_settings.request_days,
        now=now,
        base_url=base_url,
    )


def _locked_request(
    request: MatchRequest,
) -> tuple[Program, MatchRequest, Application, Application]:
    program = Program.objects.get(pk=request.program_id)
    program, locked = _lock(program, request.mentee_id, request.mentor_id)
    match_request = MatchRequest.objects.select_for_update().get(pk=request.pk)
    return program, match_request, locked[request.mentee_id], locked[request.mentor_id]


def _require_mentor(actor: Any, mentor: Application) -> None:
    if mentor.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the mentor asked can answer this request.")


def _require_pending(match_request: MatchRequest, now: dt.datetime) -> None:
    if match_request.status != Status.PENDING:
        raise ApplicationError("This request is no longer waiting for an answer.")
    if match_request.expires_at <= now:
        raise ApplicationError("The time to answer this request has run out.")


@transaction.atomic
def match_request_accept(*, actor: Any, request: MatchRequest, base_url: str = "") -> MatchRequest:
    """The mentor says yes: a pair mentorship with both of them starts, the mentee's other
    pending requests are cancelled, and the mentee is told."""
    program, match_request, mentee, mentor = _locked_request(request)
    _require_mentor(actor, mentor)
    now = timezone.now()
    _require_pending(match_request, now)
    _require_open(program)
    if mentee.status != Application.Status.APPROVED or mentor.status != Application.Status.APPROVED:
        raise ApplicationError("One of you is no longer taking part in this program.")
    if _has_mentor(mentee):
        raise ApplicationError(f"{mentee.person.full_name} already has a mentor in this program.")
    live = _live_as_mentor(program, [mentor.person_id]).get(mentor.person_id, 0)
    if live >= program.mentees_per_mentor:
        raise ApplicationError("You have no free place left in this program.")
    mentorship = _mentorship_create(
        program=program,
        members=[
            (mentor.person, mentor.user, MentorshipMember.Role.MENTOR),
            (mentee.person, mentee.user, MentorshipMember.Role.MENTEE),
        ],
        score=match_request.score,
        reason=match_request.reason,
    )
    match_request.status = Status.ACCEPTED
    match_request.decided_at = now
    match_request.mentorship = mentorship
    match_request.save(update_fields=["status", "decided_at", "mentorship", "updated_at"])
    MatchRequest.objects.filter(mentee=mentee, status=Status.PENDING).exclude(
        pk=match_request.pk
    ).update(status=Status.CANCELLED, decided_at=now, updated_at=now)
    _email_after_commit("accepted", match_request.pk, base_url)
    return match_request


@transaction.atomic
def match_request_decline(
    *, actor: Any, request: MatchRequest, reason: str = "", base_url: str = ""
) -> MatchRequest:
    """The mentor says no. The mentee sees a neutral "not available" and the request passes on
    to their next suggestion. ``reason`` is the mentor's own: it is not kept, never shown."""
    program, match_request, mentee, mentor = _locked_request(request)
    _require_mentor(actor, mentor)
    if match_request.status != Status.PENDING:
        raise ApplicationError("This request is no longer waiting for an answer.")
    now = timezone.now()
    match_request.status = Status.DECLINED
    match_request.decided_at = now
    match_request.save(update_fields=["status", "decided_at", "updated_at"])
    _pass_on(program=program, ended=match_request, mentee=mentee, now=now, base_url=base_url)
    return match_request


@transaction.atomic
def match_request_cancel(*, actor: Any, request: MatchRequest) -> MatchRequest:
    """The mentee takes their request back (no pass-on: they choose whom to ask next)."""
    _, match_request, mentee, _ = _locked_request(request)
    if mentee.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the person who asked can cancel this request.")
    if match_request.status != Status.PENDING:
        raise ApplicationError("This request is no longer waiting for an answer.")
    match_request.status = Status.CANCELLED
    match_request.decided_at = timezone.now()
    match_request.save(update_fields=["status", "decided_at", "updated_at"])
    return match_request


def match_requests_expire(
    *, now: dt.datetime | None = None, program: Program | None = None, base_url: str = ""
) -> int:
    """Mark pending requests past their deadline expired, each passing on to the mentee's next
    suggestion; returns how many expired. Each request is its own transaction, so one failure
    leaves the others done."""
    now = now or timezone.now()
    overdue = MatchRequest.objects.filter(status=Status.PENDING, expires_at__lte=now)
    if program is not None:
        overdue = overdue.filter(organisation_id=program.organisation_id, program=program)
    expired = 0
    for request in list(overdue.order_by("expires_at", "pk")):
        with transaction.atomic():
            locked_program, match_request, mentee, _ = _locked_request(request)
            if match_request.status != Status.PENDING or match_request.expires_at > now:
                continue  # answered meanwhile
            match_request.status = Status.EXPIRED
            match_request.decided_at = now
            match_request.save(update_fields=["status", "decided_at", "updated_at"])
            _pass_on(
                program=locked_program,
                ended=match_request,
                mentee=mentee,
                now=now,
                base_url=base_url,
            )
            expired += 1
    return expired


def _pass_on(
    *,
    program: Program,
    ended: MatchRequest,
    mentee: Application,
    now: dt.datetime,
    base_url: str,
) -> MatchRequest | None:
    """Ask the mentee's next suggestion for them (inside the caller's transaction, which holds
    the program lock), and tell the mentee either way."""
    try:
        matching_settings = _require_open(program)
    except ApplicationError:
        return None  # self-service is off or the program moved on: nothing to pass on to
    if mentee.status != Application.Status.APPROVED or _has_mentor(mentee):
        return None
    if MatchRequest.objects.filter(mentee=mentee, status=Status.PENDING).exists():
        return None
    for suggestion in _ranked(program, mentee, now=now, limit=3):
        _, locked = _lock(program, suggestion.mentor.pk)
        mentor = locked[suggestion.mentor.pk]
        if _places_taken(program, mentor, now) >= program.mentees_per_mentor:
            continue
        passed = _open_request(
            program=program,
            mentee=mentee,
            mentor=mentor,
            score=suggestion.score,
            reason=suggestion.reason,
            message="",
            days=matching_settings.request_days,
            now=now,
            base_url=base_url,
        )
        _email_after_commit("passed_on", passed.pk, base_url, previous=ended.pk)
        return passed
    _email_after_commit("none_left", ended.pk, base_url)
    return None


def _mentorship_create(
    *,
    program: Program,
    members: list[tuple[Any, Any, str]],
    score: float,
    reason: str,
) -> Mentorship:
    from twoway.mentorships.services import mentorship_create

    return mentorship_create(
        program=program,
        kind=Mentorship.Kind.PAIR,
        origin=Mentorship.Origin.REQUEST,
        members=members,
        score=score,
        reason=reason,
    )


# --- Emails ----------------------------------------------------------------------------------


def site_url(base_url: str = "") -> str:
    """Where links in emails point: the address the request came in on, or — for the task
    and the command — the first allowed host (HTTPS in production)."""
    if base_url:
        return base_url.rstrip("/")
    hosts = [host for host in django_settings.ALLOWED_HOSTS if host and "*" not in host]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    scheme = "https" if getattr(django_settings, "PRODUCTION", False) else "http"
    return f"{scheme}://{host}"


def find_a_mentor_url(program: Program, base_url: str = "") -> str:
    path = reverse(
        "find_a_mentor:find",
        kwargs={"org_slug": program.organisation.slug, "program_id": program.pk},
    )
    return site_url(base_url) + path


def mentoring_requests_url(program: Program, base_url: str = "") -> str:
    path = reverse(
        "find_a_mentor:requests",
        kwargs={"org_slug": program.organisation.slug, "program_id": program.pk},
    )
    return site_url(base_url) + path


def _email_after_commit(
    kind: str, request_id: int, base_url: str, *, previous: int | None = None
) -> None:
    from twoway.matching.tasks_self_service import send_match_request_email

    transaction.on_commit(
        lambda: send_match_request_email.enqueue(kind, request_id, base_url, previous)
    )
