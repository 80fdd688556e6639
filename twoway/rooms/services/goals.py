"""Goals of a room's members: each member owns theirs (the others read them), measured in
percent or by milestones, with a history entry (``GoalUpdate``) for every progress update."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.http import Http404

from twoway.core.errors import ApplicationError
from twoway.rooms.access import Seat, require_live
from twoway.rooms.models import TEXT_MAX_CHARS, Goal, GoalUpdate, Milestone

TITLE_MAX_CHARS = 200
MILESTONE_MAX_CHARS = 200
MAX_MILESTONES = 20


def _clean_text(value: str, *, field: str, label: str, limit: int, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ApplicationError(f"The {label} is required.", extra={"field": field})
    if len(value) > limit:
        raise ApplicationError(
            f"The {label} can be at most {limit:,} characters; this one has {len(value):,}.",
            extra={"field": field},
        )
    return value


def _in_room(seat: Seat, goal: Goal) -> None:
    if goal.mentorship_id != seat.mentorship.pk:
        raise Http404


def _owned(seat: Seat, goal: Goal) -> None:
    _in_room(seat, goal)
    if goal.member_id != seat.member.pk:
        raise ApplicationError("Only the member whose goal this is can change it.")


@transaction.atomic
def goal_create(
    *,
    seat: Seat,
    title: str,
    description: str = "",
    measure: str = Goal.Measure.PERCENT,
    target_on: dt.date | None = None,
    milestones: Sequence[str] = (),
) -> Goal:
    require_live(seat)
    title = _clean_text(
        title, field="title", label="goal's title", limit=TITLE_MAX_CHARS, required=True
    )
    description = _clean_text(
        description, field="description", label="description", limit=TEXT_MAX_CHARS
    )
    if measure not in Goal.Measure.values:
        raise ApplicationError(
            "Measure the goal in percent or by milestones.", extra={"field": "measure"}
        )
    steps = [step.strip() for step in milestones]
    if measure == Goal.Measure.MILESTONES:
        if not 1 <= len(steps) <= MAX_MILESTONES:
            raise ApplicationError(
                f"A goal measured by milestones needs 1 to {MAX_MILESTONES} milestones; "
                f"this one has {len(steps)}.",
                extra={"field": "milestones"},
            )
        for number, step in enumerate(steps, start=1):
            _clean_text(
                step,
                field="milestones",
                label=f"milestone {number}",
                limit=MILESTONE_MAX_CHARS,
                required=True,
            )
    elif steps:
        raise ApplicationError(
            "Milestones are only for a goal measured by milestones; choose that measure or "
            "leave the milestones empty.",
            extra={"field": "milestones"},
        )
    organisation_id = seat.mentorship.organisation_id
    goal = Goal(
        organisation_id=organisation_id,
        mentorship=seat.mentorship,
        member=seat.member,
        title=title,
        description=description,
        measure=measure,
        target_on=target_on,
    )
    goal.full_clean()
    goal.save()
    Milestone.objects.bulk_create(
        Milestone(organisation_id=organisation_id, goal=goal, position=position, title=step)
        for position, step in enumerate(steps, start=1)
    )
    return goal


@transaction.atomic
def goal_update_progress(
    *,
    seat: Seat,
    goal: Goal,
    percent: int | None = None,
    milestones_done: list[int] | None = None,
    status: str | None = None,
    note: str = "",
) -> GoalUpdate:
    """Record progress. For the milestones measure the percent follows the milestones ticked;
    without a status, a goal at 100 % is done and otherwise keeps its status (on track or
    behind, the owner's call)."""
    _owned(seat, goal)
    require_live(seat)
    note = _clean_text(note, field="note", label="note", limit=TEXT_MAX_CHARS)
    if status is not None and status not in Goal.Status.values:
        raise ApplicationError(
            "A goal's status is on track, behind or done.", extra={"field": "status"}
        )
    if goal.measure == Goal.Measure.PERCENT:
        if milestones_done:
            raise ApplicationError("This goal is measured in percent; it has no milestones.")
        if percent is not None:
            if not 0 <= percent <= 100:
                raise ApplicationError(
                    f"Progress is a percent from 0 to 100, not {percent}.",
                    extra={"field": "percent"},
                )
            goal.percent = percent
    else:
        if percent is not None:
            raise ApplicationError(
                "This goal is measured by milestones: tick the milestones reached instead of "
                "giving a percent."
            )
        steps = list(goal.milestones.all())
        if milestones_done is not None:
            known = {step.pk for step in steps}
            unknown = set(milestones_done) - known
            if unknown:
                raise ApplicationError(
                    "Tick only milestones of this goal.", extra={"field": "milestones_done"}
                )
            done = set(milestones_done)
            changed = [step for step in steps if step.done != (step.pk in done)]
            for step in changed:
                step.done = step.pk in done
            Milestone.objects.bulk_update(changed, ["done"])
        reached = sum(1 for step in steps if step.done)
        goal.percent = round(100 * reached / len(steps)) if steps else 0
    if status is None:
        if goal.percent == 100:
            status = Goal.Status.DONE
        elif goal.status == Goal.Status.DONE:
            status = Goal.Status.ON_TRACK
        else:
            status = goal.status
    goal.status = status
    goal.save(update_fields=["percent", "status", "updated_at"])
    return GoalUpdate.objects.create(
        organisation_id=goal.organisation_id,
        goal=goal,
        author=seat.member,
        percent=goal.percent,
        status=goal.status,
        note=note,
    )


@transaction.atomic
def goal_delete(*, seat: Seat, goal: Goal) -> None:
    _owned(seat, goal)
    require_live(seat)
    goal.delete()
