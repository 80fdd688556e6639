"""What an applicant is told at every step: where they stand, what happens next, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from twoway.enrolment.models import Application, Invitation
from twoway.programs.models import Program


@dataclass(frozen=True)
class StatusText:
    label: str
    explanation: str
    next_step: str


def _date(day: dt.date | None) -> str:
    return f"{day:%A %-d %B %Y}" if day else ""


def _matching(program: Program) -> str:
    if program.matching_date:
        return f"Matching is planned for {_date(program.matching_date)}."
    return "The program managers will tell you when matching starts."


def applicant_status(
    *,
    program: Program,
    application: Application | None,
    invitation: Invitation | None,
    today: dt.date,
) -> StatusText:
    closes = (
        f" Applications close on {_date(program.application_closes)}."
        if program.application_closes
        else ""
    )
    if application is None:
        if invitation is not None and invitation.status == Invitation.Status.DECLINED:
            return StatusText(
                "Invitation declined",
                "You declined the invitation to this program.",
                "If you change your mind, you can still apply while applications are open."
                + closes,
            )
        if program.application_opens and today < program.application_opens:
            return StatusText(
                "Invited" if invitation else "Opening soon",
                "You are invited to this program." if invitation else "",
                f"Applications open on {_date(program.application_opens)}.",
            )
        if program.application_closes and today > program.application_closes:
            return StatusText(
                "Closed", "Applications to this program have closed.", "Nothing to do."
            )
        if invitation is not None:
            return StatusText(
                "Invited",
                "You are invited to this program. Applying takes about ten minutes.",
                "Apply when you are ready." + closes,
            )
        return StatusText(
            "Open for applications",
            "Anyone in the organisation may apply to this program.",
            "Apply when you are ready." + closes,
        )
    status = Application.Status
    if application.status == status.SUBMITTED and application.promoted_at:
        return StatusText(
            "A place has opened up",
            "A place in this program has opened up, so your application has moved off the "
            "waiting list and is back with the program managers.",
            "They will decide on it soon; you will see their decision here. " + _matching(program),
        )
    if application.status == status.SUBMITTED:
        return StatusText(
            "Application received",
            "Your application is with the program managers, who review every application.",
            "You will see their decision here." + (" " + _matching(program)),
        )
    if application.status == status.APPROVED:
        return StatusText(
            "Approved — you have a place",
            "A place opened up and it is yours: you have moved off the waiting list."
            if application.promoted_at
            else "You have a place in this program.",
            _matching(program)
            + " You will see who you are matched with here."
            + (
                f" The program starts on {_date(program.kickoff_date)}."
                if program.kickoff_date
                else ""
            ),
        )
    if application.status == status.WAITLISTED:
        return StatusText(
            "On the waiting list",
            "The program is full for now, so you are on its waiting list.",
            "If a place opens up, the program managers may offer it to you; you will see it here.",
        )
    if application.status == status.DECLINED:
        return StatusText(
            "Not this time",
            "The program managers could not offer you a place in this program.",
            "Nothing to do. Other programs you may join appear on this page.",
        )
    return StatusText(
        "Withdrawn",
        "You withdrew your application.",
        "Nothing to do. To take part after all, ask one of the program's managers.",
    )
