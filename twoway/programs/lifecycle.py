"""The program lifecycle, one service per transition:

    draft → enrolling → matching → running → closing → closed
                ↖ reopen ↙

Each service locks the program row, checks that the transition is legal from the current status
and that the program is ready for it, and saves the new status. An illegal transition is refused
with a message that says why, in the product's words, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from twoway.accounts.models import User
from twoway.core.errors import ApplicationError
from twoway.programs import access
from twoway.programs.models import Format, Program

Status = Program.Status

# Why a program in each status cannot take a step it is not ready for (the second half of the
# refusal message).
_WHERE_IT_IS: dict[str, str] = {
    Status.DRAFT: "it is still being designed",
    Status.ENROLLING: "it is enrolling participants",
    Status.MATCHING: "it already has its applicants and is being matched",
    Status.RUNNING: "its mentorships are already under way",
    Status.CLOSING: "it is winding down",
    Status.CLOSED: "it is closed",
}


@dataclass(frozen=True)
class Transition:
    name: str  # URL and API name
    label: str  # the button
    action: str  # "… cannot <action>"
    source: Status
    target: Status
    explanation: str  # on the confirmation page


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "open-enrolment",
        "Open enrolment",
        "open enrolment",
        Status.DRAFT,
        Status.ENROLLING,
        "People can be invited and, with open applications, apply. The format is then fixed.",
    ),
    Transition(
        "start-matching",
        "Start matching",
        "start matching",
        Status.ENROLLING,
        Status.MATCHING,
        "Applications close and you review and publish matches.",
    ),
    Transition(
        "reopen-enrolment",
        "Reopen enrolment",
        "reopen enrolment",
        Status.MATCHING,
        Status.ENROLLING,
        "Back to enrolling, for example when too few people applied to match well.",
    ),
    Transition(
        "start",
        "Start the program",
        "start",
        Status.MATCHING,
        Status.RUNNING,
        "Mentorships begin at kickoff. Timeline, capacity and eligibility are then locked.",
    ),
    Transition(
        "begin-closing",
        "Begin closing",
        "begin closing",
        Status.RUNNING,
        Status.CLOSING,
        "Mentorships wind down: exit surveys, recognition and reports.",
    ),
    Transition(
        "close",
        "Close the program",
        "close",
        Status.CLOSING,
        Status.CLOSED,
        "The program is finished and read-only.",
    ),
)

TRANSITIONS_BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}

# The main line, for the step indicator.
STATUS_ORDER: tuple[Status, ...] = (
    Status.DRAFT,
    Status.ENROLLING,
    Status.MATCHING,
    Status.RUNNING,
    Status.CLOSING,
    Status.CLOSED,
)


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


def enrolment_problems(program: Program) -> list[str]:
    """What keeps a draft from opening enrolment, in plain words (empty when ready)."""
    problems: list[str] = []
    if not program.name.strip():
        problems.append("give the program a name")
    if program.format not in Format.values:
        problems.append("choose a format")
    if program.pk is None or not program.managers.exists():
        problems.append("add at least one program manager")
    opens, closes = program.application_opens, program.application_closes
    if opens is None or closes is None:
        problems.append("set the dates the application window opens and closes")
    elif closes < opens:
        problems.append("make the application window close after it opens")
    if program.format in (Format.CIRCLE, Format.MULTIGENERATIONAL):
        low, high = program.circle_min_size, program.circle_max_size
        if low is None or high is None:
            problems.append("set the smallest and largest circle size")
        elif low < 2 or high < low:
            problems.append("make the circle size range at least 2 and smallest ≤ largest")
    if program.format == Format.REVERSE and program.min_level_gap < 1:
        problems.append("set a minimum level gap of at least 1 (the mentor is more junior)")
    return problems


def start_problems(program: Program) -> list[str]:
    return [] if program.kickoff_date else ["set the kickoff date"]


_READINESS: dict[str, Callable[[Program], list[str]]] = {
    "open-enrolment": enrolment_problems,
    "start": start_problems,
}


def problems_for(transition: Transition, program: Program) -> list[str]:
    """Why ``transition`` would be refused now (empty when it would go through)."""
    if program.status != transition.source:
        return [_illegal_message(transition, program)]
    check = _READINESS.get(transition.name)
    return check(program) if check else []


def _illegal_message(transition: Transition, program: Program) -> str:
    status = Status(program.status).label.lower()
    hint = ""
    if transition.source != program.status:
        hint = f" Only a program in {Status(transition.source).label.lower()} can."
    return (
        f"A program in {status} cannot {transition.action}; {_WHERE_IT_IS[program.status]}.{hint}"
    )


@transaction.atomic
def _apply(name: str, *, actor: User, program: Program) -> Program:
    transition = TRANSITIONS_BY_NAME[name]
    locked = Program.objects.select_for_update().get(pk=program.pk)
    access.require_manager(actor=actor, program=locked)
    if locked.status != transition.source:
        raise ApplicationError(_illegal_message(transition, locked))
    problems = problems_for(transition, locked)
    if problems:
        raise ApplicationError(
            f"This program cannot {transition.action} yet: " + "; ".join(problems) + ".",
            extra={"problems": problems},
        )
    locked.status = transition.target
    locked.save(update_fields=["status", "updated_at"])
    program.status = locked.status
    program.updated_at = locked.updated_at
    return locked


def program_open_enrolment(*, actor: User, program: Program) -> Program:
    """Draft → enrolling, once the design is complete enough for people to apply."""
    return _apply("open-enrolment", actor=actor, program=program)


def program_start_matching(*, actor: User, program: Program) -> Program:
    """Enrolling → matching: applications close."""
    return _apply("start-matching", actor=actor, program=program)


def program_reopen_enrolment(*, actor: User, program: Program) -> Program:
    """Matching → enrolling, before anyone has started (e.g. too few applicants)."""
    return _apply("reopen-enrolment", actor=actor, program=program)


def program_start(*, actor: User, program: Program) -> Program:
    """Matching → running, once a kickoff date is set."""
    return _apply("start", actor=actor, program=program)


def program_begin_closing(*, actor: User, program: Program) -> Program:
    """Running → closing."""
    return _apply("begin-closing", actor=actor, program=program)


@transaction.atomic
def program_close(*, actor: User, program: Program) -> Program:
    """Closing → closed; its mentorships that are due are completed with it (an extended one
    runs on until its own end)."""
    # Imported here: the mentorships services import the programs' models.
    from twoway.mentorships.services import mentorships_complete

    closed = _apply("close", actor=actor, program=program)
    mentorships_complete(program=closed, today=timezone.localdate())
    return closed


SERVICES: dict[str, Callable[..., Program]] = {
    "open-enrolment": program_open_enrolment,
    "start-matching": program_start_matching,
    "reopen-enrolment": program_reopen_enrolment,
    "start": program_start,
    "begin-closing": program_begin_closing,
    "close": program_close,
}


def program_transition(*, actor: User, program: Program, name: str) -> Program:
    """The transition named ``name`` (as in URLs and the API)."""
    service = SERVICES.get(name)
    if service is None:
        raise ApplicationError(f"There is no program transition called {name!r}.")
    return service(actor=actor, program=program)
